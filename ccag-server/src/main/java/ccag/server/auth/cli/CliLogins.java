package ccag.server.auth.cli;

import ccag.api.CliLoginStart;
import ccag.api.CliPollResponse;
import ccag.server.auth.oidc.AuthorizationCodeFlow;
import ccag.server.auth.oidc.Codes;
import ccag.server.auth.oidc.Idp;
import ccag.server.auth.oidc.IdpRegistry;
import ccag.server.auth.oidc.LoginAccounts;
import ccag.server.errors.ApiException;
import ccag.server.errors.Conflict;
import ccag.server.errors.Gone;
import ccag.server.errors.InvalidRequest;
import ccag.server.errors.NotFound;
import ccag.server.persistence.OidcLoginDao;
import ccag.server.persistence.OidcLoginRow;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CLI's browser login (the seed's four {@code /auth/cli} endpoints). The CLI starts a login and
 * polls with a session code plus a secret it sends only in a header; the user's browser goes through
 * the IdP (authorization code + PKCE, {@code state} bound to the login); the callback verifies the
 * IdP's ID token and the user; the callback page completes the login; the next poll hands the ID
 * token to the CLI, once. Everything lives in PostgreSQL, so any instance can answer any step.
 */
public final class CliLogins {
    private static final Logger LOG = LoggerFactory.getLogger(CliLogins.class);
    /** How often the CLI is told to poll. */
    static final int POLL_INTERVAL_SECONDS = 2;

    private final Jdbi jdbi;
    private final IdpRegistry registry;
    private final AuthorizationCodeFlow flow;
    private final LoginAccounts accounts;
    private final Codes codes;
    private final Clock clock;
    private final Duration ttl;

    public CliLogins(Jdbi jdbi, IdpRegistry registry, AuthorizationCodeFlow flow, LoginAccounts accounts, Codes codes,
                     Clock clock, Duration ttl) {
        this.jdbi = jdbi;
        this.registry = registry;
        this.flow = flow;
        this.accounts = accounts;
        this.codes = codes;
        this.clock = clock;
        this.ttl = ttl;
    }

    /** {@code GET /auth/cli/login[?idp=ID]}: a new login at the given IdP, or the first one configured. */
    public CliLoginStart start(UUID idpId, String base) {
        Idp idp = chooseIdp(registry, idpId);
        String sessionCode = codes.secret();
        String pollSecret = codes.secret();
        String state = codes.secret();
        String verification = codes.verificationCode();
        Instant now = now();
        jdbi.useExtension(OidcLoginDao.class, dao -> {
            dao.deleteExpired(now.minus(Duration.ofHours(1)));
            dao.insert(UUID.randomUUID(), "cli", idp.id(), Codes.hash(state), Codes.hash(sessionCode), Codes.hash(pollSecret),
                    verification, codes.secret(), codes.secret(), base + "/auth/cli/callback", now, now.plus(ttl));
        });
        return new CliLoginStart(sessionCode, base + "/auth/cli/authorize?login=" + enc(state), pollSecret, verification,
                (int) ttl.toSeconds(), POLL_INTERVAL_SECONDS);
    }

    /** The IdP to sign in with: the one asked for (enabled), else the first (the environment's comes first). */
    static Idp chooseIdp(IdpRegistry registry, UUID idpId) {
        if (idpId != null) {
            return registry.find(idpId).orElseThrow(() -> new NotFound("No enabled identity provider " + idpId));
        }
        return registry.all().stream().findFirst()
                .orElseThrow(() -> new InvalidRequest("No identity provider is configured: single sign-on is not available"));
    }

    /** {@code GET /auth/cli/authorize?login=}: the login URL the browser opens; answers the IdP's authorization URL. */
    public URI authorize(String state) {
        OidcLoginRow row = pendingByState(state);
        Idp idp = registry.find(row.idpId()).orElseThrow(() -> new Gone("The identity provider of this login no longer exists"));
        return flow.authorizationUrl(idp, row.redirectUri(), state, row.nonce(), row.codeVerifier());
    }

    /** What the callback page shows: the verification code and the one-time code the page completes the login with. */
    public record Authorized(String verificationCode, String completeCode) {
        @Override
        public String toString() {
            return "Authorized[verificationCode=" + verificationCode + "]";
        }
    }

    /**
     * {@code GET /auth/cli/callback?code&state} (or {@code ?error&state}): exchanges the code, verifies the
     * ID token and the user. A refusal marks the login failed (the CLI stops polling) and is rethrown.
     */
    public Authorized callback(String state, String code, String idpError) {
        OidcLoginRow row = pendingByState(state);
        try {
            if (idpError != null && !idpError.isBlank()) {
                throw new ApiException(ccag.server.errors.ErrorKind.AUTHENTICATION,
                        "The identity provider did not sign you in (" + idpError.replaceAll("[^A-Za-z0-9_.-]", "") + ")");
            }
            if (code == null || code.isBlank()) {
                throw new InvalidRequest("The identity provider's answer carries no authorization code", "code");
            }
            AuthorizationCodeFlow.SignedIn in = flow.exchange(row.idpId(), code, row.codeVerifier(), row.redirectUri(), row.nonce());
            UUID userId = accounts.admit(in.token());
            String completeCode = codes.secret();
            int n = jdbi.withExtension(OidcLoginDao.class, dao -> dao.authorize(row.id(), Codes.hash(completeCode), in.idToken(),
                    in.token().expiresAt(), userId, now()));
            if (n == 0) {
                throw new Conflict("This login was already used");
            }
            return new Authorized(row.verificationCode(), completeCode);
        } catch (ApiException e) {
            if (!(e instanceof Conflict)) {
                jdbi.useExtension(OidcLoginDao.class, dao -> dao.fail(row.id(), e.getMessage()));
                LOG.info("CLI login {} refused: {}", row.id(), e.getMessage());
            }
            throw e;
        }
    }

    /** {@code POST /auth/cli/complete}: 404 unknown, 410 expired, 409 already used; returns the verification code. */
    public String complete(String completeCode) {
        if (!Codes.looksLikeSecret(completeCode)) {
            throw new NotFound("Unknown login");
        }
        OidcLoginRow row = jdbi.withExtension(OidcLoginDao.class, dao -> dao.findByCompleteCode(Codes.hash(completeCode)))
                .orElseThrow(() -> new NotFound("Unknown login"));
        if (!now().isBefore(row.expiresAt())) {
            throw new Gone("This login expired; start again from your terminal");
        }
        int n = jdbi.withExtension(OidcLoginDao.class, dao -> dao.complete(row.id(), now()));
        if (n == 0) {
            throw new Conflict("This login was already completed");
        }
        return row.verificationCode();
    }

    /** The outcome of a poll: the HTTP status and the body. */
    public record Poll(int status, CliPollResponse body) {
    }

    /**
     * {@code GET /auth/cli/poll}: pending, complete (with the token, exactly once), expired/failed (410),
     * or unknown (404). A wrong poll secret is answered like an unknown session: someone else's login
     * is indistinguishable from none.
     */
    public Poll poll(String sessionCode, String pollSecret) {
        if (!Codes.looksLikeSecret(sessionCode) || pollSecret == null) {
            throw new NotFound("Unknown login session");
        }
        Optional<OidcLoginRow> found = jdbi.withExtension(OidcLoginDao.class, dao -> dao.findBySessionCode(Codes.hash(sessionCode)));
        if (found.isEmpty() || !MessageDigest.isEqual(
                Codes.hash(pollSecret).getBytes(StandardCharsets.US_ASCII),
                found.get().pollSecretHash().getBytes(StandardCharsets.US_ASCII))) {
            throw new NotFound("Unknown login session");
        }
        OidcLoginRow row = found.get();
        Instant now = now();
        if (row.status().equals("failed")) {
            return new Poll(410, new CliPollResponse("failed", null, null));
        }
        if (row.status().equals("delivered") || !now.isBefore(row.expiresAt())) {
            return new Poll(410, new CliPollResponse("expired", null, null));
        }
        if (!row.status().equals("complete")) {
            return new Poll(200, new CliPollResponse("pending", null, null));
        }
        return jdbi.withExtension(OidcLoginDao.class, dao -> dao.deliver(row.id(), now))
                .map(token -> new Poll(200, new CliPollResponse("complete", token, row.tokenExpiresAt())))
                .orElseGet(() -> new Poll(410, new CliPollResponse("expired", null, null)));
    }

    private OidcLoginRow pendingByState(String state) {
        if (!Codes.looksLikeSecret(state)) {
            throw new InvalidRequest("Unknown login: start again from your terminal", "state");
        }
        OidcLoginRow row = jdbi.withExtension(OidcLoginDao.class, dao -> dao.findByState(Codes.hash(state)))
                .filter(r -> r.kind().equals("cli"))
                .orElseThrow(() -> new InvalidRequest("Unknown login: start again from your terminal", "state"));
        if (!now().isBefore(row.expiresAt())) {
            throw new Gone("This login expired; start again from your terminal");
        }
        if (!row.status().equals("pending")) {
            throw new Conflict("This login was already used; start again from your terminal");
        }
        return row;
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
