package ccag.server.persistence;

import java.time.Instant;
import java.util.UUID;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/**
 * A sliding 60-second log of admitted requests per key, on the database so that every instance
 * counts the same requests. Admission takes a per-key transaction lock, so two instances never both
 * take the last slot. The whole admission is one statement ({@code ccag_rate_limit_admit}, migration
 * 004): one round trip per request, committed without waiting for the WAL flush.
 */
public interface RateLimitDao {
    /** The outcome of one admission: {@code admitted}, or the database time at which a slot frees up. */
    record Admission(boolean admitted, Instant retryAt, Instant now) {
    }

    /** Admits one request if fewer than {@code limit} were admitted in the last {@code windowSeconds}. */
    @SqlQuery("SELECT admitted, retry_at, db_now AS now FROM ccag_rate_limit_admit(:keyId, :limit, :windowSeconds)")
    @RegisterConstructorMapper(Admission.class)
    Admission admit(@Bind("keyId") UUID keyId, @Bind("limit") int limit, @Bind("windowSeconds") int windowSeconds);
}
