package ccag.cli;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import okhttp3.OkHttpClient;

/**
 * Runs the real ccagctl command line in-process, as a user would type it, with a private configuration
 * directory, chosen environment variables, stdin and terminal, and captured stdout and stderr.
 */
final class CliRunner {
    private static final OkHttpClient HTTP = CliEnvironment.defaultHttpClient();

    private final Path home;
    private final Map<String, String> variables = new HashMap<>();
    private Terminal terminal = Terminal.NONE;
    private Clock clock = Clock.systemUTC();
    private CliEnvironment.BrowserOpener browser = url -> {
        throw new AssertionError("this test did not expect a browser to open " + url);
    };

    /** A user whose home is {@code home} and whose ccagctl configuration lives in {@code home/config}. */
    CliRunner(Path home) {
        this.home = home;
        variables.put("CCAGCTL_CONFIG_DIR", configDir().toString());
    }

    Path configDir() {
        return home.resolve("config");
    }

    Path credentialsFile() {
        return configDir().resolve("credentials.json");
    }

    CliRunner env(String name, String value) {
        if (value == null) {
            variables.remove(name);
        } else {
            variables.put(name, value);
        }
        return this;
    }

    CliRunner terminal(Terminal t) {
        this.terminal = t;
        return this;
    }

    /** What "opening the browser" does in this test (by default: fail the test). */
    CliRunner browser(CliEnvironment.BrowserOpener b) {
        this.browser = b;
        return this;
    }

    CliRunner clock(Clock c) {
        this.clock = c;
        return this;
    }

    Result run(String... args) {
        return runWithStdin("", args);
    }

    Result runWithStdin(String stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CliEnvironment env = new CliEnvironment(variables, home,
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintWriter(out, true), new PrintWriter(err, true), terminal, clock, HTTP, browser);
        int code = Ccagctl.execute(env, args);
        return new Result(code, out.toString(), err.toString());
    }

    /** What a run left behind: its exit code, stdout and stderr. */
    record Result(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout ---\n" + out + "--- stderr ---\n" + err;
        }
    }
}
