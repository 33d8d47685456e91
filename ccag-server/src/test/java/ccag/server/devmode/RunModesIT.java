package ccag.server.devmode;

import static org.assertj.core.api.Assertions.assertThat;

import ccag.server.testing.ServerProcess;
import ccag.server.testing.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged jar, started as a user starts it, in both modes. */
class RunModesIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Pattern EMBEDDED_PORT = Pattern.compile("embedded PostgreSQL on 127\\.0\\.0\\.1:(\\d+)");

    @TempDir
    Path home;

    private static int healthStatus(int adminPort) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/healthcheck")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private Map<String, String> devEnv(int port, int adminPort) {
        return Map.of("CCAG_DATA_DIR", home.resolve("data").toString(),
                "CCAG_PORT", Integer.toString(port), "CCAG_ADMIN_PORT", Integer.toString(adminPort),
                "CCAG_BIND", "127.0.0.1", "CCAG_ADMIN_BIND", "127.0.0.1", "HOME", home.toString());
    }

    private static int embeddedPort(String output) {
        Matcher m = EMBEDDED_PORT.matcher(output);
        assertThat(m.find()).as("log names the embedded database:\n" + output).isTrue();
        return Integer.parseInt(m.group(1));
    }

    @Test
    void devModeKeepsItsDataAcrossARestartAndAKill9() throws Exception {
        int port = ServerProcess.freePort();
        int adminPort = ServerProcess.freePort();
        try (ServerProcess first = ServerProcess.start(devEnv(port, adminPort), "dev")) {
            first.awaitOutput(o -> o.contains("CCAG started in dev mode"), Duration.ofSeconds(90));
            assertThat(healthStatus(adminPort)).isEqualTo(200);
            int pgPort = embeddedPort(first.output());
            try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + pgPort + "/ccag", "postgres", "");
                 Statement s = c.createStatement()) {
                s.execute("INSERT INTO settings(key, value) VALUES ('survives', '\"yes\"')");
            }
            first.kill9();
        }
        assertThat(Files.exists(home.resolve("data/pgdata/PG_VERSION"))).isTrue();

        try (ServerProcess second = ServerProcess.start(devEnv(port, adminPort), "dev")) {
            second.awaitOutput(o -> o.contains("CCAG started in dev mode"), Duration.ofSeconds(90));
            assertThat(healthStatus(adminPort)).isEqualTo(200);
            int pg2 = embeddedPort(second.output());
            try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + pg2 + "/ccag", "postgres", "");
                 Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT value::text FROM settings WHERE key = 'survives'")) {
                assertThat(rs.next()).as("row written before kill -9 is still there").isTrue();
                assertThat(rs.getString(1)).isEqualTo("\"yes\"");
            }
        }
    }

    @Test
    void serverModeWithoutDatabaseUrlExitsWithOneLine() throws Exception {
        try (ServerProcess p = ServerProcess.start(Map.of("HOME", home.toString()), "server")) {
            assertThat(p.awaitExit(Duration.ofSeconds(60))).isNotZero();
            assertThat(p.output()).contains("ccag: DATABASE_URL is not set").doesNotContain("\tat ");
        }
    }

    @Test
    void serverModeWithMalformedDatabaseUrlExitsWithOneLine() throws Exception {
        try (ServerProcess p = ServerProcess.start(Map.of("DATABASE_URL", "mysql://u:hunter2@h/db", "HOME", home.toString()), "server")) {
            assertThat(p.awaitExit(Duration.ofSeconds(60))).isNotZero();
            assertThat(p.output()).contains("ccag: DATABASE_URL is malformed").doesNotContain("hunter2").doesNotContain("\tat ");
        }
    }

    @Test
    void serverModeWithUnreachableDatabaseExitsWithOneLine() throws Exception {
        int closed = ServerProcess.freePort();
        try (ServerProcess p = ServerProcess.start(Map.of("DATABASE_URL", "postgres://u:p@127.0.0.1:" + closed + "/db",
                "HOME", home.toString()), "server")) {
            assertThat(p.awaitExit(Duration.ofSeconds(60))).isNotZero();
            assertThat(p.output()).contains("ccag: Cannot connect to PostgreSQL at jdbc:postgresql://127.0.0.1:" + closed + "/db")
                    .doesNotContain("\tat ");
        }
    }

    @Test
    void dbStatusWorksAgainstDatabaseUrl() throws Exception {
        TestDatabase.Db db = TestDatabase.fresh();
        String url = db.url().replace("jdbc:postgresql://", "postgres://" + db.user() + ":" + db.password() + "@");
        try (ServerProcess p = ServerProcess.start(Map.of("DATABASE_URL", url, "HOME", home.toString()),
                "db", "status", "classpath:ccag/config.yml")) {
            assertThat(p.awaitExit(Duration.ofSeconds(60))).as(p.output()).isZero();
            assertThat(p.output()).containsPattern("\\d+ changesets? ha(s|ve) not been applied to postgres@jdbc:postgresql://");
        }
    }
}
