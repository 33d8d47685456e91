package ccag.cli;

import ccag.api.Role;
import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;

/**
 * {@code ccagctl}, the command line of the CCAG admin API. This class is the root command (global options,
 * error reporting) and the process entry point; each command group is a class of its own.
 */
@Command(name = "ccagctl",
        versionProvider = Ccagctl.Version.class,
        description = "Manage a CCAG gateway: sessions, single sign-on, virtual keys, users, teams, identity providers, model mappings, audit log.",
        subcommands = {
            AuthCommand.class,
            LoginCommand.class,
            SetupCommand.class,
            IdpsCommand.class,
            KeysCommand.class,
            UsersCommand.class,
            TeamsCommand.class,
            ModelsCommand.class,
            AuditCommand.class,
            ConfigCommand.class,
            CompletionCommand.class,
            CommandLine.HelpCommand.class
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:ok",
            "1:local error (unreadable configuration, unexpected failure)",
            "2:usage: wrong flags or arguments, invalid value, no server configured",
            "3:not authenticated: not logged in, session expired or revoked, permission denied",
            "4:not found",
            "5:conflict (duplicate name, team still in use)",
            "6:server error (5xx, rate limited, not a CCAG answer)",
            "7:server unreachable (unknown host, refused, timeout, TLS)"
        },
        footerHeading = "%nEnvironment:%n",
        footer = {
            "  CCAG_SERVER         server URL, overrides the profile's (--server overrides both)",
            "  CCAG_TOKEN          admin token to use instead of the saved session",
            "  CCAGCTL_CONFIG_DIR  configuration directory (default $XDG_CONFIG_HOME/ccagctl or ~/.config/ccagctl)",
            "  CCAGCTL_DEBUG       set to 1 to print stack traces of unexpected errors",
            "",
            "Docs: docs/cli.md. Results go to stdout, everything else to stderr."
        })
public final class Ccagctl implements java.util.concurrent.Callable<Integer> {
    @Option(names = "--server", scope = ScopeType.INHERIT, paramLabel = "URL",
            description = "Gateway URL, e.g. https://ccag.example.com (default: $CCAG_SERVER, then the profile's server).")
    private String server;

    @Option(names = "--profile", scope = ScopeType.INHERIT, paramLabel = "NAME",
            description = "Configuration profile (default: the current profile, see 'config use-profile').")
    private String profile;

    @Option(names = {"-o", "--output"}, scope = ScopeType.INHERIT, paramLabel = "FORMAT",
            converter = Args.FormatConverter.class, completionCandidates = Args.Formats.class,
            description = "text (default: tables for people) or json (the server's answer, for scripts).")
    private Output.Format format = Output.Format.TEXT;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    private final CliEnvironment env;

    Ccagctl(CliEnvironment env) {
        this.env = env;
    }

    public static void main(String[] args) {
        if (Boolean.getBoolean("ccagctl.cds.training")) {
            ArchiveTraining.loadCommonClasses();
        }
        CliEnvironment env = CliEnvironment.system();
        int code = execute(env, args);
        System.exit(code);
    }

    /** Runs one command line in {@code env} and returns its exit code; never throws, never exits. */
    static int execute(CliEnvironment env, String... args) {
        CommandLine cl = commandLine(env);
        try {
            return cl.execute(args);
        } finally {
            env.out().flush();
            env.err().flush();
        }
    }

    static CommandLine commandLine(CliEnvironment env) {
        CommandLine cl = new CommandLine(new Ccagctl(env));
        addHelpOptions(cl);
        boolean color = env.terminal().interactive() && env.variable("NO_COLOR") == null;
        cl.setOut(env.out())
                .setErr(env.err())
                .setColorScheme(CommandLine.Help.defaultColorScheme(color ? CommandLine.Help.Ansi.ON : CommandLine.Help.Ansi.OFF))
                .setExecutionExceptionHandler(new ErrorReporter(env))
                .setParameterExceptionHandler(Ccagctl::usageError)
                .registerConverter(Role.class, new Args.RoleConverter());
        return cl;
    }

    /** A usage error: the message, then suggestions for a mistyped option or command, else the command's usage. */
    private static int usageError(CommandLine.ParameterException ex, String[] args) {
        CommandLine cl = ex.getCommandLine();
        java.io.PrintWriter err = cl.getErr();
        err.println("ccagctl: " + ex.getMessage());
        if (!CommandLine.UnmatchedArgumentException.printSuggestions(ex, err)) {
            cl.usage(err, cl.getColorScheme());
        }
        return ExitCodes.USAGE;
    }

    /**
     * -h/--help and -V/--version on every command, so help is where the user is; picocli's defaults already
     * give exit code 2 on invalid input and 1 on an unexpected exception, as documented.
     */
    private static void addHelpOptions(CommandLine cl) {
        cl.getCommandSpec().mixinStandardHelpOptions(true);
        for (CommandLine sub : cl.getSubcommands().values()) {
            addHelpOptions(sub);
        }
    }

    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command");
    }

    CliEnvironment env() {
        return env;
    }

    String serverOption() {
        return server;
    }

    String profileOption() {
        return profile;
    }

    Output.Format format() {
        return format;
    }

    static String version() {
        try (InputStream in = Ccagctl.class.getResourceAsStream("version.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    static String userAgent() {
        return "ccagctl/" + version() + " (Java " + Runtime.version().feature() + ")";
    }

    /** {@code ccagctl --version}: the version, and the Java it runs on. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {
                "ccagctl " + version(),
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor", "unknown vendor") + ")"
            };
        }
    }

    /** Prints a {@link CliException} as one line plus hints on stderr; anything else as an unexpected error. */
    private static final class ErrorReporter implements IExecutionExceptionHandler {
        private final CliEnvironment env;

        ErrorReporter(CliEnvironment env) {
            this.env = env;
        }

        @Override
        public int handleExecutionException(Exception ex, CommandLine cl, ParseResult parseResult) {
            if (ex instanceof CliException c) {
                env.err().println("ccagctl: " + c.getMessage());
                for (String hint : c.hints()) {
                    env.err().println("  " + hint);
                }
                return c.exitCode();
            }
            env.err().println("ccagctl: unexpected error: " + ex);
            if (env.variable("CCAGCTL_DEBUG") != null) {
                ex.printStackTrace(env.err());
            } else {
                env.err().println("  set CCAGCTL_DEBUG=1 for details");
            }
            return ExitCodes.ERROR;
        }
    }
}
