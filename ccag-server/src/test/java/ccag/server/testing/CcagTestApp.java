package ccag.server.testing;

import ccag.server.CcagApplication;
import ccag.server.config.CcagConfiguration;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The whole gateway, booted from the repository's config.yml on a real PostgreSQL and the built-in
 * Bedrock simulator, on random loopback ports. Use as a static {@code @RegisterExtension} field.
 */
public final class CcagTestApp {
    /** The bootstrap admin's password in every test app. */
    public static final String ADMIN_USERNAME = "admin";
    public static final String ADMIN_PASSWORD = "test-admin-password-9f3b7c";

    private static final AtomicInteger PREFIX = new AtomicInteger();

    private CcagTestApp() {
    }

    /** An app on a fresh database of its own; pass extra settings made with {@link #set}. */
    public static DropwizardAppExtension<CcagConfiguration> create(ConfigOverride... extra) {
        return on(TestDatabase.fresh(), extra);
    }

    /** An app on the given database, e.g. to run two instances against one database. */
    public static DropwizardAppExtension<CcagConfiguration> on(TestDatabase.Db db, ConfigOverride... extra) {
        // Each app gets its own system-property prefix, so several apps in one JVM keep their own overrides.
        String prefix = "ccagtest" + PREFIX.incrementAndGet();
        List<ConfigOverride> overrides = new ArrayList<>();
        overrides.add(ConfigOverride.config(prefix, "database.url", db.url()));
        overrides.add(ConfigOverride.config(prefix, "database.user", db.user()));
        overrides.add(ConfigOverride.config(prefix, "database.password", db.password()));
        overrides.add(ConfigOverride.config(prefix, "database.maxPoolSize", "8"));
        overrides.add(ConfigOverride.config(prefix, "server.applicationConnectors[0].port", "0"));
        overrides.add(ConfigOverride.config(prefix, "server.applicationConnectors[0].bindHost", "127.0.0.1"));
        overrides.add(ConfigOverride.config(prefix, "server.adminConnectors[0].port", "0"));
        overrides.add(ConfigOverride.config(prefix, "server.adminConnectors[0].bindHost", "127.0.0.1"));
        overrides.add(ConfigOverride.config(prefix, "server.requestLog.appenders[0].threshold", "OFF"));
        overrides.add(ConfigOverride.config(prefix, "logging.level", "WARN"));
        overrides.add(ConfigOverride.config(prefix, "auth.adminUsername", ADMIN_USERNAME));
        overrides.add(ConfigOverride.config(prefix, "auth.adminPassword", ADMIN_PASSWORD));
        overrides.add(ConfigOverride.config(prefix, "upstream.mode", "simulator"));
        overrides.add(ConfigOverride.config(prefix, "upstream.endpoint", ""));
        for (ConfigOverride o : extra) {
            overrides.add(retarget(o, prefix));
        }
        return new DropwizardAppExtension<>(CcagApplication.class, "classpath:ccag/config.yml",
                prefix, overrides.toArray(ConfigOverride[]::new));
    }

    /** A config override for an app made by this class (they use per-app prefixes; plain overrides use "dw"). */
    public static ConfigOverride set(String key, String value) {
        return new PendingOverride(key, value);
    }

    /** Marker type: the key/value is re-targeted to the app's own prefix in {@link #on}. */
    private static final class PendingOverride extends ConfigOverride {
        private final String key;
        private final String value;

        PendingOverride(String key, String value) {
            this.key = key;
            this.value = value;
        }

        @Override
        public void addToSystemProperties() {
            throw new IllegalStateException("use CcagTestApp.create/on to apply " + key);
        }

        @Override
        public void removeFromSystemProperties() {
        }

        ConfigOverride withPrefix(String prefix) {
            return ConfigOverride.config(prefix, key, value);
        }
    }

    static ConfigOverride retarget(ConfigOverride o, String prefix) {
        return o instanceof PendingOverride p ? p.withPrefix(prefix) : o;
    }
}
