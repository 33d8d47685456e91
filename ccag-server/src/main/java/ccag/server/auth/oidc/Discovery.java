package ccag.server.auth.oidc;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;

/**
 * What {@code {issuer}/.well-known/openid-configuration} says, checked: the document must name the
 * same issuer (OpenID Connect Discovery §4.3) and every endpoint must pass the {@link IssuerPolicy}.
 */
public record Discovery(String issuer, URI jwksUri, URI authorizationEndpoint, URI tokenEndpoint) {

    static URI wellKnown(String issuer) {
        String base = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
        return URI.create(base + "/.well-known/openid-configuration");
    }

    static Discovery fetch(OidcHttp http, IssuerPolicy policy, String issuer) throws IOException {
        JsonNode doc = http.getJson(wellKnown(issuer));
        String advertised = doc.path("issuer").asText("");
        if (!advertised.equals(issuer)) {
            throw new IOException("discovery document of " + issuer + " names issuer '" + advertised + "'");
        }
        try {
            URI jwks = policy.checkUrl(doc.path("jwks_uri").asText(""), "jwks_uri");
            String auth = doc.path("authorization_endpoint").asText("");
            String token = doc.path("token_endpoint").asText("");
            return new Discovery(issuer, jwks,
                    auth.isEmpty() ? null : policy.checkUrl(auth, "authorization_endpoint"),
                    token.isEmpty() ? null : policy.checkUrl(token, "token_endpoint"));
        } catch (IllegalArgumentException e) {
            throw new IOException("discovery document of " + issuer + ": " + e.getMessage());
        }
    }
}
