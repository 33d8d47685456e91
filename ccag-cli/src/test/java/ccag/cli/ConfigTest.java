package ccag.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ccag.cli.CliRunner.Result;
import ccag.cli.CredentialStore.Session;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The configuration directory, profiles, the credentials file and the session checks made before any request. */
class ConfigTest {
    @TempDir
    Path home;

    private CliRunner cli;

    @BeforeEach
    void setUp() {
        cli = new CliRunner(home);
    }

    private static CliEnvironment envWith(Path home, Map<String, String> vars) {
        return new CliEnvironment(vars, home, java.io.InputStream.nullInputStream(), new PrintWriter(new StringWriter()),
                new PrintWriter(new StringWriter()), Terminal.NONE, Clock.systemUTC(), CliEnvironment.defaultHttpClient());
    }

    @Test
    void configDirIsExplicitThenXdgThenDotConfig() {
        assertThat(ConfigFiles.configDir(envWith(home, Map.of("CCAGCTL_CONFIG_DIR", "/etc/x", "XDG_CONFIG_HOME", "/xdg"))))
                .isEqualTo(Path.of("/etc/x"));
        assertThat(ConfigFiles.configDir(envWith(home, Map.of("XDG_CONFIG_HOME", "/xdg")))).isEqualTo(Path.of("/xdg/ccagctl"));
        // A relative XDG_CONFIG_HOME is invalid per the XDG spec and ignored.
        assertThat(ConfigFiles.configDir(envWith(home, Map.of("XDG_CONFIG_HOME", "rel")))).isEqualTo(home.resolve(".config/ccagctl"));
        assertThat(ConfigFiles.configDir(envWith(home, Map.of()))).isEqualTo(home.resolve(".config/ccagctl"));
        assertThat(ConfigFiles.configDir(envWith(home, Map.of("CCAGCTL_CONFIG_DIR", "  ")))).isEqualTo(home.resolve(".config/ccagctl"));
    }

    @Test
    void filesAreWrittenOwnerOnlyAtomicallyAndWithoutLeftovers() throws Exception {
        Path dir = home.resolve("new/dir");
        Path file = dir.resolve("credentials.json");
        ConfigFiles.writeAtomically(file, "one".getBytes(StandardCharsets.UTF_8));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");

        // A file loosened by hand is replaced by an owner-only one, and a warning was due before.
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(ConfigFiles.permissionProblem(file)).contains("accessible to other users").contains("chmod 600");
        ConfigFiles.writeAtomically(file, "two".getBytes(StandardCharsets.UTF_8));
        assertThat(Files.readString(file)).isEqualTo("two");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(ConfigFiles.permissionProblem(file)).isNull();
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("credentials.json");
        }
    }

    @Test
    void setServerUseProfileAndShow() throws Exception {
        assertThat(cli.run("config", "set-server", "https://ccag.example.com/").code()).isZero();
        assertThat(cli.run("--profile", "staging", "config", "set-server", "http://LOCALHOST:8080").code()).isZero();
        Result use = cli.run("config", "use-profile", "staging");
        assertThat(use.code()).isZero();
        assertThat(use.err()).contains("Current profile: staging");

        JsonNode config = Json.MAPPER.readTree(cli.configDir().resolve("config.json").toFile());
        assertThat(config.path("current_profile").asText()).isEqualTo("staging");
        assertThat(config.path("profiles").path("default").path("server").asText()).isEqualTo("https://ccag.example.com");
        assertThat(config.path("profiles").path("staging").path("server").asText()).isEqualTo("http://localhost:8080");

        Result show = cli.run("config", "show");
        assertThat(show.code()).as(show.toString()).isZero();
        assertThat(show.out()).containsPattern("Current profile:\\s+staging")
                .containsPattern("\\*\\s+staging\\s+http://localhost:8080\\s+not logged in")
                .containsPattern("\\n\\s+default\\s+https://ccag.example.com");

        JsonNode json = Json.MAPPER.readTree(cli.run("config", "show", "-o", "json").out());
        assertThat(json.path("current_profile").asText()).isEqualTo("staging");
        assertThat(json.path("profiles")).hasSize(2);
    }

    @Test
    void setServerRefusesWhatIsNotAnHttpUrl() {
        Result r = cli.run("config", "set-server", "ftp://files.example.com");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("must start with https:// or http://");
        assertThat(cli.configDir().resolve("config.json")).doesNotExist();
    }

    @Test
    void deleteProfileForgetsItsServerAndSession() {
        cli.run("--profile", "old", "config", "set-server", "https://old.example.com");
        new CredentialStore(cli.configDir()).saveSession("old", new Session("https://old.example.com", "admin", "tok", null));
        assertThat(cli.run("config", "delete-profile", "old").code()).isZero();
        assertThat(new CredentialStore(cli.configDir()).session("old")).isEmpty();
        assertThat(new ConfigStore(cli.configDir()).profiles()).doesNotContainKey("old");
        assertThat(cli.run("config", "delete-profile", "old").code()).isEqualTo(4);
    }

    @Test
    void notLoggedInIsExit3WithTheLoginCommand() {
        cli.run("config", "set-server", "https://ccag.example.com");
        Result r = cli.run("keys", "list");
        assertThat(r.code()).isEqualTo(3);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("not logged in to https://ccag.example.com").contains("ccagctl auth login --username USER");
    }

    @Test
    void anExpiredSessionIsRefusedBeforeAnyRequestWithALogInAgainMessage() {
        cli.run("config", "set-server", "https://ccag.example.com");
        new CredentialStore(cli.configDir()).saveSession("default",
                new Session("https://ccag.example.com", "admin", "tok", Instant.parse("2026-01-01T00:00:00Z")));
        Result r = cli.clock(Clock.fixed(Instant.parse("2026-01-02T00:00:00Z"), java.time.ZoneOffset.UTC)).run("keys", "list");
        assertThat(r.code()).isEqualTo(3);
        assertThat(r.err()).contains("your session on https://ccag.example.com expired at 2026-01-01T00:00:00Z")
                .contains("log in again: ccagctl auth login --username admin");
    }

    @Test
    void aSessionIsNeverSentToAnotherServer() {
        cli.run("config", "set-server", "https://ccag.example.com");
        new CredentialStore(cli.configDir()).saveSession("default", new Session("https://ccag.example.com", "admin", "tok", null));
        Result r = cli.run("--server", "https://evil.example.net", "keys", "list");
        assertThat(r.code()).isEqualTo(3);
        assertThat(r.err()).contains("not logged in to https://evil.example.net")
                .contains("the saved session of profile 'default' is for https://ccag.example.com");
    }

    @Test
    void profilesKeepTheirOwnSessionsAndHintsRepeatTheProfile() {
        cli.run("config", "set-server", "https://ccag.example.com");
        cli.run("--profile", "staging", "config", "set-server", "https://staging.example.com");
        new CredentialStore(cli.configDir()).saveSession("default", new Session("https://ccag.example.com", "admin", "tok", null));
        Result r = cli.run("--profile", "staging", "keys", "list");
        assertThat(r.code()).isEqualTo(3);
        assertThat(r.err()).contains("not logged in to https://staging.example.com (profile staging)")
                .contains("ccagctl --profile staging auth login --username USER");
    }

    @Test
    void loginWithoutATerminalAsksForPasswordStdin() {
        Result r = cli.run("--server", "https://ccag.example.com", "auth", "login", "--username", "admin");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("no terminal to ask for the password on").contains("--password-stdin");
        assertThat(cli.credentialsFile()).doesNotExist();
    }

    @Test
    void passwordStdinMustNotBeEmpty() {
        Result r = cli.runWithStdin("\n", "--server", "https://ccag.example.com", "auth", "login", "-u", "admin", "--password-stdin");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("stdin is empty");
    }

    @Test
    void aCorruptConfigFileIsALocalErrorNotACrash() throws Exception {
        Files.createDirectories(cli.configDir());
        Files.writeString(cli.configDir().resolve("config.json"), "{not json");
        Result r = cli.run("keys", "list");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("config.json is not valid JSON").contains("fix it or delete it").doesNotContain("at ccag.");
    }

    @Test
    void theCredentialStoreKeepsSectionsItDoesNotKnow() throws Exception {
        Files.createDirectories(cli.configDir());
        Files.writeString(cli.credentialsFile(), "{\"helper_tokens\":{\"https://x\":{\"token\":\"t\"}}}");
        CredentialStore store = new CredentialStore(cli.configDir());
        store.saveSession("default", new Session("https://x", "admin", "tok", null));
        store.removeSession("default");
        assertThat(Json.MAPPER.readTree(cli.credentialsFile().toFile()).path("helper_tokens").path("https://x").path("token").asText())
                .isEqualTo("t");
    }

    @Test
    void aSessionsToStringNeverShowsTheToken() {
        assertThat(new Session("https://x", "admin", "secret-token", null).toString()).doesNotContain("secret-token");
    }

    @Test
    void anUnreachableServerIsExit7AndNamesWhereTheUrlCameFrom() throws Exception {
        int port = CommandLineTest.closedPort();
        Result r = cli.env("CCAG_SERVER", "http://127.0.0.1:" + port).env("CCAG_TOKEN", "t").run("teams", "list");
        assertThat(r.code()).isEqualTo(7);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("cannot reach http://127.0.0.1:" + port + ": connection refused")
                .contains("the server URL comes from CCAG_SERVER")
                .doesNotContain("Exception").doesNotContain("\tat ");
    }
}
