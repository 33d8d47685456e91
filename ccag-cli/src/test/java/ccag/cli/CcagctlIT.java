package ccag.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ccag.cli.CliRunner.Result;
import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.errors.UnauthorizedException;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import ccag.server.config.CcagConfiguration;
import ccag.server.testing.CcagTestApp;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real ccagctl command line, run in-process against the whole gateway on a real PostgreSQL: what an admin
 * types, what the scripts read on stdout, what people read on stderr, and the exit codes.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class CcagctlIT {
    static final DropwizardAppExtension<CcagConfiguration> APP = CcagTestApp.create();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final AtomicInteger SEQ = new AtomicInteger();

    @TempDir
    Path home;

    private CliRunner cli;
    private String server;

    @BeforeEach
    void setUp() {
        cli = new CliRunner(home);
        server = "http://127.0.0.1:" + APP.getLocalPort();
    }

    private static String unique(String base) {
        return base + "-" + SEQ.incrementAndGet() + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private Result login() {
        Result r = cli.runWithStdin(CcagTestApp.ADMIN_PASSWORD + "\n", "--server", server, "auth", "login",
                "--username", CcagTestApp.ADMIN_USERNAME, "--password-stdin");
        assertThat(r.code()).as(r.toString()).isZero();
        return r;
    }

    /** Runs a command that must succeed, and returns it. */
    private Result ok(String... args) {
        Result r = cli.run(args);
        assertThat(r.code()).as("ccagctl " + String.join(" ", args) + "\n" + r).isZero();
        return r;
    }

    private JsonNode okJson(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("-o");
        all.add("json");
        return Json.MAPPER.readTree(ok(all.toArray(String[]::new)).out());
    }

    /** {@code GET /auth/me} with a virtual key: where a key is valid before the proxy exists. */
    private int meWithKey(String key) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(server + "/auth/me")).header("x-api-key", key).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    @Test
    void adminCreatesTeamUserAndKeyThenRevokesTheKey() throws Exception {
        Result login = login();
        assertThat(login.out()).isEmpty();
        assertThat(login.err()).contains("Logged in to " + server + " as admin");

        String teamName = unique("Engineering");
        String teamId = ok("teams", "create", teamName).out().trim();
        assertThat(Args.isUuid(teamId)).as(teamId).isTrue();

        String subject = unique("jdoe");
        String userId = ok("users", "create", "--subject", subject, "--email", subject + "@example.com", "--role", "member").out().trim();
        assertThat(Args.isUuid(userId)).isTrue();
        ok("users", "set-team", subject, teamName);
        assertThat(okJson("users", "show", userId).path("team_id").asText()).isEqualTo(teamId);

        JsonNode created = okJson("keys", "create", "--name", "alice-key", "--user", subject, "--team", teamName, "--rpm", "120");
        String key = created.path("key").asText();
        String keyId = created.path("id").asText();
        assertThat(key).startsWith("sk-proxy-");
        assertThat(created.path("prefix").asText()).isNotEmpty();
        assertThat(key).startsWith(created.path("prefix").asText());
        assertThat(created.path("name").asText()).isEqualTo("alice-key");

        JsonNode teamKeys = okJson("keys", "list", "--team", teamName);
        assertThat(teamKeys.path("keys")).hasSize(1);
        assertThat(teamKeys.path("keys").get(0).path("id").asText()).isEqualTo(keyId);
        assertThat(teamKeys.toString()).doesNotContain(key);
        Result table = ok("keys", "list", "--user", userId, "--wide");
        assertThat(table.out()).startsWith("ID").contains(keyId).contains("alice-key").contains("active").contains("120")
                .contains(userId).contains(teamId).doesNotContain(key);

        assertThat(meWithKey(key)).isEqualTo(200);

        Result revoke = ok("keys", "revoke", keyId);
        assertThat(revoke.out()).isEmpty();
        assertThat(revoke.err()).contains("Revoked key " + keyId);
        assertThat(okJson("keys", "show", keyId).path("status").asText()).isEqualTo("revoked");
        assertThat(ok("keys", "show", keyId).out()).containsPattern("Status:\\s+revoked");
        assertThat(meWithKey(key)).isEqualTo(401);
    }

    @Test
    void aKeyMadeWithTheCliWorksWithTheAnthropicSdkUntilTheCliRevokesIt() throws Exception {
        login();
        String team = unique("Claude");
        ok("teams", "create", team);
        String subject = unique("dev");
        ok("users", "create", "--subject", subject, "--team", team);
        JsonNode created = okJson("keys", "create", "--name", "sdk-key", "--user", subject, "--team", team);
        AnthropicClient client = AnthropicOkHttpClient.builder().baseUrl(server).apiKey(created.path("key").asText())
                .maxRetries(0).build();
        try {
            MessageCreateParams params = MessageCreateParams.builder().model("claude-sonnet-4-5").maxTokens(64)
                    .addUserMessage("Hello through the gateway").build();
            Message answer = client.messages().create(params);
            assertThat(answer.content()).isNotEmpty();
            assertThat(answer.content().get(0).text().orElseThrow().text()).contains("Hello through the gateway");

            ok("keys", "revoke", created.path("id").asText());
            assertThatThrownBy(() -> client.messages().create(params)).isInstanceOf(UnauthorizedException.class);
        } finally {
            client.close();
        }
    }

    @Test
    void aNewKeyIsPrintedAloneOnStdoutAndTheWarningGoesToStderr() throws Exception {
        login();
        Result r = ok("keys", "create", "--name", unique("ci"), "--expires", "30d");
        assertThat(r.out()).matches("sk-proxy-\\S+\\n");
        assertThat(r.err()).contains("shown only this once");
        assertThat(meWithKey(r.out().trim())).isEqualTo(200);
    }

    @Test
    void theCredentialsFileIsOwnerOnlyAndNeverHoldsThePassword() throws Exception {
        login();
        Path creds = cli.credentialsFile();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(creds))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(creds.getParent()))).isEqualTo("rwx------");
        String content = Files.readString(creds);
        assertThat(content).doesNotContain(CcagTestApp.ADMIN_PASSWORD).doesNotContain("password");
        String token = Json.MAPPER.readTree(content).path("sessions").path("default").path("token").asText();
        assertThat(token).isNotBlank();
        assertThat(ok("auth", "token").out()).isEqualTo(token + "\n");
        // The login also made this server the default profile's.
        assertThat(Files.readString(cli.configDir().resolve("config.json"))).contains(server);
        try (var files = Files.list(cli.configDir())) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("config.json", "credentials.json");
        }
    }

    @Test
    void aWrongPasswordIsExit3AndSavesNothing() {
        Result r = cli.runWithStdin("not-the-password", "--server", server, "auth", "login", "-u", "admin", "--password-stdin");
        assertThat(r.code()).as(r.toString()).isEqualTo(3);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("login failed").contains("check the username and password").contains("request id");
        assertThat(cli.credentialsFile()).doesNotExist();
    }

    @Test
    void repeatedWrongPasswordsAreRateLimitedWithExit6AndTheDelay() {
        String user = unique("guess");
        Result last = null;
        for (int i = 0; i < 8 && (last == null || last.code() != 6); i++) {
            last = cli.runWithStdin("wrong", "--server", server, "auth", "login", "-u", user, "--password-stdin");
            assertThat(last.code()).as(last.toString()).isIn(3, 6);
        }
        assertThat(last.code()).as(last.toString()).isEqualTo(6);
        assertThat(last.err()).startsWith("ccagctl: rate limited: ").containsPattern("try again in \\d+ s");
    }

    @Test
    void statusTellsWhomAVirtualKeyBelongsTo() throws Exception {
        login();
        String subject = unique("owner");
        ok("users", "create", "--subject", subject);
        String key = ok("keys", "create", "--name", "owned", "--user", subject).out().trim();
        CliRunner holder = new CliRunner(home.resolve("holder")).env("CCAG_SERVER", server).env("CCAG_TOKEN", key);
        Result r = holder.run("auth", "status", "-o", "json");
        assertThat(r.code()).as(r.toString()).isZero();
        JsonNode me = Json.MAPPER.readTree(r.out());
        assertThat(me.path("subject").asText()).isEqualTo(subject);
        assertThat(me.path("auth_method").asText()).isEqualTo("virtual_key");
        // A key is no admin credential.
        Result admin = holder.run("keys", "list");
        assertThat(admin.code()).isEqualTo(3);
    }

    @Test
    void loginPromptsForThePasswordWithoutEchoOnATerminal() {
        List<String> prompts = new ArrayList<>();
        cli.terminal(new Terminal() {
            @Override
            public boolean interactive() {
                return true;
            }

            @Override
            public char[] readPassword(String prompt) {
                prompts.add(prompt);
                return CcagTestApp.ADMIN_PASSWORD.toCharArray();
            }
        });
        ok("--server", server, "auth", "login", "--username", "admin");
        assertThat(prompts).containsExactly("Password for admin at " + server + ": ");
        assertThat(ok("teams", "list").code()).isZero();
    }

    @Test
    void statusShowsWhoIsLoggedIn() throws Exception {
        login();
        Result text = ok("auth", "status");
        assertThat(text.out()).containsPattern("User:\\s+admin").containsPattern("Role:\\s+admin").contains(server);
        JsonNode me = okJson("auth", "status");
        assertThat(me.path("role").asText()).isEqualTo("admin");
        assertThat(me.path("auth_method").asText()).isEqualTo("session");
    }

    @Test
    void anExpiredSessionAsksToLogInAgain() throws Exception {
        login();
        ObjectNode creds = (ObjectNode) Json.MAPPER.readTree(cli.credentialsFile().toFile());
        ((ObjectNode) creds.path("sessions").path("default")).put("expires_at", "2001-01-01T00:00:00Z");
        Files.writeString(cli.credentialsFile(), creds.toString());
        Result r = cli.run("keys", "list");
        assertThat(r.code()).isEqualTo(3);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("expired").contains("log in again: ccagctl auth login --username admin");
    }

    @Test
    void aSessionTheServerNoLongerKnowsIsExit3WithALogInAgainHint() throws Exception {
        login();
        String saved = Files.readString(cli.credentialsFile());
        Result logout = ok("auth", "logout");
        assertThat(logout.err()).contains("Logged out of " + server);
        assertThat(new CredentialStore(cli.configDir()).session("default")).isEmpty();

        Files.writeString(cli.credentialsFile(), saved);
        Result r = cli.run("teams", "list");
        assertThat(r.code()).as(r.toString()).isEqualTo(3);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("not authenticated").contains("request id: req_")
                .contains("log in again: ccagctl auth login --username admin")
                .doesNotContain("Exception");
    }

    @Test
    void anInvalidTokenInTheEnvironmentIsExit3() {
        Result r = cli.env("CCAG_SERVER", server).env("CCAG_TOKEN", "not-a-token").run("keys", "list");
        assertThat(r.code()).isEqualTo(3);
        assertThat(r.err()).contains("CCAG_TOKEN was refused");
    }

    @Test
    void theEnvironmentAloneIsEnoughForScripts() throws Exception {
        login();
        String token = ok("auth", "token").out().trim();
        CliRunner ci = new CliRunner(home.resolve("ci")).env("CCAG_SERVER", server).env("CCAG_TOKEN", token);
        Result r = ci.run("teams", "list", "-o", "json");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(Json.MAPPER.readTree(r.out()).path("teams").isArray()).isTrue();
        assertThat(ci.configDir()).doesNotExist();
    }

    @Test
    void anUnknownKeyIdIsExit4WithTheServersMessageAndRequestId() {
        login();
        String missing = UUID.randomUUID().toString();
        for (String[] cmd : new String[][] {{"keys", "show", missing}, {"keys", "revoke", missing}}) {
            Result r = cli.run(cmd);
            assertThat(r.code()).as(r.toString()).isEqualTo(4);
            assertThat(r.out()).isEmpty();
            assertThat(r.err()).startsWith("ccagctl: not found: ").contains("request id: req_").doesNotContain("Exception");
        }
    }

    @Test
    void unknownTeamAndUserNamesAreExit4() {
        login();
        assertThat(cli.run("teams", "show", unique("nope")).code()).isEqualTo(4);
        Result r = cli.run("keys", "create", "--name", "k", "--user", unique("nobody"));
        assertThat(r.code()).isEqualTo(4);
        assertThat(r.err()).contains("no user with subject");
    }

    @Test
    void aDuplicateTeamIsExit5AndATeamInUseCannotBeDeleted() {
        login();
        String team = unique("Platform");
        ok("teams", "create", team);
        Result dup = cli.run("teams", "create", team);
        assertThat(dup.code()).as(dup.toString()).isEqualTo(5);
        assertThat(dup.err()).startsWith("ccagctl: conflict: ").contains("request id: req_");

        String subject = unique("member");
        ok("users", "create", "--subject", subject, "--team", team);
        Result inUse = cli.run("teams", "delete", team);
        assertThat(inUse.code()).as(inUse.toString()).isEqualTo(5);
        ok("users", "set-team", subject, "--none");
        ok("teams", "delete", team);
        assertThat(cli.run("teams", "show", team).code()).isEqualTo(4);
    }

    @Test
    void teamsAreRenamedAndShownByName() throws Exception {
        login();
        String name = unique("Research");
        String id = ok("teams", "create", name).out().trim();
        String renamed = name + "-renamed";
        ok("teams", "rename", name, renamed);
        JsonNode team = okJson("teams", "show", renamed);
        assertThat(team.path("id").asText()).isEqualTo(id);
        assertThat(team.path("name").asText()).isEqualTo(renamed);
        assertThat(ok("teams", "list").out()).contains(renamed).contains(id);
    }

    @Test
    void usersChangeRoleAreDeactivatedAndDeleted() throws Exception {
        login();
        String subject = unique("ops");
        String id = ok("users", "create", "--subject", subject).out().trim();
        assertThat(okJson("users", "show", subject).path("role").asText()).isEqualTo("member");
        ok("users", "set-role", subject, "admin");
        assertThat(okJson("users", "show", id).path("role").asText()).isEqualTo("admin");
        ok("users", "deactivate", subject);
        assertThat(okJson("users", "show", id).path("active").asBoolean()).isFalse();
        assertThat(ok("users", "list").out()).containsPattern(id + "\\s+" + subject + ".*\\s+no\\n");
        ok("users", "activate", id);
        assertThat(okJson("users", "show", id).path("active").asBoolean()).isTrue();
        ok("users", "delete", subject);
        assertThat(cli.run("users", "show", id).code()).isEqualTo(4);
    }

    @Test
    void invalidValuesRefusedByTheServerAreUsageErrorsNamingTheField() {
        login();
        Result r = cli.run("users", "create", "--subject", unique("x"), "--email", "e".repeat(400));
        assertThat(r.code()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).startsWith("ccagctl: invalid request: ").contains("email");
    }

    @Test
    void modelMappingsAreListedSetAndDeleted() throws Exception {
        login();
        JsonNode before = okJson("models", "list");
        assertThat(before.path("models").findValuesAsText("model")).contains("claude-sonnet-4-5");
        assertThat(ok("models", "list").out()).startsWith("MODEL").contains("claude-sonnet-4-5");

        String model = unique("claude-test");
        ok("models", "set", model, "us.anthropic.claude-sonnet-4-5-20250929-v1:0");
        JsonNode mapping = null;
        for (JsonNode m : okJson("models", "list").path("models")) {
            if (m.path("model").asText().equals(model)) {
                mapping = m;
            }
        }
        assertThat(mapping).as("mapping of " + model).isNotNull();
        assertThat(mapping.path("bedrock_model_id").asText()).isEqualTo("us.anthropic.claude-sonnet-4-5-20250929-v1:0");
        assertThat(mapping.path("source").asText()).isEqualTo("admin");

        ok("models", "delete", model);
        assertThat(okJson("models", "list").path("models").findValuesAsText("model")).doesNotContain(model);
        Result again = cli.run("models", "delete", model);
        assertThat(again.code()).as(again.toString()).isEqualTo(4);
        Result spaces = cli.run("models", "set", model, "not a model id");
        assertThat(spaces.code()).isEqualTo(2);
        assertThat(spaces.err()).contains("bedrock_model_id");
    }

    @Test
    void theAuditLogShowsTheKeyCreation() throws Exception {
        login();
        String keyId = okJson("keys", "create", "--name", unique("audited")).path("id").asText();
        JsonNode events = okJson("audit", "list", "--limit", "200");
        assertThat(events.path("events").findValuesAsText("target_id")).contains(keyId);
        assertThat(ok("audit", "list").out()).startsWith("AT").contains(keyId);
    }

    @Test
    void listsCanBePaged() throws Exception {
        login();
        String team = unique("Paged");
        ok("teams", "create", team);
        for (int i = 0; i < 3; i++) {
            ok("keys", "create", "--name", "paged-" + i, "--team", team);
        }
        JsonNode page = okJson("keys", "list", "--team", team, "--limit", "2");
        assertThat(page.path("keys")).hasSize(2);
        assertThat(page.path("next_offset").asInt()).isEqualTo(2);
        Result text = ok("keys", "list", "--team", team, "--limit", "2");
        assertThat(text.err()).contains("--offset 2");
        assertThat(okJson("keys", "list", "--team", team).path("keys")).hasSize(3);
    }

    @Test
    void thePackagedLauncherOnJava17LogsInCreatesAndListsKeys() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(PackagedCli.JDK17.resolve("bin/java")), "no JDK 17 here");
        java.util.Map<String, String> env = java.util.Map.of("JAVA_HOME", PackagedCli.JDK17.toString());
        PackagedCli.Run login = PackagedCli.run(home, env, CcagTestApp.ADMIN_PASSWORD,
                "--server", server, "auth", "login", "-u", "admin", "--password-stdin");
        assertThat(login.code()).as(login.toString()).isZero();
        assertThat(login.out()).isEmpty();
        PackagedCli.Run create = PackagedCli.run(home, env, "", "keys", "create", "--name", unique("java17"));
        assertThat(create.code()).as(create.toString()).isZero();
        assertThat(create.out()).startsWith("sk-proxy-");
        PackagedCli.Run list = PackagedCli.run(home, env, "", "keys", "list", "-o", "json");
        assertThat(list.code()).as(list.toString()).isZero();
        assertThat(Json.MAPPER.readTree(list.out()).path("keys").findValuesAsText("prefix"))
                .anySatisfy(prefix -> assertThat(create.out()).startsWith(prefix));
        PackagedCli.Run version = PackagedCli.run(home, env, "", "--version");
        assertThat(version.out()).contains("Java 17.");
    }

    @Test
    void aServerThatIsDownIsExit7() throws Exception {
        int port = CommandLineTest.closedPort();
        Result r = cli.runWithStdin("pw", "--server", "http://127.0.0.1:" + port, "auth", "login", "-u", "admin", "--password-stdin");
        assertThat(r.code()).isEqualTo(7);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("cannot reach http://127.0.0.1:" + port).contains("connection refused");
    }

    @Test
    void anUnknownServerIsExit7() {
        Result r = cli.runWithStdin("pw", "--server", "https://ccag.invalid", "auth", "login", "-u", "admin", "--password-stdin");
        assertThat(r.code()).as(r.toString()).isEqualTo(7);
        assertThat(r.err()).contains("cannot reach https://ccag.invalid").contains("unknown host ccag.invalid");
    }

    @Test
    void aServerThatIsNotAGatewayIsReportedAsSuch() throws Exception {
        // A wrong URL that reaches some other web server: it answers 200 with a page, not the API's JSON.
        com.sun.net.httpserver.HttpServer other = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        other.createContext("/", exchange -> {
            byte[] page = "<html><body>Welcome</body></html>".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("content-type", "text/html");
            exchange.sendResponseHeaders(200, page.length);
            exchange.getResponseBody().write(page);
            exchange.close();
        });
        other.start();
        try {
            String url = "http://127.0.0.1:" + other.getAddress().getPort();
            Result r = cli.env("CCAG_TOKEN", "t").run("--server", url, "teams", "list");
            assertThat(r.code()).as(r.toString()).isEqualTo(6);
            assertThat(r.out()).isEmpty();
            assertThat(r.err()).contains("is not JSON").contains("is " + url + " the address of a CCAG gateway?");
        } finally {
            other.stop(0);
        }
    }

    @Test
    void wrongFlagsPrintUsageOnStderrAndNothingIsSent() {
        login();
        Result r = cli.run("keys", "create", "--name", "x", "--rmp", "5");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("Unknown options: '--rmp', '5'").contains("Usage: ccagctl keys create");
    }
}
