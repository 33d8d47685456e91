package ccag.server.persistence;

import ccag.server.errors.Overloaded;
import ccag.server.errors.Unavailable;
import io.dropwizard.db.ManagedDataSource;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import org.apache.tomcat.jdbc.pool.PoolExhaustedException;

/**
 * The pool as JDBI sees it, with the two ways of not getting a connection turned into retryable
 * answers where they happen: a pool with no free connection within its wait time becomes
 * {@link Overloaded} (529, {@code retry-after}), a database that cannot be reached becomes
 * {@link Unavailable} (503, {@code retry-after}). JDBI passes unchecked exceptions from the data source
 * through unchanged, so every request path answers them instead of a 500; the error mappers log each
 * once. Any other failure is passed on as it is.
 */
public final class GuardedDataSource implements ManagedDataSource {
    /** Seconds a client should wait after a pool timeout: connections come back within milliseconds. */
    static final long OVERLOADED_RETRY_SECONDS = 1;
    /** Seconds after an unreachable database: a restart or fail-over takes seconds. */
    static final long UNAVAILABLE_RETRY_SECONDS = 5;

    private final ManagedDataSource pool;

    public GuardedDataSource(ManagedDataSource pool) {
        this.pool = pool;
    }

    @Override
    public Connection getConnection() throws SQLException {
        try {
            return pool.getConnection();
        } catch (SQLException e) {
            throw translate(e);
        }
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        try {
            return pool.getConnection(username, password);
        } catch (SQLException e) {
            throw translate(e);
        }
    }

    /** The retryable answer for a connection that could not be had, or {@code e} itself. */
    static SQLException translate(SQLException e) {
        if (e instanceof PoolExhaustedException) {
            throw new Overloaded("The gateway is overloaded: no database connection became free in time. Retry shortly.",
                    OVERLOADED_RETRY_SECONDS);
        }
        // SQLSTATE class 08: connection exception (refused, timed out, reset while connecting)
        if (e.getSQLState() != null && e.getSQLState().startsWith("08")) {
            throw new Unavailable("The gateway's database cannot be reached. Retry shortly.", UNAVAILABLE_RETRY_SECONDS);
        }
        return e;
    }

    @Override
    public void start() throws Exception {
        pool.start();
    }

    @Override
    public void stop() throws Exception {
        pool.stop();
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return pool.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        pool.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        pool.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return pool.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return pool.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return iface.isInstance(this) ? iface.cast(this) : pool.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(this) || pool.isWrapperFor(iface);
    }
}
