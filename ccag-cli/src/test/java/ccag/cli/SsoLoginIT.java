package ccag.cli;

import static ccag.server.testing.CcagTestApp.set;
import static org.assertj.core.api.Assertions.assertThat;

import ccag.cli.CliRunner.Result;
import ccag.server.config.CcagConfiguration;
import ccag.server.testing.CcagTestApp;
import ccag.server.testing.TestBrowser;
import ccag.server.testing.TestDatabase;
import ccag.server.testing.TestIdp;
import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ccagctl login} as Claude Code's apiKeyHelper, end to end: a real OpenID provider with its login form,
 * a browser that follows the redirects and submits the forms, the gateway on a real PostgreSQL, and the token
 * then used on /v1/messages by the Anthropic SDK. Also {@code setup claude-code} and {@code idps}.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class SsoLoginIT {
    static final String AUD = "ccag-cli-test";
    static final TestIdp IDP = TestIdp.startInteractive();
    static final int PORT = TestBrowser.freePort();
    static final DropwizardAppExtension<CcagConfiguration> APP = CcagTestApp.on(TestDatabase.fresh(),
            set("oidc.issuer", IDP.issuer("corp")), set("oidc.audience", AUD), set("oidc.allowHttpLoopback", "true"),
            set("oidc.allowedDomains", "example.com"),
            set("publicUrl", "http://127.0.0.1:" + PORT), set("server.applicationConnectors[0].port", String.valueOf(PORT)));
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path home;

    private CliRunner cli;
    private String server;
    private final AtomicInteger opened = new AtomicInteger();

    @BeforeEach
    void setUp() {
        cli = new CliRunner(home);
        server = "http://127.0.0.1:" + PORT;
    }

    @AfterAll
    static void stopIdp() {
        IDP.close();
    }

    /** A user who signs in at the IdP as {@code sub} with {@code email}, in a browser that opens in the background. */
    private CliEnvironment.BrowserOpener userSigningInAs(String sub, String email) {
        return url -> {
            opened.incrementAndGet();
            // A browser of its own, as in life: never on a pool the command lines might be waiting on.
            background(() -> new TestBrowser(sub, "{\"email\":\"" + email + "\"}").open(url));
            return true;
        };
    }

    /** A thread of its own (never a shared pool the command lines might be waiting on). */
    private static void background(Runnable r) {
        Thread t = new Thread(r);
        t.setDaemon(true);
        t.start();
    }

    private static int me(String token) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + PORT + "/auth/me"))
                .header("authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    @Test
    void loginPrintsOnlyATokenThatWorksOnV1AndReusesItWithoutABrowser() throws Exception {
        cli.browser(userSigningInAs("ann-" + UUID.randomUUID(), "ann@example.com"));
        Result first = cli.run("login", "--server", server);
        assertThat(first.code()).as(first.toString()).isZero();
        assertThat(first.out()).matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\n");
        assertThat(first.err()).contains("Verification code: ");
        String token = first.out().strip();
        assertThat(me(token)).isEqualTo(200);
        AnthropicClient claude = AnthropicOkHttpClient.builder().baseUrl(server).apiKey(token).maxRetries(0).build();
        Message m = claude.messages().create(MessageCreateParams.builder().model("claude-sonnet-4-5").maxTokens(64)
                .addUserMessage("hello through ccagctl login").build());
        assertThat(m.content()).isNotEmpty();
        claude.close();

        Result second = cli.browser(url -> {
            throw new AssertionError("a cached token must not open the browser");
        }).run("login", "--server", server);
        assertThat(second.code()).as(second.toString()).isZero();
        assertThat(second.out()).isEqualTo(first.out());
        assertThat(second.err()).isEmpty();
        assertThat(opened.get()).isEqualTo(1);
        try (var files = Files.list(cli.configDir().resolve("sso"))) {
            Path cache = files.filter(f -> f.toString().endsWith(".json")).findFirst().orElseThrow();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cache))).isEqualTo("rw-------");
            assertThat(Files.readString(cache)).doesNotContain("refresh");
        }
    }

    @Test
    void aRefusedSignInIsOneLineAndANonZeroExitThenACoolDownWithoutABrowser() {
        cli.browser(userSigningInAs("eve-" + UUID.randomUUID(), "eve@elsewhere.org"));
        Result refused = cli.run("login", "--server", server);
        assertThat(refused.code()).as(refused.toString()).isEqualTo(ExitCodes.NOT_AUTHENTICATED);
        assertThat(refused.out()).isEmpty();
        assertThat(refused.err().lines().filter(l -> l.startsWith("ccagctl:")).toList()).hasSize(1);
        assertThat(refused.err()).contains("refused");

        Result again = cli.run("login", "--server", server);
        assertThat(again.code()).isNotZero();
        assertThat(again.out()).isEmpty();
        assertThat(again.err()).contains("try again in a few seconds");
        assertThat(opened.get()).as("no second tab during the cool-down").isEqualTo(1);
    }

    @Test
    void withoutABrowserTheUrlGoesToStderr() {
        String sub = "bo-" + UUID.randomUUID();
        cli.browser(url -> {
            // No browser here: the user copies the URL from stderr into a browser elsewhere.
            background(() -> new TestBrowser(sub, "{\"email\":\"bo@example.com\"}").open(url));
            return false;
        });
        Result r = cli.run("login", "--server", server);
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.err()).contains("Open this URL in a browser to sign in: " + server + "/auth/cli/authorize?login=");
        assertThat(r.out().lines().toList()).hasSize(1);
    }

    @Test
    void parallelInvocationsOpenOneBrowserTabAndShareTheToken() throws Exception {
        cli.browser(userSigningInAs("cy-" + UUID.randomUUID(), "cy@example.com"));
        CompletableFuture<Result> a = new CompletableFuture<>();
        CompletableFuture<Result> b = new CompletableFuture<>();
        background(() -> a.complete(cli.run("login", "--server", server)));
        background(() -> b.complete(cli.run("login", "--server", server)));
        Result ra = a.get(2, java.util.concurrent.TimeUnit.MINUTES);
        Result rb = b.get(2, java.util.concurrent.TimeUnit.MINUTES);
        assertThat(ra.code()).as(ra.toString()).isZero();
        assertThat(rb.code()).as(rb.toString()).isZero();
        assertThat(ra.out()).isEqualTo(rb.out());
        assertThat(opened.get()).isEqualTo(1);
    }

    @Test
    void setupClaudeCodeMergesIntoTheUsersSettings() throws Exception {
        Path settings = home.resolve(".claude").resolve("settings.json");
        Files.createDirectories(settings.getParent());
        Files.writeString(settings, "{\"theme\":\"dark\",\"env\":{\"FOO\":\"1\",\"CLAUDE_CODE_USE_BEDROCK\":\"1\"},\"permissions\":{\"deny\":[\"WebSearch\"]}}");
        Result r = cli.run("setup", "claude-code", "--server", server);
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out().strip()).isEqualTo(settings.toString());
        JsonNode s = Json.MAPPER.readTree(Files.readString(settings));
        assertThat(s.path("theme").asText()).isEqualTo("dark");
        assertThat(s.path("permissions").path("deny").get(0).asText()).isEqualTo("WebSearch");
        assertThat(s.path("env").path("FOO").asText()).isEqualTo("1");
        assertThat(s.path("env").has("CLAUDE_CODE_USE_BEDROCK")).isFalse();
        assertThat(s.path("env").path("ANTHROPIC_BASE_URL").asText()).isEqualTo(server);
        assertThat(s.path("env").path("CLAUDE_CODE_API_KEY_HELPER_TTL_MS").asText()).isEqualTo("840000");
        assertThat(s.path("apiKeyHelper").asText()).isEqualTo("ccagctl login --server " + server);

        Files.writeString(settings, "{not json");
        Result broken = cli.run("setup", "claude-code", "--server", server);
        assertThat(broken.code()).isNotZero();
        assertThat(Files.readString(settings)).isEqualTo("{not json");
    }

    @Test
    void setupWithKeyUsesAVirtualKeyInstead() throws Exception {
        Result login = cli.runWithStdin(CcagTestApp.ADMIN_PASSWORD + "\n", "--server", server, "auth", "login",
                "--username", CcagTestApp.ADMIN_USERNAME, "--password-stdin");
        assertThat(login.code()).as(login.toString()).isZero();
        Result r = cli.run("--server", server, "setup", "claude-code", "--key");
        assertThat(r.code()).as(r.toString()).isZero();
        JsonNode s = Json.MAPPER.readTree(Files.readString(home.resolve(".claude").resolve("settings.json")));
        assertThat(s.has("apiKeyHelper")).isFalse();
        String key = s.path("env").path("ANTHROPIC_AUTH_TOKEN").asText();
        assertThat(key).startsWith("sk-proxy-");
        assertThat(me(key)).isEqualTo(200);
    }

    @Test
    void idpsCommandsWrapTheAdminApi() throws Exception {
        Result login = cli.runWithStdin(CcagTestApp.ADMIN_PASSWORD + "\n", "--server", server, "auth", "login",
                "--username", CcagTestApp.ADMIN_USERNAME, "--password-stdin");
        assertThat(login.code()).as(login.toString()).isZero();
        Files.writeString(home.resolve("secret.txt"), "s3cret\n");
        Result created = cli.run("--server", server, "idps", "create", "--name", "Partner", "--issuer-url", IDP.issuer("partner"),
                "--audience", AUD, "--client-secret-file", home.resolve("secret.txt").toString(), "--no-auto-provision",
                "--allowed-domain", "partner.example");
        assertThat(created.code()).as(created.toString()).isZero();
        String id = created.out().strip();
        Result list = cli.run("--server", server, "idps", "list");
        assertThat(list.out()).contains("Partner").contains("env").contains(IDP.issuer("corp"));
        JsonNode shown = Json.MAPPER.readTree(cli.run("--server", server, "idps", "show", id, "-o", "json").out());
        assertThat(shown.path("auto_provision").asBoolean()).isFalse();
        assertThat(shown.path("allowed_domains").get(0).asText()).isEqualTo("partner.example");
        assertThat(shown.has("client_secret")).isFalse();
        Result updated = cli.run("--server", server, "idps", "update", id, "--default-role", "admin", "--auto-provision");
        assertThat(updated.code()).as(updated.toString()).isZero();
        assertThat(Json.MAPPER.readTree(cli.run("--server", server, "idps", "show", id, "-o", "json").out())
                .path("default_role").asText()).isEqualTo("admin");
        assertThat(cli.run("--server", server, "idps", "delete", id).code()).isZero();
        assertThat(cli.run("--server", server, "idps", "show", id).code()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(List.of(id)).isNotEmpty();
    }
}
