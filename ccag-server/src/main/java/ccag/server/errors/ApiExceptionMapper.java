package ccag.server.errors;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Maps the typed exceptions of the services. 5xx are logged once, with the request id. */
@Provider
public final class ApiExceptionMapper implements ExceptionMapper<ApiException> {
    private static final Logger LOG = LoggerFactory.getLogger(ApiExceptionMapper.class);

    @Context
    private HttpServletRequest request;

    @Override
    public Response toResponse(ApiException e) {
        String id = RequestIds.of(request);
        if (e.kind().status() >= 500) {
            LOG.warn("{} {} ({}): {}", e.kind().status(), e.kind().type(), id, e.getMessage(), e.getCause());
        }
        return ErrorResponses.of(e, id);
    }
}
