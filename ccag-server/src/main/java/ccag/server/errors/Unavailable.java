package ccag.server.errors;

import java.util.Map;

/**
 * 503 with {@code retry-after} and {@code x-should-retry: true}: a service the gateway depends on
 * (the database) cannot be reached right now.
 */
public final class Unavailable extends ApiException {
    public Unavailable(String message, long retryAfterSeconds) {
        super(ErrorKind.UNAVAILABLE, message, null, Math.max(1, retryAfterSeconds), true, Map.of(), null);
    }
}
