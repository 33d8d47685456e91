package ccag.server.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * One PostgreSQL server per test JVM, and a fresh database on it for each caller (a test class).
 * Resolution: {@code CCAG_TEST_DB_URL} (with {@code CCAG_TEST_DB_USER}/{@code CCAG_TEST_DB_PASSWORD})
 * if set; else Testcontainers if a Docker engine answers; else embedded PostgreSQL (zonky), which
 * needs nothing installed. Force one with {@code -Dccag.test.db=external|docker|embedded}.
 */
public final class TestDatabase {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static Server server;

    private TestDatabase() {
    }

    /** JDBC coordinates of one database. */
    public record Db(String url, String user, String password) {
    }

    private record Server(String host, int port, String adminDatabase, String user, String password, String kind) {
        String url(String database) {
            return "jdbc:postgresql://" + host + ":" + port + "/" + database;
        }
    }

    /** A new, empty database on the shared server. */
    public static Db fresh() {
        Server s = server();
        String name = "ccag_t" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
        try (Connection c = DriverManager.getConnection(s.url(s.adminDatabase()), s.user(), s.password());
             Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create test database on " + s.kind() + " PostgreSQL: " + e.getMessage(), e);
        }
        return new Db(s.url(name), s.user(), s.password());
    }

    /** Which kind of server is in use (external, docker, embedded). */
    public static String kind() {
        return server().kind();
    }

    private static synchronized Server server() {
        if (server == null) {
            server = resolve();
        }
        return server;
    }

    private static Server resolve() {
        String forced = System.getProperty("ccag.test.db", "").toLowerCase(Locale.ROOT);
        String externalUrl = System.getenv("CCAG_TEST_DB_URL");
        if (forced.equals("external") || (forced.isEmpty() && externalUrl != null && !externalUrl.isBlank())) {
            return external(externalUrl);
        }
        if (forced.equals("docker") || (forced.isEmpty() && dockerAvailable())) {
            return docker();
        }
        return embedded();
    }

    private static Server external(String url) {
        if (url == null || !url.startsWith("jdbc:postgresql://")) {
            throw new IllegalStateException("CCAG_TEST_DB_URL must be a jdbc:postgresql:// URL, got " + url);
        }
        String rest = url.substring("jdbc:postgresql://".length());
        int slash = rest.indexOf('/');
        String hostPort = slash < 0 ? rest : rest.substring(0, slash);
        String db = slash < 0 ? "postgres" : rest.substring(slash + 1).replaceAll("\\?.*", "");
        int colon = hostPort.lastIndexOf(':');
        String host = colon < 0 ? hostPort : hostPort.substring(0, colon);
        int port = colon < 0 ? 5432 : Integer.parseInt(hostPort.substring(colon + 1));
        return new Server(host, port, db.isEmpty() ? "postgres" : db,
                envOr("CCAG_TEST_DB_USER", "postgres"), envOr("CCAG_TEST_DB_PASSWORD", ""), "external");
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    @SuppressWarnings("resource")
    private static Server docker() {
        PostgreSQLContainer pg = new PostgreSQLContainer("postgres:17-alpine");
        pg.start();
        Runtime.getRuntime().addShutdownHook(new Thread(pg::stop, "test-postgres-stop"));
        return new Server(pg.getHost(), pg.getFirstMappedPort(), pg.getDatabaseName(), pg.getUsername(), pg.getPassword(), "docker");
    }

    private static Server embedded() {
        try {
            EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    pg.close();
                } catch (Exception ignored) {
                    // the JVM is exiting
                }
            }, "test-postgres-stop"));
            return new Server("127.0.0.1", pg.getPort(), "postgres", "postgres", "", "embedded");
        } catch (Exception e) {
            throw new IllegalStateException("could not start embedded PostgreSQL for tests: " + e.getMessage(), e);
        }
    }

    private static String envOr(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
