package ccag.server.errors;

import java.util.Map;

/**
 * 529 {@code overloaded_error} with {@code retry-after} and {@code x-should-retry: true}: the gateway
 * itself is out of capacity for a moment (no database connection free in time, a key's admission queue
 * too long). Clients retry it like Anthropic's own 529.
 */
public final class Overloaded extends ApiException {
    public Overloaded(String message, long retryAfterSeconds) {
        super(ErrorKind.OVERLOADED, message, null, Math.max(1, retryAfterSeconds), true, Map.of(), null);
    }
}
