package ccag.server.auth.session;

import ccag.server.auth.CredentialAuthenticator;
import ccag.server.auth.CredentialCache;
import ccag.server.auth.Secrets;
import ccag.server.auth.Surface;
import ccag.server.auth.UsageMarks;
import ccag.server.auth.principal.Caller;
import ccag.server.errors.Forbidden;
import ccag.server.persistence.ChangeDao;
import ccag.server.persistence.SessionDao;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * Session tokens: {@code ccag-session-} and 64 hex digits (256 random bits), stored only as a
 * SHA-256 hash, valid on /v1, /auth and /admin until they expire or are revoked (logout, user
 * deactivated or deleted). Issued by password login now and by browser logins later.
 */
public final class Sessions implements CredentialAuthenticator {
    public static final String PREFIX = "ccag-session-";
    static final int HEX_CHARS = 64;

    /** A newly issued token: shown once to its holder. */
    public record Issued(String token, UUID id, Instant expiresAt) {
        @Override
        public String toString() {
            return "Issued[id=" + id + ", token=***, expiresAt=" + expiresAt + "]";
        }
    }

    private final Jdbi jdbi;
    private final CredentialCache cache;
    private final UsageMarks usage;
    private final Clock clock;
    private final SecureRandom random;
    private final Duration ttl;

    public Sessions(Jdbi jdbi, CredentialCache cache, UsageMarks usage, Clock clock, SecureRandom random, Duration ttl) {
        this.jdbi = jdbi;
        this.cache = cache;
        this.usage = usage;
        this.clock = clock;
        this.random = random;
        this.ttl = ttl;
    }

    @Override
    public Optional<Caller> authenticate(String credential, Surface surface) {
        if (!Secrets.hasShape(credential, PREFIX, HEX_CHARS)) {
            return Optional.empty();
        }
        CredentialCache.Entry e = cache.get(Secrets.sha256(credential), CredentialCache.Kind.SESSION,
                hash -> jdbi.withExtension(SessionDao.class, d -> d.findForAuthentication(hash)));
        if (!e.known() || e.revoked() || !clock.instant().isBefore(e.expiresAt())) {
            return Optional.empty();
        }
        if (!e.userActive()) {
            throw new Forbidden("Your account has been deactivated");
        }
        usage.used(null, e.userId());
        return Optional.of(e.caller());
    }

    /** Issues a session for {@code userId} (the caller has already proven who it is). */
    public Issued issue(UUID userId, String clientAddress) {
        String token = PREFIX + Secrets.randomHex(random, HEX_CHARS / 2);
        UUID id = UUID.randomUUID();
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        Instant expires = now.plus(ttl).truncatedTo(ChronoUnit.SECONDS);
        jdbi.useExtension(SessionDao.class, d -> d.insert(id, Secrets.sha256(token), userId, now, expires, clientAddress));
        return new Issued(token, id, expires);
    }

    /** Revokes one session, here at once and on every instance through the change channel. */
    public void revoke(UUID sessionId) {
        Instant now = clock.instant();
        jdbi.useTransaction(h -> {
            if (h.attach(SessionDao.class).revoke(sessionId, now) > 0) {
                h.attach(ChangeDao.class).publish(CredentialCache.CHANNEL, "session:" + sessionId);
            }
        });
        cache.invalidateSession(sessionId);
    }

    /** Deletes sessions dead for more than a day. */
    public int purge() {
        Instant before = clock.instant().minus(Duration.ofDays(1));
        return jdbi.withExtension(SessionDao.class, d -> d.deleteDead(before));
    }
}
