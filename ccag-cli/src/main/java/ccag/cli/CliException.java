package ccag.cli;

import java.util.List;

/**
 * A failure reported to the user as one line on stderr (plus hint lines) and an exit code; never a stack
 * trace. Thrown anywhere below a command and rendered by {@link Ccagctl}.
 */
final class CliException extends RuntimeException {
    private final int exitCode;
    private final List<String> hints;

    CliException(int exitCode, String message, List<String> hints) {
        super(message, null, false, false);
        this.exitCode = exitCode;
        this.hints = List.copyOf(hints);
    }

    CliException(int exitCode, String message, String... hints) {
        this(exitCode, message, List.of(hints));
    }

    static CliException usage(String message, String... hints) {
        return new CliException(ExitCodes.USAGE, message, hints);
    }

    static CliException notAuthenticated(String message, String... hints) {
        return new CliException(ExitCodes.NOT_AUTHENTICATED, message, hints);
    }

    static CliException notFound(String message, String... hints) {
        return new CliException(ExitCodes.NOT_FOUND, message, hints);
    }

    static CliException local(String message, String... hints) {
        return new CliException(ExitCodes.ERROR, message, hints);
    }

    int exitCode() {
        return exitCode;
    }

    List<String> hints() {
        return hints;
    }

    /** The same failure with one more hint line. */
    CliException withHint(String hint) {
        List<String> more = new java.util.ArrayList<>(hints);
        more.add(hint);
        return new CliException(exitCode, getMessage(), more);
    }
}
