package ccag.server.auth.oidc;

import io.dropwizard.lifecycle.Managed;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-fetches IdP discovery documents and signing keys in the background once they reach their maximum
 * age, so no request waits on an IdP for a routine refresh.
 */
public final class KeyRefresher implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(KeyRefresher.class);

    private final IdpRegistry registry;
    private final Duration period;
    private ScheduledExecutorService executor;

    /** {@code period}: how often to look for stale keys (a fraction of their maximum age). */
    public KeyRefresher(IdpRegistry registry, Duration period) {
        this.registry = registry;
        this.period = period;
    }

    @Override
    public void start() {
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "oidc-key-refresh");
            t.setDaemon(true);
            return t;
        });
        long ms = Math.max(1000, period.toMillis());
        executor.scheduleWithFixedDelay(this::runOnce, ms, ms, TimeUnit.MILLISECONDS);
    }

    private void runOnce() {
        try {
            registry.refreshStaleKeys();
        } catch (RuntimeException e) {
            LOG.warn("identity provider key refresh failed: {}", e.toString());
        }
    }

    @Override
    public void stop() {
        if (executor != null) {
            executor.shutdownNow();
        }
    }
}
