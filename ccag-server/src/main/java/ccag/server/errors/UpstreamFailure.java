package ccag.server.errors;

import java.util.Map;

/** An error that came from (or on the way to) the model provider, already classified. */
public final class UpstreamFailure extends ApiException {
    public UpstreamFailure(ErrorKind kind, String message, Long retryAfterSeconds, Boolean shouldRetry, Throwable cause) {
        super(kind, message, null, retryAfterSeconds, shouldRetry, Map.of(), cause);
    }
}
