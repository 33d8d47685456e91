package ccag.server.auth;

import ccag.api.Role;
import ccag.server.auth.principal.Caller;
import ccag.server.persistence.CredentialRow;
import ccag.server.persistence.Notifications;
import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Resolved credentials (virtual keys and session tokens) by the hash of their secret, so that a
 * repeated credential costs no database round trip. Unknown hashes are cached too (briefly), so
 * random guesses do not each cost a query.
 *
 * <p>Invalidation: the instance that revokes something calls {@link #invalidateKey} /
 * {@link #invalidateUser} / {@link #invalidateSession} before answering; every other instance hears
 * it on the {@value #CHANNEL} channel of {@link Notifications} (payloads {@code key:<id>},
 * {@code user:<id>}, {@code session:<id>}), and the channel's resync drops everything. A load racing
 * an invalidation is not cached (generation check), so a revoked credential cannot be re-cached.
 */
public final class CredentialCache implements Notifications.Listener {
    public static final String CHANNEL = "auth";

    /** One credential as authentication needs it. */
    public record Entry(Caller caller, UUID keyId, UUID userId, UUID sessionId, Instant expiresAt, boolean revoked, boolean userActive) {
        static final Entry UNKNOWN = new Entry(null, null, null, null, null, true, false);

        public boolean known() {
            return caller != null;
        }
    }

    public enum Kind { KEY, SESSION }

    private final Cache<String, Entry> entries;
    private final AtomicLong generation = new AtomicLong();
    private final Counter hits;
    private final Counter misses;

    public CredentialCache(MetricRegistry metrics, int maximumSize, Duration unknownTtl) {
        this.entries = Caffeine.newBuilder()
                .maximumSize(maximumSize)
                // Known credentials stay until invalidated; unknown ones expire so a new session or key is never shadowed.
                .expireAfter(new com.github.benmanes.caffeine.cache.Expiry<String, Entry>() {
                    @Override
                    public long expireAfterCreate(String k, Entry e, long now) {
                        return e.known() ? Duration.ofHours(1).toNanos() : unknownTtl.toNanos();
                    }

                    @Override
                    public long expireAfterUpdate(String k, Entry e, long now, long current) {
                        return expireAfterCreate(k, e, now);
                    }

                    @Override
                    public long expireAfterRead(String k, Entry e, long now, long current) {
                        return current;
                    }
                })
                .build();
        this.hits = metrics.counter("ccag.auth.credential_cache.hits");
        this.misses = metrics.counter("ccag.auth.credential_cache.misses");
    }

    /** The entry for {@code hash}, loading it with {@code loader} on a miss. */
    public Entry get(String hash, Kind kind, Function<String, Optional<CredentialRow>> loader) {
        Entry e = entries.getIfPresent(hash);
        if (e != null) {
            hits.inc();
            return e;
        }
        misses.inc();
        long before = generation.get();
        Entry loaded = loader.apply(hash).map(r -> toEntry(kind, r)).orElse(Entry.UNKNOWN);
        if (generation.get() == before) {
            entries.put(hash, loaded);
        }
        return loaded;
    }

    public void invalidateKey(UUID keyId) {
        drop(e -> keyId.equals(e.keyId()));
    }

    public void invalidateUser(UUID userId) {
        drop(e -> userId.equals(e.userId()));
    }

    public void invalidateSession(UUID sessionId) {
        drop(e -> sessionId.equals(e.sessionId()));
    }

    public void invalidateAll() {
        generation.incrementAndGet();
        entries.invalidateAll();
    }

    private void drop(Predicate<Entry> which) {
        generation.incrementAndGet();
        entries.asMap().values().removeIf(which);
    }

    @Override
    public void onMessage(String payload) {
        int colon = payload.indexOf(':');
        if (colon < 0) {
            invalidateAll();
            return;
        }
        UUID id;
        try {
            id = UUID.fromString(payload.substring(colon + 1));
        } catch (IllegalArgumentException e) {
            invalidateAll();
            return;
        }
        switch (payload.substring(0, colon)) {
            case "key" -> invalidateKey(id);
            case "user" -> invalidateUser(id);
            case "session" -> invalidateSession(id);
            default -> invalidateAll();
        }
    }

    @Override
    public void onResync() {
        invalidateAll();
    }

    static Entry toEntry(Kind kind, CredentialRow r) {
        boolean hasUser = r.userId() != null;
        Role role = hasUser ? Role.fromWire(r.role()) : Role.MEMBER;
        UUID team = r.keyTeamId() != null ? r.keyTeamId() : r.userTeamId();
        boolean active = !hasUser || Boolean.TRUE.equals(r.active());
        Caller caller = kind == Kind.KEY
                ? new Caller(r.userId(), hasUser ? r.subject() : r.name(), r.email(), role, team, r.id(),
                        Caller.AuthMethod.VIRTUAL_KEY, r.rateLimitRpm(), r.idpId(), null, r.expiresAt())
                : new Caller(r.userId(), r.subject(), r.email(), role, team, null,
                        Caller.AuthMethod.SESSION, 0, r.idpId(), r.id(), r.expiresAt());
        return new Entry(caller, kind == Kind.KEY ? r.id() : null, r.userId(), kind == Kind.SESSION ? r.id() : null,
                r.expiresAt(), r.revokedAt() != null, active);
    }
}
