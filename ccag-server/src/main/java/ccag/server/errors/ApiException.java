package ccag.server.errors;

import java.util.Map;
import java.util.Objects;

/**
 * A failure with a meaning for the caller. Services throw subclasses of this; only the mappers in
 * this package know how it becomes an HTTP response. It carries no JAX-RS type, so every room may
 * throw it.
 */
public class ApiException extends RuntimeException {
    private final ErrorKind kind;
    private final String field;
    private final Long retryAfterSeconds;
    private final Boolean shouldRetry;
    private final Map<String, String> headers;

    public ApiException(ErrorKind kind, String message) {
        this(kind, message, null, null, null, Map.of(), null);
    }

    public ApiException(ErrorKind kind, String message, String field) {
        this(kind, message, field, null, null, Map.of(), null);
    }

    public ApiException(ErrorKind kind, String message, String field, Long retryAfterSeconds,
                        Boolean shouldRetry, Map<String, String> headers, Throwable cause) {
        super(Objects.requireNonNull(message, "message"), cause, false, false);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.field = field;
        this.retryAfterSeconds = retryAfterSeconds;
        this.shouldRetry = shouldRetry;
        this.headers = Map.copyOf(headers);
    }

    public ErrorKind kind() {
        return kind;
    }

    /** The request field at fault, or null. */
    public String field() {
        return field;
    }

    /** Seconds for a {@code retry-after} header, or null. */
    public Long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /** Value for {@code x-should-retry}, or null to leave it out. */
    public Boolean shouldRetry() {
        return shouldRetry;
    }

    /** Extra response headers (rate-limit state and the like). */
    public Map<String, String> headers() {
        return headers;
    }
}
