package ccag.server.limits;

import ccag.server.auth.principal.Caller;
import ccag.server.errors.RateLimited;
import ccag.server.persistence.RateLimitDao;
import java.time.Duration;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/**
 * Per-key {@code rate_limit_rpm}: at most N requests in any 60-second window, counted across every
 * instance (PostgreSQL holds the window; admission is serialised per key). 0 means unlimited, and
 * callers without a key (sessions, OIDC tokens) have no per-key limit.
 *
 * <p>The proxy calls {@link #admit(Caller)} once per {@code /v1} request, after authentication and
 * before the upstream call.
 */
public final class RateLimiter {
    public static final Duration WINDOW = Duration.ofSeconds(60);

    private final Jdbi jdbi;

    public RateLimiter(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /**
     * Admits one request of {@code caller}, or throws {@link RateLimited} (429, {@code retry-after} in
     * whole seconds until a slot frees up, {@code x-should-retry: true}).
     */
    public void admit(Caller caller) {
        if (caller.keyId() == null || caller.rateLimitRpm() <= 0) {
            return;
        }
        int limit = caller.rateLimitRpm();
        RateLimitDao.Admission a = jdbi.withExtension(RateLimitDao.class, d -> d.admit(caller.keyId(), limit, WINDOW.toSeconds()));
        if (!a.admitted()) {
            long millis = Duration.between(a.now(), a.retryAt()).toMillis();
            long seconds = Math.max(1, (millis + 999) / 1000);
            throw new RateLimited("Rate limit exceeded: this key allows " + limit + " requests per minute. Retry after "
                    + seconds + " seconds.", seconds, true, Map.of("x-ratelimit-limit-requests", Integer.toString(limit)));
        }
    }
}
