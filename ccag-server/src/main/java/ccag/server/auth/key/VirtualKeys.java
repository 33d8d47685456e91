package ccag.server.auth.key;

import ccag.api.CreateKeyRequest;
import ccag.api.CreatedKey;
import ccag.api.KeyList;
import ccag.api.KeyView;
import ccag.server.audit.AuditLog;
import ccag.server.auth.CredentialAuthenticator;
import ccag.server.auth.CredentialCache;
import ccag.server.auth.Secrets;
import ccag.server.auth.Surface;
import ccag.server.auth.UsageMarks;
import ccag.server.auth.principal.Caller;
import ccag.server.errors.Forbidden;
import ccag.server.errors.InvalidRequest;
import ccag.server.errors.NotFound;
import ccag.server.persistence.ChangeDao;
import ccag.server.persistence.KeyDao;
import ccag.server.persistence.KeyRow;
import ccag.server.persistence.TeamDao;
import ccag.server.persistence.UserDao;
import ccag.server.persistence.UserRow;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * Tier 2: virtual keys. A key is {@code sk-proxy-} and 64 hex digits (256 random bits); only its
 * SHA-256 and its display prefix (the first 13 characters, as in the auth guide) are stored.
 *
 * <p>Rules: members create keys for themselves only, list and show their own, revoke and delete
 * their own; admins do all of it for anyone. A key without {@code user_id} created by an admin
 * belongs to no user (a team or CI key); its callers have the member role.
 */
public final class VirtualKeys implements CredentialAuthenticator {
    public static final String PREFIX = "sk-proxy-";
    static final int HEX_CHARS = 64;
    static final int DISPLAY_PREFIX = PREFIX.length() + 4;

    private final Jdbi jdbi;
    private final CredentialCache cache;
    private final UsageMarks usage;
    private final AuditLog audit;
    private final Clock clock;
    private final SecureRandom random;

    public VirtualKeys(Jdbi jdbi, CredentialCache cache, UsageMarks usage, AuditLog audit, Clock clock, SecureRandom random) {
        this.jdbi = jdbi;
        this.cache = cache;
        this.usage = usage;
        this.audit = audit;
        this.clock = clock;
        this.random = random;
    }

    // --- authentication -------------------------------------------------------------------------

    @Override
    public Optional<Caller> authenticate(String credential, Surface surface) {
        if (!surface.acceptsVirtualKeys() || !Secrets.hasShape(credential, PREFIX, HEX_CHARS)) {
            return Optional.empty();
        }
        CredentialCache.Entry e = cache.get(Secrets.sha256(credential), CredentialCache.Kind.KEY,
                hash -> jdbi.withExtension(KeyDao.class, d -> d.findForAuthentication(hash)));
        if (!e.known() || e.revoked() || (e.expiresAt() != null && !clock.instant().isBefore(e.expiresAt()))) {
            return Optional.empty();
        }
        if (!e.userActive()) {
            throw new Forbidden("The user of this key is deactivated");
        }
        usage.used(e.keyId(), e.userId());
        return Optional.of(e.caller());
    }

    // --- management -----------------------------------------------------------------------------

    public CreatedKey create(Caller caller, AuditLog.Actor actor, CreateKeyRequest req) {
        UUID userId = req.userId();
        if (!caller.isAdmin()) {
            if (userId != null && !userId.equals(caller.userId())) {
                throw new Forbidden("Members create keys for themselves only: leave user_id out");
            }
            userId = caller.userId();
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        if (req.expiresAt() != null && !req.expiresAt().isAfter(now)) {
            throw new InvalidRequest("expires_at must be in the future", "expires_at");
        }
        int rpm = req.rateLimitRpm() == null ? 0 : req.rateLimitRpm();
        if (rpm < 0 || rpm > 1_000_000) {
            throw new InvalidRequest("rate_limit_rpm must be between 0 (unlimited) and 1000000", "rate_limit_rpm");
        }
        String name = req.name().strip();
        String secret = PREFIX + Secrets.randomHex(random, HEX_CHARS / 2);
        String prefix = secret.substring(0, DISPLAY_PREFIX);
        UUID id = UUID.randomUUID();
        UUID owner = userId;
        Instant expires = req.expiresAt() == null ? null : req.expiresAt().truncatedTo(ChronoUnit.MICROS);
        jdbi.useTransaction(h -> {
            if (owner != null) {
                UserRow u = h.attach(UserDao.class).find(owner)
                        .orElseThrow(() -> new InvalidRequest("user_id: no user " + owner, "user_id"));
                if (!caller.isAdmin() && req.teamId() != null && !req.teamId().equals(u.teamId())) {
                    throw new Forbidden("Members may only charge keys to their own team");
                }
            }
            if (req.teamId() != null && h.attach(TeamDao.class).find(req.teamId()).isEmpty()) {
                throw new InvalidRequest("team_id: no team " + req.teamId(), "team_id");
            }
            h.attach(KeyDao.class).insert(id, Secrets.sha256(secret), prefix, name, owner, req.teamId(), rpm,
                    caller.userId(), now, expires);
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("name", name);
            d.put("prefix", prefix);
            if (owner != null) {
                d.put("user_id", owner.toString());
            }
            if (req.teamId() != null) {
                d.put("team_id", req.teamId().toString());
            }
            d.put("rate_limit_rpm", rpm);
            audit.record(h, actor, "key.create", "key", id, d);
        });
        return new CreatedKey(secret, id, prefix, name, now, owner, req.teamId(), rpm, expires);
    }

    public KeyList list(Caller caller, UUID userId, UUID teamId, int limit, int offset) {
        UUID user = userId;
        if (!caller.isAdmin()) {
            if (userId != null && !userId.equals(caller.userId())) {
                throw new Forbidden("Members list their own keys only");
            }
            user = caller.userId();
        }
        UUID u = user;
        List<KeyRow> rows = jdbi.withExtension(KeyDao.class, d -> d.list(u, teamId, limit + 1, offset));
        Integer next = rows.size() > limit ? offset + limit : null;
        return new KeyList(rows.stream().limit(limit).map(this::view).toList(), next);
    }

    public KeyView get(Caller caller, UUID id) {
        return view(visible(caller, id));
    }

    public KeyView revoke(Caller caller, AuditLog.Actor actor, UUID id) {
        visible(caller, id);
        Instant now = clock.instant();
        jdbi.useTransaction(h -> {
            if (h.attach(KeyDao.class).revoke(id, now) > 0) {
                h.attach(ChangeDao.class).publish(CredentialCache.CHANNEL, "key:" + id);
                audit.record(h, actor, "key.revoke", "key", id, Map.of());
            }
        });
        cache.invalidateKey(id);
        return get(caller, id);
    }

    public void delete(Caller caller, AuditLog.Actor actor, UUID id) {
        KeyRow row = visible(caller, id);
        jdbi.useTransaction(h -> {
            if (h.attach(KeyDao.class).delete(id) > 0) {
                h.attach(ChangeDao.class).publish(CredentialCache.CHANNEL, "key:" + id);
                audit.record(h, actor, "key.delete", "key", id, Map.of("name", row.name(), "prefix", row.prefix()));
            }
        });
        cache.invalidateKey(id);
    }

    /** The key, if the caller may see it; a member asking for someone else's key gets the same 404 as for no key. */
    private KeyRow visible(Caller caller, UUID id) {
        KeyRow row = jdbi.withExtension(KeyDao.class, d -> d.find(id)).orElseThrow(() -> NotFound.of("Key", id));
        if (!caller.isAdmin() && (row.userId() == null || !row.userId().equals(caller.userId()))) {
            throw NotFound.of("Key", id);
        }
        return row;
    }

    private KeyView view(KeyRow r) {
        String status = r.revokedAt() != null ? "revoked"
                : r.expiresAt() != null && !clock.instant().isBefore(r.expiresAt()) ? "expired" : "active";
        return new KeyView(r.id(), r.prefix(), r.name(), status, r.userId(), r.teamId(), r.rateLimitRpm(), r.createdAt(),
                r.expiresAt(), r.revokedAt(), r.lastUsedAt());
    }
}
