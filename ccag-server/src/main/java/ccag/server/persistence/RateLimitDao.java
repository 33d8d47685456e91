package ccag.server.persistence;

import java.time.Instant;
import java.util.UUID;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/**
 * Rate-limit tokens per key, on the database so that every instance draws from the same total.
 * A lease of tokens counts against the limit from its grant until one window after its expiry; each
 * key keeps a running total, and its counter row's lock serialises grants per key
 * ({@code ccag_rate_limit_lease}, migration 005): one round trip per lease, committed without waiting
 * for the WAL flush.
 */
public interface RateLimitDao {
    /**
     * The outcome of one lease request: {@code granted} tokens (0 when refused) under {@code leaseId},
     * or the database time {@code retryAt} at which a token frees up; {@code now} is the database time
     * of the grant.
     */
    record Grant(int granted, Long leaseId, Instant retryAt, Instant now) {
    }

    /**
     * Grants up to {@code want} tokens (at least one if any is free) valid for {@code leaseMillis},
     * after giving back {@code returnTokens} unused tokens of the expired lease {@code returnLease}
     * (null for none).
     */
    @SqlQuery("""
            SELECT granted, lease_id, retry_at, db_now AS now
              FROM ccag_rate_limit_lease(:keyId, :limit, :windowSeconds, :want, :leaseMillis, :returnLease, :returnTokens)
            """)
    @RegisterConstructorMapper(Grant.class)
    Grant lease(@Bind("keyId") UUID keyId, @Bind("limit") int limit, @Bind("windowSeconds") int windowSeconds,
                @Bind("want") int want, @Bind("leaseMillis") int leaseMillis, @Bind("returnLease") Long returnLease,
                @Bind("returnTokens") int returnTokens);
}
