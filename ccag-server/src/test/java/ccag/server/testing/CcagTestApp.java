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
        // The test's own settings replace the defaults below: the extension applies overrides in no set order.
        java.util.Set<String> given = new java.util.HashSet<>();
        for (ConfigOverride o : extra) {
            if (o instanceof PendingOverride p) {
                given.add(p.key);
            }
        }
        List<ConfigOverride> overrides = new ArrayList<>();
        java.util.function.BiConsumer<String, String> byDefault = (key, value) -> {
            if (!given.contains(key)) {
                overrides.add(ConfigOverride.config(prefix, key, value));
            }
        };
        byDefault.accept("database.url", db.url());
        byDefault.accept("database.user", db.user());
        byDefault.accept("database.password", db.password());
        byDefault.accept("database.maxPoolSize", "8");
        byDefault.accept("server.applicationConnectors[0].port", "0");
        byDefault.accept("server.applicationConnectors[0].bindHost", "127.0.0.1");
        byDefault.accept("server.adminConnectors[0].port", "0");
        byDefault.accept("server.adminConnectors[0].bindHost", "127.0.0.1");
        byDefault.accept("server.requestLog.appenders[0].threshold", "OFF");
        byDefault.accept("logging.level", "WARN");
        byDefault.accept("auth.adminUsername", ADMIN_USERNAME);
        byDefault.accept("auth.adminPassword", ADMIN_PASSWORD);
        byDefault.accept("upstream.mode", "simulator");
        byDefault.accept("upstream.endpoint", "");
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
