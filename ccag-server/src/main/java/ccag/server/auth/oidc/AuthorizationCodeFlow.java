package ccag.server.auth.oidc;

import ccag.server.errors.ApiException;
import ccag.server.errors.ErrorKind;
import ccag.server.errors.NotAuthenticated;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OAuth 2.0 authorization-code flow with PKCE (S256) against one IdP, as an OpenID Connect
 * relying party: builds the authorization URL, exchanges the code, and verifies the ID token it gets
 * (issuer of that IdP, audience, lifetime, signature, and the nonce bound to the login).
 */
public final class AuthorizationCodeFlow {
    private static final Logger LOG = LoggerFactory.getLogger(AuthorizationCodeFlow.class);
    /** email and profile: the e-mail claim drives allowed_domains and the user's record. */
    static final String SCOPES = "openid email profile";

    private final IdpRegistry registry;
    private final OidcHttp http;

    public AuthorizationCodeFlow(IdpRegistry registry, OidcHttp http) {
        this.registry = registry;
        this.http = http;
    }

    /** The IdP's authorization URL for one login: state, nonce and the PKCE challenge are the login's own. */
    public URI authorizationUrl(Idp idp, String redirectUri, String state, String nonce, String codeVerifier) {
        Discovery d = discovery(idp);
        if (d.authorizationEndpoint() == null) {
            throw new ApiException(ErrorKind.BAD_GATEWAY, "identity provider '" + idp.name() + "' advertises no authorization endpoint");
        }
        Map<String, String> q = new LinkedHashMap<>();
        q.put("response_type", "code");
        q.put("client_id", idp.clientId());
        q.put("redirect_uri", redirectUri);
        q.put("scope", SCOPES);
        q.put("state", state);
        q.put("nonce", nonce);
        q.put("code_challenge", Codes.pkceChallenge(codeVerifier));
        q.put("code_challenge_method", "S256");
        String base = d.authorizationEndpoint().toString();
        String query = q.entrySet().stream().map(e -> enc(e.getKey()) + "=" + enc(e.getValue())).collect(Collectors.joining("&"));
        return URI.create(base + (base.contains("?") ? "&" : "?") + query);
    }

    /**
     * Exchanges an authorization code for the IdP's ID token and verifies it. Throws
     * {@link NotAuthenticated} when the IdP refuses the code or the token fails verification.
     */
    public SignedIn exchange(UUID idpId, String code, String codeVerifier, String redirectUri, String expectedNonce) {
        Idp idp = registry.find(idpId).orElseThrow(() -> new NotAuthenticated("the identity provider of this login no longer exists"));
        Discovery d = discovery(idp);
        if (d.tokenEndpoint() == null) {
            throw new ApiException(ErrorKind.BAD_GATEWAY, "identity provider '" + idp.name() + "' advertises no token endpoint");
        }
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("code", code);
        form.put("redirect_uri", redirectUri);
        form.put("code_verifier", codeVerifier);
        String basic = null;
        if (idp.isPublicClient()) {
            form.put("client_id", idp.clientId());
        } else {
            // client_secret_basic (RFC 6749 §2.3.1): both parts form-encoded before base64.
            basic = Base64.getEncoder().encodeToString((enc(idp.clientId()) + ":" + enc(idp.clientSecret()))
                    .getBytes(StandardCharsets.UTF_8));
        }
        OidcHttp.Response r;
        try {
            r = http.postForm(d.tokenEndpoint(), form, basic);
        } catch (IOException e) {
            throw new ApiException(ErrorKind.BAD_GATEWAY, "identity provider '" + idp.name() + "' is unreachable", null, null, null,
                    Map.of(), e);
        }
        if (r.status() != 200) {
            String err = r.body().path("error").asText("");
            LOG.info("identity provider {} refused a code exchange: {} {}", idp.issuer(), r.status(), err);
            throw new NotAuthenticated("the identity provider refused the sign-in" + (err.isEmpty() ? "" : " (" + safe(err) + ")"));
        }
        String idToken = r.body().path("id_token").asText("");
        if (idToken.isEmpty()) {
            throw new NotAuthenticated("the identity provider returned no ID token (is the openid scope allowed for this client?)");
        }
        VerifiedToken t = registry.verifyFrom(idpId, idToken);
        if (expectedNonce != null && !expectedNonce.equals(t.nonce())) {
            throw new NotAuthenticated("identity token rejected: nonce does not match this login");
        }
        return new SignedIn(t, idToken);
    }

    /** A verified ID token and its compact form (what the CLI receives). */
    public record SignedIn(VerifiedToken token, String idToken) {
        @Override
        public String toString() {
            return "SignedIn[subject=" + token.subject() + ", idp=" + token.idp().id() + "]";
        }
    }

    private Discovery discovery(Idp idp) {
        try {
            return registry.discovery(idp.id());
        } catch (IOException e) {
            throw new ApiException(ErrorKind.BAD_GATEWAY, "identity provider '" + idp.name() + "' is unreachable", null, null, null,
                    Map.of(), e);
        }
    }

    private static String safe(String s) {
        String t = s.replaceAll("[^A-Za-z0-9_.-]", "");
        return t.length() > 64 ? t.substring(0, 64) : t;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
