package ccag.server.auth.oidc;

import ccag.api.Role;
import ccag.server.audit.AuditLog;
import ccag.server.errors.Forbidden;
import ccag.server.persistence.Notifications;
import ccag.server.persistence.UserDao;
import ccag.server.persistence.UserRow;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Jdbi;

/**
 * Maps a verified IdP identity to its gateway user: the user with that IdP's id and that {@code sub},
 * never a user of another IdP and never the local bootstrap admin. Creates it on first sign-in when the
 * IdP auto-provisions; refuses it when its e-mail domain is not allowed or it is deactivated. Lookups
 * are cached briefly and dropped on the user-change signal, so a deactivation applies on every
 * instance at once.
 */
public final class OidcAccounts implements LoginAccounts, Notifications.Listener {
    private record Key(UUID idpId, String subject) {
    }

    private record Cached(UserRow user, Instant loadedAt) {
    }

    private final Jdbi jdbi;
    private final AuditLog audit;
    private final Clock clock;
    private final Duration cacheTtl;
    private final Map<Key, Cached> cache = new ConcurrentHashMap<>();

    public OidcAccounts(Jdbi jdbi, AuditLog audit, Clock clock, Duration cacheTtl) {
        this.jdbi = jdbi;
        this.audit = audit;
        this.clock = clock;
        this.cacheTtl = cacheTtl;
    }

    @Override
    public UUID admit(VerifiedToken token) {
        return user(token).id();
    }

    /** The active user behind a verified token; throws {@link Forbidden} when it may not sign in. */
    public UserRow user(VerifiedToken token) {
        Idp idp = token.idp();
        if (!idp.allowedDomains().isEmpty()
                && (!idp.allowsEmail(token.email()) || Boolean.FALSE.equals(token.emailVerified()))) {
            throw new Forbidden("Sign-in through " + idp.name() + " is limited to e-mail addresses of "
                    + String.join(", ", idp.allowedDomains()) + (token.email() == null ? "; the token carries no email claim"
                    : Boolean.FALSE.equals(token.emailVerified()) ? "; the IdP reports this e-mail as unverified" : ""));
        }
        Key key = new Key(idp.id(), token.subject());
        Instant now = clock.instant();
        Cached c = cache.get(key);
        UserRow user;
        if (c != null && now.isBefore(c.loadedAt().plus(cacheTtl))) {
            user = c.user();
        } else {
            user = load(idp, token).orElseThrow(() -> new Forbidden("There is no CCAG account for this identity (" + idp.name()
                    + ", subject '" + token.subject() + "'): an admin must create the user"));
            cache.put(key, new Cached(user, now));
        }
        if (!user.active()) {
            throw new Forbidden("Your account has been deactivated");
        }
        return user;
    }

    private Optional<UserRow> load(Idp idp, VerifiedToken token) {
        Optional<UserRow> existing = jdbi.withExtension(UserDao.class, d -> d.findByIdentity(idp.id(), token.subject()));
        if (existing.isPresent() || !idp.autoProvision()) {
            return existing;
        }
        UUID id = UUID.randomUUID();
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        Role role = idp.defaultRole();
        return jdbi.inTransaction(h -> {
            // Two instances may see the first sign-in at once: the unique (idp_id, subject) decides, and both read the winner.
            int inserted = h.createUpdate("""
                            INSERT INTO users (id, idp_id, subject, email, role, active, created_at)
                            VALUES (:id, :idpId, :subject, :email, :role, true, :now)
                            ON CONFLICT (idp_id, subject) DO NOTHING
                            """)
                    .bind("id", id).bind("idpId", idp.id()).bind("subject", token.subject())
                    .bind("email", token.email()).bind("role", role.wireName()).bind("now", now)
                    .execute();
            if (inserted == 1) {
                audit.record(h, AuditLog.Actor.system("oidc:" + idp.name()), "user.provision", "user", id,
                        Map.of("subject", token.subject(), "idp_id", idp.id().toString(), "role", role.wireName()));
            }
            return h.attach(UserDao.class).findByIdentity(idp.id(), token.subject());
        });
    }

    @Override
    public void onMessage(String payload) {
        if (payload.startsWith("user:")) {
            String id = payload.substring(5);
            cache.values().removeIf(c -> c.user().id().toString().equals(id));
        } else {
            cache.clear();
        }
    }

    @Override
    public void onResync() {
        cache.clear();
    }

    /** Drops every cached lookup of one user (after a change made on this instance). */
    public void invalidateUser(UUID userId) {
        cache.values().removeIf(c -> c.user().id().equals(userId));
    }
}
