package ccag.server.errors;

import java.util.Map;

/** 429 with {@code retry-after}: a rate limit, a login lockout or an exhausted budget. */
public final class RateLimited extends ApiException {
    public RateLimited(String message, long retryAfterSeconds) {
        this(message, retryAfterSeconds, true, Map.of());
    }

    public RateLimited(String message, long retryAfterSeconds, boolean shouldRetry, Map<String, String> headers) {
        super(ErrorKind.RATE_LIMIT, message, null, Math.max(1, retryAfterSeconds), shouldRetry, headers, null);
    }
}
