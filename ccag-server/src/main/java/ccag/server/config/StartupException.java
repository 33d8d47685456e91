package ccag.server.config;

/**
 * A misconfiguration or an unreachable dependency found at startup. The commands print its message
 * as one line (no stack trace) and exit non-zero.
 */
public final class StartupException extends RuntimeException {
    public StartupException(String message) {
        super(message, null, false, false);
    }

    public StartupException(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
