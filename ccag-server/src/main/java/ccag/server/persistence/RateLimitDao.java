package ccag.server.persistence;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;
import org.jdbi.v3.sqlobject.transaction.Transaction;

/**
 * A sliding 60-second log of admitted requests per key, on the database so that every instance
 * counts the same requests. Admission takes a per-key transaction lock, so two instances never both
 * take the last slot.
 */
public interface RateLimitDao {
    /** The outcome of one admission: {@code admitted}, or the database time at which a slot frees up. */
    record Admission(boolean admitted, Instant retryAt, Instant now) {
    }

    @SqlQuery("SELECT 1 FROM (SELECT pg_advisory_xact_lock(hashtextextended(CAST(:keyId AS text), 7741))) AS locked")
    int lockKey(@Bind("keyId") UUID keyId);

    @SqlQuery("SELECT clock_timestamp()")
    Instant databaseNow();

    @SqlUpdate("DELETE FROM rate_limit_hits WHERE key_id = :keyId AND at <= :cutoff")
    int forget(@Bind("keyId") UUID keyId, @Bind("cutoff") Instant cutoff);

    @SqlQuery("SELECT count(*) FROM rate_limit_hits WHERE key_id = :keyId AND at > :cutoff")
    int count(@Bind("keyId") UUID keyId, @Bind("cutoff") Instant cutoff);

    /** The hit whose leaving the window brings the count under the limit. */
    @SqlQuery("SELECT at FROM rate_limit_hits WHERE key_id = :keyId AND at > :cutoff ORDER BY at OFFSET :skip LIMIT 1")
    Optional<Instant> nthHit(@Bind("keyId") UUID keyId, @Bind("cutoff") Instant cutoff, @Bind("skip") int skip);

    @SqlUpdate("INSERT INTO rate_limit_hits (key_id, at) VALUES (:keyId, :at)")
    void hit(@Bind("keyId") UUID keyId, @Bind("at") Instant at);

    /** Admits one request if fewer than {@code limit} were admitted in the last {@code windowSeconds}. */
    @Transaction
    default Admission admit(UUID keyId, int limit, long windowSeconds) {
        lockKey(keyId);
        Instant now = databaseNow();
        Instant cutoff = now.minusSeconds(windowSeconds);
        forget(keyId, cutoff);
        int count = count(keyId, cutoff);
        if (count < limit) {
            hit(keyId, now);
            return new Admission(true, null, now);
        }
        Instant frees = nthHit(keyId, cutoff, count - limit).orElse(now).plusSeconds(windowSeconds);
        return new Admission(false, frees, now);
    }
}
