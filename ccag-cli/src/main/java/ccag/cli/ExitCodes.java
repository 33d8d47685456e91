package ccag.cli;

/** The documented exit codes of ccagctl (docs/cli.md); scripts depend on them, so they never change meaning. */
final class ExitCodes {
    static final int OK = 0;
    /** A local problem: unreadable configuration, an unexpected failure. */
    static final int ERROR = 1;
    /** Wrong flags or arguments, a value the server refused as invalid, no server configured. */
    static final int USAGE = 2;
    /** Not logged in, the session expired or was revoked, or the caller may not do this. */
    static final int NOT_AUTHENTICATED = 3;
    static final int NOT_FOUND = 4;
    static final int CONFLICT = 5;
    /** The server answered with an error of its own (5xx, rate limited, an answer that is not the API's). */
    static final int SERVER_ERROR = 6;
    /** No answer: unknown host, connection refused, timeout, TLS failure. */
    static final int UNREACHABLE = 7;

    private ExitCodes() {
    }
}
