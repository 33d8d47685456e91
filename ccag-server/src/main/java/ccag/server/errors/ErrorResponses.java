package ccag.server.errors;

import ccag.api.ErrorResponse;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;

/** Builds the one JSON error shape used on every surface. */
public final class ErrorResponses {
    private ErrorResponses() {
    }

    public static Response of(ApiException e, String requestId) {
        Response.ResponseBuilder b = Response.status(e.kind().status())
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(ErrorResponse.of(e.kind().type(), e.getMessage(), e.field(), requestId));
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
