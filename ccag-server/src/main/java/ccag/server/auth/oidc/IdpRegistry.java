package ccag.server.auth.oidc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The identity providers the gateway trusts right now, several at once. A token goes to the IdP whose
 * issuer equals its {@code iss} exactly; the unverified payload is read only to find that IdP, and the
 * token is then verified by it. Replacing the set keeps the key caches of issuers that stay.
 */
public final class IdpRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(IdpRegistry.class);
    /** Tokens with many group claims reach several KB; past this it is not a token worth parsing. */
    private static final int MAX_TOKEN_CHARS = 32 * 1024;
    private static final Pattern COMPACT_JWS = Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*");

    private record Snapshot(List<Idp> ordered, Map<String, IdpVerifier> byIssuer, Map<UUID, IdpVerifier> byId) {
    }

    private final OidcHttp http;
    private final IssuerPolicy policy;
    private final Clock clock;
    private final Duration skew;
    private final Duration minRefreshInterval;
    private final Duration maxKeyAge;
    private final ObjectMapper json = new ObjectMapper();
    private volatile Snapshot snapshot = new Snapshot(List.of(), Map.of(), Map.of());

    /**
     * @param skew               tolerance on {@code exp} and {@code nbf}
     * @param minRefreshInterval the least time between two key fetches from one IdP
     * @param maxKeyAge          keys older than this are re-fetched (with the discovery document)
     */
    public IdpRegistry(OidcHttp http, IssuerPolicy policy, Clock clock, Duration skew,
                       Duration minRefreshInterval, Duration maxKeyAge) {
        this.http = http;
        this.policy = policy;
        this.clock = clock;
        this.skew = skew;
        this.minRefreshInterval = minRefreshInterval;
        this.maxKeyAge = maxKeyAge;
    }

    public IssuerPolicy policy() {
        return policy;
    }

    /**
     * Makes exactly the enabled IdPs of {@code idps} trusted. An IdP whose issuer breaks the
     * {@link IssuerPolicy}, or repeats an issuer already taken, is skipped with a warning.
     */
    public synchronized void replaceAll(Collection<Idp> idps) {
        Snapshot old = snapshot;
        Map<String, IdpVerifier> byIssuer = new LinkedHashMap<>();
        Map<UUID, IdpVerifier> byId = new HashMap<>();
        for (Idp idp : idps) {
            if (!idp.enabled()) {
                continue;
            }
            try {
                policy.checkIssuer(idp.issuer());
            } catch (IllegalArgumentException e) {
                LOG.warn("identity provider '{}' skipped: {}", idp.name(), e.getMessage());
                continue;
            }
            if (byIssuer.containsKey(idp.issuer())) {
                LOG.warn("identity provider '{}' skipped: issuer {} is already used by another", idp.name(), idp.issuer());
                continue;
            }
            IdpVerifier previous = old.byIssuer().get(idp.issuer());
            IdpKeys keys = previous != null ? previous.keys()
                    : new IdpKeys(idp.issuer(), http, policy, clock, minRefreshInterval, maxKeyAge);
            IdpVerifier v = new IdpVerifier(idp, keys, clock, skew);
            byIssuer.put(idp.issuer(), v);
            byId.put(idp.id(), v);
        }
        snapshot = new Snapshot(byIssuer.values().stream().map(IdpVerifier::idp).toList(), Map.copyOf(byIssuer), Map.copyOf(byId));
    }

    /** The trusted (enabled) IdPs, in the order given to {@link #replaceAll}. */
    public List<Idp> all() {
        return snapshot.ordered();
    }

    public Optional<Idp> find(UUID id) {
        return Optional.ofNullable(snapshot.byId().get(id)).map(IdpVerifier::idp);
    }

    /** An IdP's discovery document (authorization and token endpoints), fetched on first use. */
    public Discovery discovery(UUID id) throws IOException {
        IdpVerifier v = snapshot.byId().get(id);
        if (v == null) {
            throw new IOException("no enabled identity provider " + id);
        }
        return v.keys().discovery();
    }

    /**
     * Verifies a bearer credential that is a token of a trusted IdP. Empty when the credential is not a
     * JWT or names no trusted issuer (another authenticator may know it); a
     * {@link ccag.server.errors.NotAuthenticated} when a trusted IdP's token fails verification.
     */
    public Optional<VerifiedToken> verify(String credential) {
        return issuerOf(credential).map(iss -> snapshot.byIssuer().get(iss)).map(v -> v.verify(credential));
    }

    /** Verifies a token that must come from one given IdP (the ID token of a browser login it started). */
    public VerifiedToken verifyFrom(UUID idpId, String token) {
        IdpVerifier v = snapshot.byId().get(idpId);
        Optional<String> iss = issuerOf(token);
        if (v == null || iss.isEmpty() || !iss.get().equals(v.idp().issuer())) {
            throw new ccag.server.errors.NotAuthenticated("identity token rejected: wrong issuer");
        }
        return v.verify(token);
    }

    /** Re-fetches discovery documents and keys that are older than the maximum age (called periodically). */
    public void refreshStaleKeys() {
        for (IdpVerifier v : snapshot.byIssuer().values()) {
            v.keys().refreshIfStale();
        }
    }

    /** Key sets fetched from the IdP with this issuer so far (0 when unknown). */
    public long keyFetches(String issuer) {
        IdpVerifier v = snapshot.byIssuer().get(issuer);
        return v == null ? 0 : v.keys().fetchCount();
    }

    /** Whether a credential has the shape of a signed JWT (three base64url parts); says nothing of its validity. */
    public static boolean looksLikeJwt(String credential) {
        return credential != null && credential.length() <= MAX_TOKEN_CHARS && COMPACT_JWS.matcher(credential).matches();
    }

    /** The {@code iss} claim of an unverified token, used only to choose the IdP that will verify it. */
    Optional<String> issuerOf(String credential) {
        if (!looksLikeJwt(credential)) {
            return Optional.empty();
        }
        String payload = credential.substring(credential.indexOf('.') + 1, credential.lastIndexOf('.'));
        try {
            JsonNode claims = json.readTree(new String(Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8));
            JsonNode iss = claims == null ? null : claims.get("iss");
            return iss != null && iss.isTextual() ? Optional.of(iss.asText()) : Optional.empty();
        } catch (IllegalArgumentException | IOException e) {
            return Optional.empty();
        }
    }
}
