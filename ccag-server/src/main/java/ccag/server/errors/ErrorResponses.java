package ccag.server.errors;

import ccag.api.ErrorResponse;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;

/** Builds the one JSON error shape used on every surface. */
public final class ErrorResponses {
    private ErrorResponses() {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    public static Response of(ApiException e, String requestId) {
        byte[] body;
        try {
            body = JSON.writeValueAsBytes(ErrorResponse.of(e.kind().type(), e.getMessage(), e.field(), requestId));
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException(impossible);
        }
        // A known length, so a client still sending a refused body gets a complete answer before the close.
        Response.ResponseBuilder b = Response.status(e.kind().status())
                .type(MediaType.APPLICATION_JSON_TYPE)
                .header("content-length", body.length)
                .entity(body);
        if (e.retryAfterSeconds() != null) {
            b.header("retry-after", Long.toString(e.retryAfterSeconds()));
        }
        if (e.shouldRetry() != null) {
            b.header("x-should-retry", Boolean.toString(e.shouldRetry()));
        }
        for (Map.Entry<String, String> h : e.headers().entrySet()) {
            b.header(h.getKey(), h.getValue());
        }
        return b.build();
    }
}
