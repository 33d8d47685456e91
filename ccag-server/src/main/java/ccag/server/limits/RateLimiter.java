package ccag.server.limits;

import ccag.server.auth.principal.Caller;
import ccag.server.errors.Overloaded;
import ccag.server.errors.RateLimited;
import ccag.server.persistence.RateLimitDao;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.jdbi.v3.core.Jdbi;

/**
 * Per-key {@code rate_limit_rpm}: at most N requests admitted in any 60-second window, counted across
 * every instance on the database. 0 means unlimited, and callers without a key (sessions, OIDC tokens)
 * have no per-key limit.
 *
 * <p><b>How.</b> An instance admits from a <em>lease</em>: a batch of tokens granted by PostgreSQL
 * ({@code ccag_rate_limit_lease}, migration 005). The grant's first token admits the request that
 * asked for it, at the grant; the others may be spent by later requests on the same instance for
 * {@link Settings#leaseDuration} (2 s) from the moment it asked. The batch is 1 token, a lease that
 * expires at its grant, while N &lt; 40; above that it is sized to the key's recent rate on this instance
 * over one lease, at most N/20. The database counts every lease in full, spent or not, from its grant
 * until one window (60 s) after its expiry, and grants only while the key's running total of counted
 * tokens stays at or under N. Unused tokens of an expired lease are given back with the instance's
 * next lease request for that key. A request without a spendable token waits on the key's in-process
 * lock, so at most one connection per key per instance is ever busy with admission; the fast path (a
 * token of the current lease) touches no database.
 *
 * <p><b>Guarantee.</b> In any 60-second interval of database time, the requests admitted for a key
 * by all instances together number at most N. (Take the leases that admitted a request in the
 * interval; when the last of them was granted, each of the others had been granted earlier and
 * expired no earlier than its request in the interval, less than 60 s before that grant, so all were
 * still counted, with at least the tokens they spent, and the total granted was at most N.) It rests
 * on the instances' clocks running at the database's rate over one lease (the lease is timed locally
 * from before the grant, so it ends no later than the expiry the database recorded), and on
 * PostgreSQL not crashing: grants commit without waiting for the WAL flush, so a database crash can
 * forget the last fraction of a second of grants.
 *
 * <p><b>What it costs callers.</b> Tokens leased but unspent count as used until given back (at the
 * instance's next lease for the key) or until their lease leaves the window, so a key used in bursts
 * on several instances can be refused slightly before N: by at most N/20 tokens per instance. A refusal
 * is remembered on the instance for up to {@link Settings#refusalMemory} (and never past the moment a
 * token frees up), so a burst over the limit costs one database round trip per key and instance per
 * {@code refusalMemory} rather than one per request. Refusals are 429 {@code rate_limit_error} with
 * {@code retry-after} (whole seconds until a token frees up: at most 60, or 62 after a batch lease) and {@code x-should-retry: true}. A request
 * that waited {@link Settings#maxQueueWait} for its key's lock (the database is slow or the burst is
 * long) is answered 529 {@code overloaded_error} with {@code retry-after}.
 *
 * <p>The proxy calls {@link #admit(Caller)} once per {@code /v1} request, after authentication and
 * before the upstream call.
 */
public final class RateLimiter {
    public static final Duration WINDOW = Duration.ofSeconds(60);

    /**
     * @param leaseDuration how long an instance may spend a lease: long enough that a busy key needs few
     *                      round trips, short enough that unspent tokens come back soon
     * @param refusalMemory how long a refusal is repeated without asking the database again
     * @param maxQueueWait  the longest a request waits for its key's lock before a 529
     */
    public record Settings(Duration leaseDuration, Duration refusalMemory, Duration maxQueueWait) {
        public static Settings defaults() {
            return new Settings(Duration.ofSeconds(2), Duration.ofMillis(250), Duration.ofSeconds(5));
        }
    }

    private final Jdbi jdbi;
    private final Clock clock;
    private final Settings settings;
    private final Duration window;
    private final Map<UUID, Key> keys = new ConcurrentHashMap<>();

    private static final class Key {
        final ReentrantLock lock = new ReentrantLock(true);
        /** Requests of this key being admitted on this instance now: the size of a burst before its rate is known. */
        final java.util.concurrent.atomic.AtomicInteger admitting = new java.util.concurrent.atomic.AtomicInteger();
        final KeyTokens tokens = new KeyTokens();
    }

    public RateLimiter(Jdbi jdbi, Clock clock, Settings settings) {
        this(jdbi, clock, settings, WINDOW);
    }

    /** With a window other than 60 s: for tests of the window's arithmetic on the database. */
    RateLimiter(Jdbi jdbi, Clock clock, Settings settings, Duration window) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.settings = settings;
        this.window = window;
    }

    /**
     * Admits one request of {@code caller}, or throws {@link RateLimited} (429, {@code retry-after} in
     * whole seconds until a token frees up, {@code x-should-retry: true}) or {@link Overloaded} (529).
     */
    public void admit(Caller caller) {
        if (caller.keyId() == null || caller.rateLimitRpm() <= 0) {
            return;
        }
        int limit = caller.rateLimitRpm();
        Key key = keys.computeIfAbsent(caller.keyId(), id -> new Key());
        key.admitting.incrementAndGet();
        try {
            admit(caller, limit, key);
        } finally {
            key.admitting.decrementAndGet();
        }
    }

    private void admit(Caller caller, int limit, Key key) {
        KeyTokens t = key.tokens;
        // Fast path: a token of the current lease, without queueing on the key's lock (a burst would
        // otherwise hand the lock from thread to thread once per request).
        synchronized (t) {
            if (t.take(clock.instant())) {
                return;
            }
        }
        try {
            if (!key.lock.tryLock(settings.maxQueueWait().toNanos(), TimeUnit.NANOSECONDS)) {
                throw new Overloaded("The gateway is overloaded: too many requests are waiting for this key's rate limit. "
                        + "Retry shortly.", 1);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Overloaded("The gateway is shutting down. Retry shortly.", 1);
        }
        try {
            Instant now = clock.instant();
            int want;
            Long giveBack;
            int giveBackTokens;
            synchronized (t) {
                if (t.take(now)) {
                    return;
                }
                long remembered = t.rememberedRefusal(now);
                if (remembered > 0) {
                    throw refusal(limit, remembered);
                }
                want = t.wanted(limit, settings.leaseDuration(), key.admitting.get() - 1);
                giveBack = t.returnableLease(now);
                giveBackTokens = t.returnableTokens(now);
            }
            Duration leaseFor = KeyTokens.leaseDuration(want, settings.leaseDuration());
            RateLimitDao.Grant g = jdbi.withExtension(RateLimitDao.class, d -> d.lease(caller.keyId(), limit,
                    (int) window.toSeconds(), want, (int) leaseFor.toMillis(), giveBack, giveBackTokens));
            synchronized (t) {
                if (g.granted() > 0) {
                    t.leased(g.leaseId(), g.granted(), now, leaseFor); // the grant admits this request
                    return;
                }
                Duration untilFree = Duration.between(g.now(), g.retryAt());
                t.refused(now, untilFree, settings.refusalMemory());
                throw refusal(limit, KeyTokens.retryAfterSeconds(untilFree));
            }
        } finally {
            key.lock.unlock();
        }
    }

    private static RateLimited refusal(int limit, long seconds) {
        return new RateLimited("Rate limit exceeded: this key allows " + limit + " requests per minute. Retry after "
                + seconds + " seconds.", seconds, true, Map.of("x-ratelimit-limit-requests", Integer.toString(limit)));
    }
}
