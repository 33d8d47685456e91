package ccag.server.auth;

import ccag.server.persistence.KeyDao;
import ccag.server.persistence.UserDao;
import io.dropwizard.lifecycle.Managed;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code last_used_at} of keys and {@code last_seen_at} of users, collected in memory and written in
 * batches, so that authentication on a cache hit stays free of database writes too.
 */
public final class UsageMarks implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(UsageMarks.class);

    private final Jdbi jdbi;
    private final Clock clock;
    private final Duration interval;
    private final Map<UUID, Instant> keys = new ConcurrentHashMap<>();
    private final Map<UUID, Instant> users = new ConcurrentHashMap<>();
    private ScheduledExecutorService flusher;

    public UsageMarks(Jdbi jdbi, Clock clock, Duration interval) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.interval = interval;
    }

    public void used(UUID keyId, UUID userId) {
        Instant now = clock.instant();
        if (keyId != null) {
            keys.put(keyId, now);
        }
        if (userId != null) {
            users.put(userId, now);
        }
    }

    @Override
    public void start() {
        flusher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ccag-usage-marks");
            t.setDaemon(true);
            return t;
        });
        flusher.scheduleWithFixedDelay(this::flush, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        if (flusher != null) {
            flusher.shutdownNow();
        }
        flush();
    }

    public void flush() {
        try {
            List<UUID> keyIds = drain(keys);
            List<UUID> userIds = drain(users);
            if (keyIds.isEmpty() && userIds.isEmpty()) {
                return;
            }
            Instant now = clock.instant();
            jdbi.useTransaction(h -> {
                if (!keyIds.isEmpty()) {
                    h.attach(KeyDao.class).markUsed(keyIds, keyIds.stream().map(k -> now).toList());
                }
                if (!userIds.isEmpty()) {
                    h.attach(UserDao.class).markSeen(userIds, userIds.stream().map(k -> now).toList());
                }
            });
        } catch (RuntimeException e) {
            LOG.warn("Could not record key and user usage: {}", e.toString());
        }
    }

    private static List<UUID> drain(Map<UUID, Instant> m) {
        List<UUID> ids = new ArrayList<>(m.keySet());
        ids.forEach(m::remove);
        return ids;
    }
}
