package ccag.server.auth.oidc;

import java.io.IOException;
import java.security.Key;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.VerificationJwkSelector;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwx.JsonWebStructure;
import org.jose4j.keys.resolvers.VerificationKeyResolver;
import org.jose4j.lang.JoseException;
import org.jose4j.lang.UnresolvableKeyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One IdP's discovery document and signing keys, cached. A token signed with a key the cache does not
 * know triggers one re-fetch, at most once per {@code minRefreshInterval} per IdP (a flood of bogus
 * {@code kid}s cannot hammer the IdP; a real rotation is picked up within that interval). The keys are
 * also re-fetched once they are older than {@code maxAge}; a failed fetch keeps the keys already held.
 */
final class IdpKeys implements VerificationKeyResolver {
    private static final Logger LOG = LoggerFactory.getLogger(IdpKeys.class);

    private record State(Discovery discovery, List<JsonWebKey> keys, Instant fetchedAt) {
    }

    private final String issuer;
    private final OidcHttp http;
    private final IssuerPolicy policy;
    private final Clock clock;
    private final Duration minRefreshInterval;
    private final Duration maxAge;
    private final ReentrantLock lock = new ReentrantLock();
    private final AtomicLong fetches = new AtomicLong();
    private volatile State state;
    private volatile Instant lastAttempt;
    private volatile String lastError = "";

    IdpKeys(String issuer, OidcHttp http, IssuerPolicy policy, Clock clock, Duration minRefreshInterval, Duration maxAge) {
        this.issuer = issuer;
        this.http = http;
        this.policy = policy;
        this.clock = clock;
        this.minRefreshInterval = minRefreshInterval;
        this.maxAge = maxAge;
    }

    @Override
    public Key resolveKey(JsonWebSignature jws, List<JsonWebStructure> nestingContext) throws UnresolvableKeyException {
        State s = state;
        if (s == null || isStale(s)) {
            s = refresh(s, false);
        }
        JsonWebKey key = select(jws, s);
        if (key == null && s != null) {
            // Maybe the IdP rotated its keys: fetch once more, unless that was tried moments ago.
            s = refresh(s, false);
            key = select(jws, s);
        }
        if (key == null) {
            throw new UnresolvableKeyException(s == null
                    ? "the signing keys of " + issuer + " are unavailable"
                    : "no signing key of " + issuer + " matches the token (kid " + quote(jws.getKeyIdHeaderValue()) + ")");
        }
        return key.getKey();
    }

    /** The discovery document, fetched if not held yet; throws when the IdP cannot be reached. */
    Discovery discovery() throws IOException {
        State s = state;
        if (s == null) {
            s = refresh(null, false);
        }
        if (s == null) {
            throw new IOException("identity provider " + issuer + " is unreachable: " + lastError);
        }
        return s.discovery();
    }

    /** The periodic refresh: re-fetches discovery and keys when they are older than {@code maxAge}. */
    void refreshIfStale() {
        State s = state;
        if (s == null || isStale(s)) {
            refresh(s, true);
        }
    }

    /** How many key sets were fetched from the IdP (a metric; also shows the rate limit at work). */
    long fetchCount() {
        return fetches.get();
    }

    private boolean isStale(State s) {
        return !clock.instant().isBefore(s.fetchedAt().plus(maxAge));
    }

    private State refresh(State seen, boolean rediscover) {
        lock.lock();
        try {
            State current = state;
            if (current != seen) {
                return current; // another request refreshed while this one waited
            }
            Instant now = clock.instant();
            if (lastAttempt != null && now.isBefore(lastAttempt.plus(minRefreshInterval))) {
                return current;
            }
            lastAttempt = now;
            try {
                Discovery d = current == null || rediscover ? Discovery.fetch(http, policy, issuer) : current.discovery();
                fetches.incrementAndGet();
                JsonWebKeySet set = new JsonWebKeySet(http.getJson(d.jwksUri()).toString());
                state = new State(d, List.copyOf(set.getJsonWebKeys()), now);
                lastError = "";
            } catch (IOException | JoseException | RuntimeException e) {
                lastError = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                LOG.warn("identity provider {}: cannot refresh signing keys: {}", issuer, lastError);
            }
            return state;
        } finally {
            lock.unlock();
        }
    }

    private static JsonWebKey select(JsonWebSignature jws, State s) {
        if (s == null) {
            return null;
        }
        try {
            // Matches kid, key type and use; without a kid, tries the candidates' signatures to pick one.
            return new VerificationJwkSelector().selectWithVerifySignatureDisambiguate(jws, s.keys());
        } catch (JoseException e) {
            return null;
        }
    }

    private static String quote(String kid) {
        if (kid == null) {
            return "none";
        }
        String shown = kid.length() > 64 ? kid.substring(0, 64) + "…" : kid;
        return "'" + shown.replaceAll("[^\\x20-\\x7e]", "?") + "'";
    }
}
