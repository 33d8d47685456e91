package ccag.cli;

import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import okhttp3.OkHttpClient;

/**
 * Everything ccagctl takes from the process it runs in: environment variables, home directory, standard
 * streams, terminal, clock and HTTP client. {@link #system()} is the real process; tests build their own so
 * that the command line runs in-process with captured output and a private configuration directory.
 */
final class CliEnvironment {
    private final Map<String, String> variables;
    private final Path home;
    private final InputStream stdin;
    private final PrintWriter out;
    private final PrintWriter err;
    private final Terminal terminal;
    private final Clock clock;
    private final OkHttpClient http;
    private final BrowserOpener browser;

    /** Opens a URL in the user's browser; false when no browser could be started. */
    @FunctionalInterface
    interface BrowserOpener {
        boolean open(String url);
    }

    CliEnvironment(Map<String, String> variables, Path home, InputStream stdin, PrintWriter out, PrintWriter err,
            Terminal terminal, Clock clock, OkHttpClient http) {
        this(variables, home, stdin, out, err, terminal, clock, http, null);
    }

    /** {@code browser}: null for the system's ({@code $BROWSER}, {@code xdg-open}, {@code open}). */
    CliEnvironment(Map<String, String> variables, Path home, InputStream stdin, PrintWriter out, PrintWriter err,
            Terminal terminal, Clock clock, OkHttpClient http, BrowserOpener browser) {
        this.variables = Map.copyOf(variables);
        this.home = home;
        this.stdin = stdin;
        this.out = out;
        this.err = err;
        this.terminal = terminal;
        this.clock = clock;
        this.http = http;
        this.browser = browser != null ? browser : url -> SystemBrowser.open(this.variables.get("BROWSER"), url);
    }

    static CliEnvironment system() {
        return new CliEnvironment(System.getenv(), Path.of(System.getProperty("user.home")), System.in,
                new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true),
                new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true),
                Terminal.system(), Clock.systemUTC(), defaultHttpClient());
    }

    static OkHttpClient defaultHttpClient() {
        return new OkHttpClient.Builder()
                .connectTimeout(Duration.ofSeconds(10))
                .readTimeout(Duration.ofSeconds(60))
                .callTimeout(Duration.ofSeconds(120))
                // A redirect would drop the Authorization header (other host) or turn a POST into a GET;
                // reporting it lets the user fix --server instead.
                .followRedirects(false)
                .followSslRedirects(false)
                .build();
    }

    /** An environment variable, or null when unset or blank. */
    String variable(String name) {
        String v = variables.get(name);
        return v == null || v.isBlank() ? null : v;
    }

    Path home() {
        return home;
    }

    InputStream stdin() {
        return stdin;
    }

    PrintWriter out() {
        return out;
    }

    PrintWriter err() {
        return err;
    }

    Terminal terminal() {
        return terminal;
    }

    Clock clock() {
        return clock;
    }

    OkHttpClient http() {
        return http;
    }

    BrowserOpener browser() {
        return browser;
    }
}
