package ccag.server.limits;

import java.time.Duration;
import java.time.Instant;

/**
 * One key's tokens on this instance: the current lease, the last refusal, and the key's recent rate.
 * Pure arithmetic over the instants it is given; {@link RateLimiter} guards it with the key's lock and
 * supplies the time from its clock.
 *
 * <p>A lease is spendable from the instant its request was sent ({@code start}, taken before the
 * database granted it) until {@code start + duration}, never after, and never when the clock reads
 * before {@code start} (a clock stepped back ends the lease rather than lengthening it). Because the
 * database dates the lease's expiry from its own grant, which comes after {@code start}, every token
 * is spent before the expiry the database counts.
 */
final class KeyTokens {
    /** The most that one lease asks for, as a share of the limit: one twentieth. */
    static final int LEASE_SHARE_DIVISOR = 20;
    /** The rate estimate is taken over at least this much time, so one quick pair of requests does not inflate it. */
    static final Duration MIN_RATE_SPAN = Duration.ofMillis(50);

    private Long leaseId;
    private int leased;
    private int left;
    private Instant leaseStart;
    private Instant leaseEnd;

    private Instant refusedAt;
    private Instant refusedUntil;
    private Instant retryAt;

    private double ratePerSecond;

    /** Takes one token of the current lease if it is still valid at {@code now}. */
    boolean take(Instant now) {
        if (left > 0 && spendable(now)) {
            left--;
            return true;
        }
        return false;
    }

    boolean spendable(Instant now) {
        return leaseStart != null && !now.isBefore(leaseStart) && now.isBefore(leaseEnd);
    }

    /**
     * The number of tokens to ask for: 1 while the limit is under {@value #LEASE_SHARE_DIVISOR} × 2,
     * else enough for the key's recent rate over one lease, at most a twentieth of the limit.
     */
    int wanted(int limit, Duration leaseDuration) {
        return wanted(limit, leaseDuration, 0);
    }

    /**
     * The same, but at least enough for the requests already queued behind this one on the instance
     * (a burst arrives before its rate is known), still at most a twentieth of the limit.
     */
    int wanted(int limit, Duration leaseDuration, int waiting) {
        int cap = limit / LEASE_SHARE_DIVISOR;
        if (cap <= 1) {
            return 1;
        }
        double perLease = ratePerSecond * leaseDuration.toNanos() / 1e9;
        return (int) Math.max(1, Math.min(cap, Math.max(Math.ceil(perLease), waiting + 1.0)));
    }

    /** How long a lease of {@code tokens} must stay spendable: none beyond the grant for a single token. */
    static Duration leaseDuration(int tokens, Duration batchDuration) {
        return tokens <= 1 ? Duration.ZERO : batchDuration;
    }

    /** The lease to give back with the next request (its unused tokens), or null when there is nothing to give. */
    Long returnableLease(Instant now) {
        return leaseId != null && left > 0 && !spendable(now) ? leaseId : null;
    }

    int returnableTokens(Instant now) {
        return returnableLease(now) == null ? 0 : left;
    }

    /**
     * A new lease of {@code granted} tokens requested at {@code start}, whose first token admits the
     * request that asked for it (the database's grant is that admission); the rest are spendable until
     * {@code start + duration}. The previous lease is done (its unused tokens were given back with the
     * request). Updates the rate from how fast the previous lease was spent.
     */
    void leased(long id, int granted, Instant start, Duration duration) {
        if (leaseStart != null) {
            int used = leased - left;
            Duration span = Duration.between(leaseStart, start);
            if (span.compareTo(MIN_RATE_SPAN) < 0) {
                span = MIN_RATE_SPAN;
            }
            double observed = used * 1e9 / span.toNanos();
            ratePerSecond = ratePerSecond == 0 ? observed : (ratePerSecond + observed) / 2;
        }
        leaseId = id;
        leased = granted;
        left = granted - 1;
        leaseStart = start;
        leaseEnd = start.plus(duration);
        refusedAt = null;
        refusedUntil = null;
        retryAt = null;
    }

    /**
     * The database refused at {@code start}: a token frees up {@code untilFree} later. The previous lease
     * is done. The refusal is repeated from memory until {@code memory} has passed (or the token frees up,
     * if sooner), so a burst on one key costs one database round trip per {@code memory}, not one per request.
     */
    void refused(Instant start, Duration untilFree, Duration memory) {
        leaseId = null;
        leased = 0;
        left = 0;
        leaseStart = null;
        leaseEnd = null;
        refusedAt = start;
        retryAt = start.plus(untilFree);
        Instant remembered = start.plus(memory);
        refusedUntil = remembered.isBefore(retryAt) ? remembered : retryAt;
    }

    /** Whole seconds to wait if a refusal remembered at {@code now} still stands, else -1. */
    long rememberedRefusal(Instant now) {
        if (refusedAt == null || now.isBefore(refusedAt) || !now.isBefore(refusedUntil)) {
            return -1;
        }
        return retryAfterSeconds(Duration.between(now, retryAt));
    }

    /** {@code retry-after} for a wait: whole seconds rounded up, at least 1. */
    static long retryAfterSeconds(Duration wait) {
        long millis = Math.max(0, wait.toMillis());
        return Math.max(1, (millis + 999) / 1000);
    }

    double ratePerSecond() {
        return ratePerSecond;
    }

    int left() {
        return left;
    }
}
