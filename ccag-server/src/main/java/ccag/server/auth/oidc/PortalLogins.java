package ccag.server.auth.oidc;

import ccag.server.audit.AuditLog;
import ccag.server.auth.session.Sessions;
import ccag.server.errors.Conflict;
import ccag.server.errors.Gone;
import ccag.server.errors.InvalidRequest;
import ccag.server.errors.NotFound;
import ccag.server.persistence.OidcLoginDao;
import ccag.server.persistence.OidcLoginRow;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * Portal single sign-on: authorization code + PKCE at the chosen IdP; the callback verifies the ID
 * token and the user and signs the browser in with a gateway session token.
 */
public final class PortalLogins {
    private final Jdbi jdbi;
    private final IdpRegistry registry;
    private final AuthorizationCodeFlow flow;
    private final OidcAccounts accounts;
    private final Sessions sessions;
    private final AuditLog audit;
    private final Codes codes;
    private final Clock clock;
    private final Duration ttl;

    public PortalLogins(Jdbi jdbi, IdpRegistry registry, AuthorizationCodeFlow flow, OidcAccounts accounts, Sessions sessions,
                        AuditLog audit, Codes codes, Clock clock, Duration ttl) {
        this.jdbi = jdbi;
        this.registry = registry;
        this.flow = flow;
        this.accounts = accounts;
        this.sessions = sessions;
        this.audit = audit;
        this.codes = codes;
        this.clock = clock;
        this.ttl = ttl;
    }

    /** {@code GET /auth/sso/login[?idp=ID]}: where to send the browser. */
    public URI start(UUID idpId, String base) {
        Idp idp;
        if (idpId != null) {
            idp = registry.find(idpId).orElseThrow(() -> new NotFound("No enabled identity provider " + idpId));
        } else {
            idp = registry.all().stream().findFirst()
                    .orElseThrow(() -> new InvalidRequest("No identity provider is configured: single sign-on is not available"));
        }
        String state = codes.secret();
        String nonce = codes.secret();
        String verifier = codes.secret();
        String redirect = base + "/auth/sso/callback";
        Instant now = now();
        jdbi.useExtension(OidcLoginDao.class, dao -> dao.insert(UUID.randomUUID(), "portal", idp.id(), Codes.hash(state), null, null,
                null, nonce, verifier, redirect, now, now.plus(ttl)));
        return flow.authorizationUrl(idp, redirect, state, nonce, verifier);
    }

    /** {@code GET /auth/sso/callback}: a session token for the signed-in user. */
    public Sessions.Issued callback(String state, String code, String idpError, String clientAddress) {
        if (!Codes.looksLikeSecret(state)) {
            throw new InvalidRequest("Unknown sign-in: start again", "state");
        }
        OidcLoginRow row = jdbi.withExtension(OidcLoginDao.class, dao -> dao.findByState(Codes.hash(state)))
                .filter(r -> r.kind().equals("portal"))
                .orElseThrow(() -> new InvalidRequest("Unknown sign-in: start again", "state"));
        if (!now().isBefore(row.expiresAt())) {
            throw new Gone("This sign-in expired: start again");
        }
        if (!row.status().equals("pending")) {
            throw new Conflict("This sign-in was already used: start again");
        }
        if (idpError != null && !idpError.isBlank()) {
            jdbi.useExtension(OidcLoginDao.class, dao -> dao.fail(row.id(), "idp: " + idpError));
            throw new ccag.server.errors.NotAuthenticated("The identity provider did not sign you in ("
                    + idpError.replaceAll("[^A-Za-z0-9_.-]", "") + ")");
        }
        if (code == null || code.isBlank()) {
            throw new InvalidRequest("The identity provider's answer carries no authorization code", "code");
        }
        AuthorizationCodeFlow.SignedIn in = flow.exchange(row.idpId(), code, row.codeVerifier(), row.redirectUri(), row.nonce());
        UUID userId = accounts.admit(in.token());
        if (jdbi.withExtension(OidcLoginDao.class, dao -> dao.finish(row.id(), userId, now())) == 0) {
            throw new Conflict("This sign-in was already used: start again");
        }
        Sessions.Issued issued = sessions.issue(userId, clientAddress);
        audit.record(new AuditLog.Actor(userId, in.token().subject(), clientAddress), "auth.sso_login", "user", userId,
                Map.of("idp_id", row.idpId().toString()));
        return issued;
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
