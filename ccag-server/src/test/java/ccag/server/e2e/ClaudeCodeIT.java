package ccag.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ccag.server.testing.Api;
import ccag.server.testing.CcagTestApp;
import ccag.server.testing.ServerProcess;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real Claude Code CLI (npm, pinned version) run headless against the packaged gateway in dev
 * mode (embedded PostgreSQL, built-in Bedrock simulator). Opt-in: {@code ./mvnw -Pclaude-code verify
 * -pl ccag-api-model,ccag-server} (needs Node and npm; the CLI is cached under target/claude-code).
 */
class ClaudeCodeIT {
    private static final String VERSION = System.getProperty("ccag.claudeCode.version", "2.1.330");
    private static final Path CACHE = Path.of(System.getProperty("ccag.claudeCode.dir", "target/claude-code")).toAbsolutePath();
    private static final Pattern EMBEDDED_PORT = Pattern.compile("embedded PostgreSQL on 127\\.0\\.0\\.1:(\\d+)");

    @TempDir
    static Path tmp;

    static ClaudeCodeCli cli;
    static ServerProcess server;
    static Api api;
    static String admin;
    static String jdbcUrl;

    @BeforeAll
    static void start() throws Exception {
        cli = ClaudeCodeCli.install(CACHE, VERSION);
        int port = ServerProcess.freePort();
        int adminPort = ServerProcess.freePort();
        Files.createDirectories(tmp.resolve("server-home"));
        server = ServerProcess.start(Map.of("CCAG_DATA_DIR", tmp.resolve("data").toString(),
                "CCAG_PORT", Integer.toString(port), "CCAG_ADMIN_PORT", Integer.toString(adminPort),
                "CCAG_BIND", "127.0.0.1", "CCAG_ADMIN_BIND", "127.0.0.1",
                "ADMIN_PASSWORD", CcagTestApp.ADMIN_PASSWORD, "HOME", tmp.resolve("server-home").toString()), "dev");
        server.awaitOutput(o -> o.contains("CCAG started in dev mode"), Duration.ofSeconds(120));
        Matcher m = EMBEDDED_PORT.matcher(server.output());
        assertThat(m.find()).as(server.output()).isTrue();
        jdbcUrl = "jdbc:postgresql://127.0.0.1:" + m.group(1) + "/ccag";
        api = new Api(port);
        admin = api.adminToken();
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    /** A new virtual key: {key, id}. One per test, so the ledger rows of a test are its own. */
    private static String[] newKey(String name) {
        Api.Reply r = api.post("/admin/keys", admin, Map.of("name", name));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return new String[] {r.json().path("key").asText(), r.json().path("id").asText()};
    }

    /** A project directory with a probe file, and an empty HOME: a first run on a fresh machine. */
    private static Path project(String probe) throws Exception {
        Path dir = Files.createTempDirectory(tmp, "project");
        Files.writeString(dir.resolve("probe.txt"), probe + "\n");
        return dir;
    }

    private static Map<String, String> env(String... extra) throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("HOME", Files.createTempDirectory(tmp, "home").toString());
        env.put("ANTHROPIC_BASE_URL", api.base());
        env.put("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1");
        env.put("DISABLE_TELEMETRY", "1");
        // Proxy settings also apply to an http:// base URL; keep loopback direct.
        env.put("NO_PROXY", "127.0.0.1");
        // A broken gateway shows up in seconds instead of after ~3 minutes of the default 10 retries.
        env.put("CLAUDE_CODE_MAX_RETRIES", "1");
        for (int i = 0; i + 1 < extra.length; i += 2) {
            env.put(extra[i], extra[i + 1]);
        }
        return env;
    }

    private record LedgerEntry(String modelRequested, String bedrockModelId, boolean streaming, String status, int httpStatus,
                               long inputTokens, long outputTokens, long cacheCreationTokens, long cacheReadTokens) {
    }

    private static List<LedgerEntry> ledger(String keyId) throws Exception {
        try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", "");
             PreparedStatement s = c.prepareStatement("""
                     SELECT model_requested, bedrock_model_id, streaming, status, http_status, input_tokens, output_tokens,
                            cache_creation_tokens, cache_read_tokens
                     FROM spend_ledger WHERE key_id = ? ORDER BY started_at""")) {
            s.setObject(1, UUID.fromString(keyId));
            List<LedgerEntry> rows = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    rows.add(new LedgerEntry(rs.getString(1), rs.getString(2), rs.getBoolean(3), rs.getString(4), rs.getInt(5),
                            rs.getLong(6), rs.getLong(7), rs.getLong(8), rs.getLong(9)));
                }
            }
            return rows;
        }
    }

    /** The key's ledger rows once there are {@code count} of them and none is still open. */
    private static List<LedgerEntry> settledLedger(String keyId, int count) {
        List<List<LedgerEntry>> seen = new ArrayList<>(List.of(List.of()));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            List<LedgerEntry> rows = ledger(keyId);
            seen.set(0, rows);
            assertThat(rows).hasSize(count).noneMatch(e -> e.status().equals("open"));
        });
        return seen.get(0);
    }

    private static void awaitRequestLog(String fragment) {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(server.output()).contains(fragment));
    }

    @Test
    void answersAHeadlessPromptThroughTheGateway() throws Exception {
        String[] key = newKey("cc-prompt");
        ClaudeCodeCli.Run run = cli.run(project("unused"), env("ANTHROPIC_API_KEY", key[0]),
                "-p", "Say hello to the gateway", "--output-format", "json");

        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.isError()).as(run.toString()).isFalse();
        assertThat(run.json().path("terminal_reason").asText()).isEqualTo("completed");
        assertThat(run.result()).as(run.toString())
                .startsWith("Simulated Bedrock (us.anthropic.claude-opus-5-5) received: \"Say hello to the gateway");
        List<LedgerEntry> rows = settledLedger(key[1], 1);
        assertThat(rows.get(0)).extracting(LedgerEntry::modelRequested, LedgerEntry::bedrockModelId, LedgerEntry::streaming,
                LedgerEntry::status, LedgerEntry::httpStatus).containsExactly("claude-opus-5-5", "us.anthropic.claude-opus-5-5", true, "ok", 200);
        assertThat(rows.get(0).inputTokens()).isPositive();
        assertThat(rows.get(0).outputTokens()).isPositive();
        awaitRequestLog("\"POST /v1/messages?beta=true HTTP/1.1\" 200");
        assertThat(server.output()).contains("claude-cli/" + cli.version() + " (external, sdk-cli)");
    }

    @Test
    void completesAReadToolRoundTripWithTheFileContentReachingTheModel() throws Exception {
        String[] key = newKey("cc-read");
        String marker = "MANGO-" + UUID.randomUUID().toString().substring(0, 8);
        Path project = project("probe content: " + marker);
        String prompt = "What does probe.txt say? [[sim:tool_use name=Read input={\"file_path\":\""
                + project.resolve("probe.txt") + "\"}]]";

        ClaudeCodeCli.Run run = cli.run(project, env("ANTHROPIC_API_KEY", key[0]), "-p", prompt, "--output-format", "json");

        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.isError()).as(run.toString()).isFalse();
        assertThat(run.json().path("num_turns").asInt()).isEqualTo(2);
        assertThat(run.json().path("permission_denials")).isEmpty();
        // The simulator quotes the tool_result it received: the file's text went CLI → gateway → Bedrock and back.
        assertThat(run.result()).as(run.toString()).contains("came back").doesNotContain("marked as an error")
                .contains("probe content: " + marker);
        assertThat(settledLedger(key[1], 2)).allSatisfy(e -> {
            assertThat(e.status()).isEqualTo("ok");
            assertThat(e.streaming()).isTrue();
            assertThat(e.modelRequested()).isEqualTo("claude-opus-5-5");
        });
    }

    @Test
    void readingAnImageSendsItBackAsAnImageBlock() throws Exception {
        String[] key = newKey("cc-image");
        Path project = project("unused");
        Path png = project.resolve("pixel.png");
        // A 1x1 RGB PNG.
        Files.write(png, java.util.Base64.getDecoder().decode(
                "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC"));
        ClaudeCodeCli.Run run = cli.run(project, env("ANTHROPIC_API_KEY", key[0]), "-p",
                "Look at it [[sim:tool_use name=Read input={\"file_path\":\"" + png + "\"}]]", "--output-format", "json");

        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.json().path("num_turns").asInt()).isEqualTo(2);
        assertThat(run.result()).as(run.toString()).contains("came back").doesNotContain("marked as an error");
        assertThat(settledLedger(key[1], 2)).extracting(LedgerEntry::status).containsOnly("ok");
    }

    @Test
    void aToolSearchAnswerWithToolReferencesGoesBackToTheModel() throws Exception {
        String[] key = newKey("cc-toolsearch");
        ClaudeCodeCli.Run run = cli.run(project("unused"), env("ANTHROPIC_API_KEY", key[0]), "-p",
                "Find a tool [[sim:tool_use name=ToolSearch input={\"query\":\"select:WebFetch\",\"max_results\":1}]]",
                "--output-format", "json");

        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.json().path("num_turns").asInt()).isEqualTo(2);
        assertThat(run.result()).as(run.toString()).contains("came back").doesNotContain("marked as an error");
        assertThat(settledLedger(key[1], 2)).extracting(LedgerEntry::status).containsOnly("ok");
    }

    @Test
    void aContinuedConversationReadsThePreviousTurnFromThePromptCache() throws Exception {
        String[] key = newKey("cc-continue");
        Path project = project("unused");
        Map<String, String> env = env("ANTHROPIC_API_KEY", key[0]);
        ClaudeCodeCli.Run first = cli.run(project, env, "-p", "first question", "--output-format", "json");
        assertThat(first.exit()).as(first.toString()).isZero();
        ClaudeCodeCli.Run second = cli.run(project, env, "-p", "second question", "--continue", "--output-format", "json");
        assertThat(second.exit()).as(second.toString()).isZero();
        assertThat(second.result()).contains("received: \"second question");

        // The gateway's translation (billing block dropped, role-system message folded) keeps the
        // conversation's prefix byte-stable, so the whole first turn is a cache read in the second.
        List<LedgerEntry> rows = settledLedger(key[1], 2);
        assertThat(rows.get(0).cacheCreationTokens()).isPositive();
        assertThat(rows.get(1).cacheReadTokens()).isEqualTo(rows.get(0).cacheReadTokens() + rows.get(0).cacheCreationTokens());
        assertThat(second.json().path("usage").path("cache_read_input_tokens").asLong()).isEqualTo(rows.get(1).cacheReadTokens());
    }

    @Test
    void aRevokedKeyFailsAtOnceWithTheInvalidApiKeyMessage() throws Exception {
        String[] key = newKey("cc-revoked");
        assertThat(api.post("/admin/keys/" + key[1] + "/revoke", admin, null).status()).isEqualTo(200);

        // Two retries allowed: the gateway's x-should-retry: false must stop the CLI after the first 401.
        ClaudeCodeCli.Run run = cli.run(project("unused"), env("ANTHROPIC_API_KEY", key[0], "CLAUDE_CODE_MAX_RETRIES", "2"),
                "-p", "hello", "--output-format", "json");

        assertThat(run.exit()).as(run.toString()).isEqualTo(1);
        assertThat(run.isError()).isTrue();
        assertThat(run.json().path("api_error_status").asInt()).isEqualTo(401);
        assertThat(run.result()).as(run.toString()).startsWith("Invalid API key");
        assertThat(ledger(key[1])).as("nothing reached Bedrock").isEmpty();
    }

    @Test
    void anApiKeyHelperScriptSuppliesTheKey() throws Exception {
        String[] key = newKey("cc-helper");
        Path helper = tmp.resolve("key-helper-" + UUID.randomUUID() + ".sh");
        Files.writeString(helper, "#!/bin/sh\necho " + key[0] + "\n");
        Files.setPosixFilePermissions(helper, PosixFilePermissions.fromString("rwx------"));

        // apiKeyHelper's value goes out as both x-api-key and Authorization: Bearer.
        ClaudeCodeCli.Run run = cli.run(project("unused"), env(), "-p", "helper says hi",
                "--settings", "{\"apiKeyHelper\":\"" + helper + "\"}", "--output-format", "json");

        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.result()).as(run.toString()).contains("received: \"helper says hi");
        settledLedger(key[1], 1);
    }

    @Test
    void anAuthTokenIsAcceptedAsABearer() throws Exception {
        String[] key = newKey("cc-bearer");
        ClaudeCodeCli.Run run = cli.run(project("unused"), env("ANTHROPIC_AUTH_TOKEN", key[0]),
                "-p", "bearer says hi", "--output-format", "json");

        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.result()).as(run.toString()).contains("received: \"bearer says hi");
        settledLedger(key[1], 1);
    }

    @Test
    void eachModelAliasReachesItsBedrockModel() throws Exception {
        String[] key = newKey("cc-models");
        Map<String, String> expected = Map.of(
                "sonnet", "us.anthropic.claude-sonnet-5-5",
                "haiku", "us.anthropic.claude-haiku-5-5",
                "claude-sonnet-4-5", "us.anthropic.claude-sonnet-4-5-20250929-v1:0");
        for (Map.Entry<String, String> e : expected.entrySet()) {
            ClaudeCodeCli.Run run = cli.run(project("unused"), env("ANTHROPIC_API_KEY", key[0]),
                    "-p", "which model", "--model", e.getKey(), "--output-format", "json");
            assertThat(run.exit()).as(e.getKey() + ": " + run).isZero();
            assertThat(run.result()).as(e.getKey()).startsWith("Simulated Bedrock (" + e.getValue() + ")");
        }
        // One request per run: nothing Claude Code sends by default (max_tokens, thinking, betas) is refused and retried.
        assertThat(settledLedger(key[1], expected.size())).extracting(LedgerEntry::status).containsOnly("ok");
    }

    @Test
    void gatewayModelDiscoveryListsTheGatewaysModels() throws Exception {
        String[] key = newKey("cc-discovery");
        ClaudeCodeCli.Run run = cli.run(project("unused"), env("ANTHROPIC_API_KEY", key[0],
                "CLAUDE_CODE_ENABLE_GATEWAY_MODEL_DISCOVERY", "1"), "-p", "discover", "--output-format", "json");

        assertThat(run.exit()).as(run.toString()).isZero();
        awaitRequestLog("\"GET /v1/models?limit=1000 HTTP/1.1\" 200");
        Api.Reply models = api.call("GET", "/v1/models?limit=1000", null, null, "x-api-key", key[0]);
        List<String> ids = new ArrayList<>();
        models.json().path("data").forEach(m -> ids.add(m.path("id").asText()));
        assertThat(ids).contains("claude-opus-5-5", "claude-sonnet-5-5", "claude-haiku-5-5");
    }

    @Test
    void theContextCommandCountsTokensThroughTheGateway() throws Exception {
        String[] key = newKey("cc-context");
        ClaudeCodeCli.Run run = cli.run(project("unused"), env("ANTHROPIC_API_KEY", key[0]), "-p", "/context", "--output-format", "json");

        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.result()).as(run.toString()).contains("Context Usage");
        awaitRequestLog("\"POST /v1/messages/count_tokens?beta=true HTTP/1.1\" 200");
        assertThat(server.output()).doesNotContainPattern("\"POST /v1/messages/count_tokens\\?beta=true HTTP/1.1\" [45]\\d\\d");
        JsonNode usage = run.json().path("usage");
        assertThat(usage.path("output_tokens").asInt()).as("a local command, no model turn").isZero();
    }
}
