package ccag.server.errors;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.Comparator;
import java.util.Map;
import org.eclipse.jetty.io.EofException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything that is not an {@link ApiException}: Jersey's own refusals (unknown path, wrong
 * method or media type), JSON that does not parse or bind, bean-validation failures, and bugs. All
 * answer in the gateway's JSON error shape; a bug is a 500 logged once with its request id.
 */
@Provider
public final class FallbackExceptionMapper implements ExceptionMapper<Throwable> {
    private static final Logger LOG = LoggerFactory.getLogger(FallbackExceptionMapper.class);

    @Context
    private HttpServletRequest request;

    @Override
    public Response toResponse(Throwable t) {
        String id = RequestIds.of(request);
        return ErrorResponses.of(classify(t, id), id);
    }

    ApiException classify(Throwable t, String id) {
        if (t instanceof ApiException api) {
            return api;
        }
        if (t instanceof WebApplicationException wae) {
            int status = wae.getResponse().getStatus();
            ErrorKind kind = ErrorKind.forStatus(status);
            String message = switch (status) {
                case 404 -> "Not found: " + path();
                case 405 -> "Method " + (request == null ? "" : request.getMethod()) + " is not allowed on " + path();
                case 406 -> "Not acceptable: this endpoint answers application/json";
                case 415 -> "Unsupported content type: send application/json";
                default -> wae.getMessage() == null ? "HTTP " + status : wae.getMessage();
            };
            if (kind.status() >= 500) {
                LOG.error("Unhandled {} ({})", status, id, t);
            }
            return new ApiException(kind, message, null, null, null, Map.of(), t);
        }
        if (t instanceof UnrecognizedPropertyException u) {
            String field = fieldPath(u);
            return new InvalidRequest("Unknown field '" + field + "'", field);
        }
        if (t instanceof InvalidFormatException f) {
            String field = fieldPath(f);
            return new InvalidRequest("Invalid value for '" + field + "': " + f.getOriginalMessage()
                    .replaceAll("\\s*at \\[Source.*", ""), field);
        }
        if (t instanceof JsonParseException p) {
            return new InvalidRequest("Malformed JSON: " + p.getOriginalMessage());
        }
        if (t instanceof JsonMappingException m) {
            String field = fieldPath(m);
            Throwable cause = m.getCause();
            if (cause instanceof IllegalArgumentException iae && iae.getMessage() != null) {
                return new InvalidRequest(iae.getMessage(), field.isEmpty() ? null : field);
            }
            return new InvalidRequest(field.isEmpty() ? "Invalid request body: " + m.getOriginalMessage()
                    : "Invalid value for '" + field + "'", field.isEmpty() ? null : field);
        }
        if (t instanceof JsonProcessingException j) {
            return new InvalidRequest("Malformed JSON: " + j.getOriginalMessage());
        }
        if (t instanceof ConstraintViolationException cve) {
            ConstraintViolation<?> v = cve.getConstraintViolations().stream()
                    .min(Comparator.comparing(c -> c.getPropertyPath().toString()))
                    .orElse(null);
            if (v == null) {
                return new InvalidRequest("Invalid request");
            }
            String field = leaf(v.getPropertyPath());
            if (field == null) {
                return new InvalidRequest("Request body is required");
            }
            return new InvalidRequest(field + " " + v.getMessage(), field);
        }
        if (t instanceof EofException) {
            // The client hung up; nobody is listening for the answer.
            return new ApiException(ErrorKind.INVALID_REQUEST, "Client closed the connection");
        }
        LOG.error("Unhandled error ({})", id, t);
        return new ApiException(ErrorKind.API_ERROR, "Internal error (request id " + id + ")");
    }

    private String path() {
        return request == null ? "" : request.getRequestURI();
    }

    private static String fieldPath(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                if (!sb.isEmpty()) {
                    sb.append('.');
                }
                sb.append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    /** The last bean property of a violation path, snake_cased; null when the body itself is at fault. */
    private static String leaf(Path path) {
        String last = null;
        for (Path.Node n : path) {
            if (n.getKind() == jakarta.validation.ElementKind.PROPERTY) {
                last = n.getName();
            }
        }
        return last == null ? null : RequestIds.snakeCase(last);
    }
}
