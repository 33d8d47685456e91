package ccag.server.errors;

/**
 * The kinds of error the gateway reports, each with its HTTP status and the Anthropic error type
 * used on every surface ({@code /v1} and {@code /admin} share the outer error shape).
 */
public enum ErrorKind {
    INVALID_REQUEST(400, "invalid_request_error"),
    AUTHENTICATION(401, "authentication_error"),
    PERMISSION(403, "permission_error"),
    NOT_FOUND(404, "not_found_error"),
    METHOD_NOT_ALLOWED(405, "invalid_request_error"),
    CONFLICT(409, "conflict_error"),
    GONE(410, "gone_error"),
    REQUEST_TOO_LARGE(413, "request_too_large"),
    UNSUPPORTED_MEDIA_TYPE(415, "invalid_request_error"),
    RATE_LIMIT(429, "rate_limit_error"),
    API_ERROR(500, "api_error"),
    BAD_GATEWAY(502, "api_error"),
    UNAVAILABLE(503, "api_error"),
    TIMEOUT(504, "timeout_error"),
    OVERLOADED(529, "overloaded_error");

    private final int status;
    private final String type;

    ErrorKind(int status, String type) {
        this.status = status;
        this.type = type;
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    /** The kind for a bare HTTP status (Jetty's and Jersey's own refusals). */
    public static ErrorKind forStatus(int status) {
        for (ErrorKind k : values()) {
            if (k.status == status) {
                return k;
            }
        }
        return status >= 500 ? API_ERROR : INVALID_REQUEST;
    }
}
