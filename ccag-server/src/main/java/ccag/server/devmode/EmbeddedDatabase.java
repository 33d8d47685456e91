package ccag.server.devmode;

import ccag.server.config.StartupException;
import io.dropwizard.lifecycle.Managed;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dev mode's database: real PostgreSQL binaries (zonky) on a persistent data directory, durable
 * (fsync and synchronous commit on, unlike zonky's defaults), recovering from a previous run that
 * was killed.
 */
public final class EmbeddedDatabase implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDatabase.class);
    static final String DATABASE = "ccag";

    private final Path dataDirectory;
    private final EmbeddedPostgres postgres;

    private EmbeddedDatabase(Path dataDirectory, EmbeddedPostgres postgres) {
        this.dataDirectory = dataDirectory;
        this.postgres = postgres;
    }

    /** Starts (initialising on first use) the cluster under {@code dataDir/pgdata} and ensures the {@code ccag} database. */
    public static EmbeddedDatabase start(Path dataDir) {
        Path pgdata = dataDir.toAbsolutePath().resolve("pgdata");
        try {
            Files.createDirectories(dataDir);
            if (!Files.exists(pgdata)) {
                Files.createDirectory(pgdata, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            recoverFromKilledRun(pgdata);
            EmbeddedPostgres pg = EmbeddedPostgres.builder()
                    .setDataDirectory(pgdata)
                    .setCleanDataDirectory(false)
                    // zonky turns these off for speed; a dev database that holds keys must survive a crash.
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("full_page_writes", "on")
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setPGStartupWait(Duration.ofSeconds(30))
                    .start();
            EmbeddedDatabase db = new EmbeddedDatabase(pgdata, pg);
            db.ensureDatabase();
            return db;
        } catch (IOException e) {
            String msg = String.valueOf(e.getMessage());
            if (msg.contains("lock")) {
                throw new StartupException("The embedded database in " + pgdata + " is in use by another CCAG process", e);
            }
            throw new StartupException("Could not start the embedded PostgreSQL in " + pgdata + ": " + rootMessage(e), e);
        } catch (SQLException | RuntimeException e) {
            throw new StartupException("Could not start the embedded PostgreSQL in " + pgdata + ": " + rootMessage(e), e);
        }
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/" + DATABASE;
    }

    public String user() {
        return "postgres";
    }

    public int port() {
        return postgres.getPort();
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    private void ensureDatabase() throws SQLException {
        try (Connection c = postgres.getPostgresDatabase().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            ps.setString(1, DATABASE);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    try (Statement s = c.createStatement()) {
                        s.execute("CREATE DATABASE " + DATABASE);
                    }
                    LOG.info("Created database '{}' in the embedded PostgreSQL", DATABASE);
                }
            }
        }
    }

    /**
     * After a {@code kill -9} the postgres of the previous run may still be alive (pg_ctl detached
     * it) or its pid file may be stale. Stop an orphan that serves this very directory; delete a pid
     * file whose process is gone or is something else.
     */
    static void recoverFromKilledRun(Path pgdata) throws IOException {
        Path pidFile = pgdata.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        List<String> lines = Files.readAllLines(pidFile);
        long pid;
        try {
            pid = lines.isEmpty() ? -1 : Long.parseLong(lines.get(0).trim());
        } catch (NumberFormatException e) {
            pid = -1;
        }
        Optional<ProcessHandle> process = pid > 0 ? ProcessHandle.of(pid) : Optional.empty();
        if (process.isPresent() && isPostgresFor(process.get(), pgdata)) {
            LOG.warn("Stopping PostgreSQL (pid {}) left running by a previous run on {}", pid, pgdata);
            ProcessHandle p = process.get();
            p.destroy();
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (p.isAlive() && System.nanoTime() < deadline) {
                sleep();
            }
            if (p.isAlive()) {
                p.destroyForcibly();
                while (p.isAlive() && System.nanoTime() < deadline + Duration.ofSeconds(5).toNanos()) {
                    sleep();
                }
            }
        }
        if (Files.deleteIfExists(pidFile)) {
            LOG.info("Removed a stale postmaster.pid from {}", pgdata);
        }
    }

    private static boolean isPostgresFor(ProcessHandle p, Path pgdata) {
        ProcessHandle.Info info = p.info();
        String command = info.command().orElse("");
        String line = info.commandLine().orElse(command);
        if (!(command.endsWith("/postgres") || command.endsWith("postgres") || line.contains("postgres"))) {
            return false;
        }
        return line.contains(pgdata.toString()) || info.arguments().isEmpty();
    }

    private static void sleep() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String rootMessage(Throwable t) {
        Throwable r = t;
        while (r.getCause() != null && r.getCause() != r) {
            r = r.getCause();
        }
        return r.getMessage() == null ? r.getClass().getSimpleName() : r.getMessage();
    }

    @Override
    public void start() {
        // started eagerly in start(Path): the data source needs its URL before the lifecycle begins
    }

    @Override
    public void stop() throws IOException {
        postgres.close();
        LOG.info("Embedded PostgreSQL stopped; data kept in {}", dataDirectory);
    }
}
