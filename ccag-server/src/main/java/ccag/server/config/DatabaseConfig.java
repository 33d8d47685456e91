package ccag.server.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.util.Duration;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Where the PostgreSQL database is. {@code url} takes the seed's form
 * ({@code postgres://user:pass@host:5432/db}) as well as {@code jdbc:postgresql:} URLs.
 */
public class DatabaseConfig {
    @JsonProperty
    private String url = "";
    @JsonProperty
    private String user = "";
    @JsonProperty
    private String password = "";
    /** Run pending Liquibase changesets when the server starts (every instance; Liquibase's lock serialises them). */
    @JsonProperty
    private boolean migrateOnStart = true;
    @JsonProperty
    private int maxPoolSize = 32;
    @JsonProperty
    private int minPoolSize = 2;
    @JsonProperty
    private Duration connectTimeout = Duration.seconds(5);

    public String url() {
        return url == null ? "" : url.trim();
    }

    public boolean isConfigured() {
        return !url().isEmpty();
    }

    public void useUrl(String jdbcUrl, String user, String password) {
        this.url = jdbcUrl;
        this.user = user;
        this.password = password;
    }

    public boolean migrateOnStart() {
        return migrateOnStart;
    }

    /** The JDBC coordinates; throws {@link StartupException} with a one-line reason when the URL is unusable. */
    public Coordinates coordinates() {
        String raw = url();
        if (raw.isEmpty()) {
            throw new StartupException("DATABASE_URL is not set: give the PostgreSQL server as postgres://user:password@host:5432/database");
        }
        if (raw.startsWith("jdbc:postgresql:")) {
            return new Coordinates(raw, blankToNull(user), blankToNull(password));
        }
        if (!(raw.startsWith("postgres://") || raw.startsWith("postgresql://"))) {
            throw new StartupException("DATABASE_URL is malformed: expected postgres://user:password@host:5432/database or jdbc:postgresql://…, got "
                    + redact(raw));
        }
        try {
            URI uri = new URI(raw);
            if (uri.getHost() == null || uri.getHost().isEmpty()) {
                throw new StartupException("DATABASE_URL is malformed: no host in " + redact(raw));
            }
            String db = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
            if (db.isEmpty()) {
                throw new StartupException("DATABASE_URL is malformed: no database name in " + redact(raw));
            }
            String u = blankToNull(user);
            String p = blankToNull(password);
            String info = uri.getRawUserInfo();
            if (info != null) {
                int colon = info.indexOf(':');
                u = decode(colon < 0 ? info : info.substring(0, colon));
                p = colon < 0 ? p : decode(info.substring(colon + 1));
            }
            String host = uri.getHost().contains(":") && !uri.getHost().startsWith("[") ? "[" + uri.getHost() + "]" : uri.getHost();
            String jdbc = "jdbc:postgresql://" + host + (uri.getPort() > 0 ? ":" + uri.getPort() : "") + "/" + db
                    + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
            return new Coordinates(jdbc, u, p);
        } catch (URISyntaxException e) {
            throw new StartupException("DATABASE_URL is malformed (" + e.getReason() + "): " + redact(raw));
        }
    }

    /** A Dropwizard data source for these coordinates. */
    public DataSourceFactory dataSourceFactory() {
        Coordinates c = coordinates();
        DataSourceFactory f = new DataSourceFactory();
        f.setDriverClass("org.postgresql.Driver");
        f.setUrl(c.jdbcUrl());
        if (c.user() != null) {
            f.setUser(c.user());
        }
        if (c.password() != null) {
            f.setPassword(c.password());
        }
        f.setMaxSize(maxPoolSize);
        f.setMinSize(minPoolSize);
        f.setInitialSize(minPoolSize);
        f.setMaxWaitForConnection(connectTimeout);
        f.setValidationQuery("/* ccag health */ SELECT 1");
        f.setProperties(Map.of(
                "connectTimeout", Long.toString(Math.max(1, connectTimeout.toSeconds())),
                "ApplicationName", "ccag"));
        return f;
    }

    /** The URL without its password, for log lines and error messages. */
    public static String redact(String url) {
        return url.replaceAll("(://[^:/@]+):[^@/]*@", "$1:***@").replaceAll("(?i)(password=)[^&]*", "$1***");
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    public record Coordinates(String jdbcUrl, String user, String password) {
        @Override
        public String toString() {
            return "Coordinates[" + jdbcUrl + ", user=" + user + "]";
        }
    }
}
