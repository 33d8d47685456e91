package ccag.server.testing;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.token.KeyProvider;
import no.nav.security.mock.oauth2.token.OAuth2TokenProvider;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.lang.JoseException;

/**
 * A real OpenID Connect provider for tests (mock-oauth2-server, in-process on loopback), whose signing
 * keys the test can rotate and use: every issuer id ({@code /corp}, {@code /partner}, …) is an IdP.
 * With {@code interactive} it shows a login form on its authorization endpoint, as a real IdP does.
 */
public final class TestIdp implements AutoCloseable {
    private final RotatingKeys keys = new RotatingKeys();
    private final MockOAuth2Server server;

    private TestIdp(boolean interactive) {
        server = new MockOAuth2Server(new OAuth2Config(interactive, null, null, false, new OAuth2TokenProvider(keys)));
        server.start();
    }

    /** An IdP that answers the authorization endpoint without a login form (tokens for the client's subject). */
    public static TestIdp start() {
        return new TestIdp(false);
    }

    /** An IdP that shows a login form (username + optional claims JSON) on its authorization endpoint. */
    public static TestIdp startInteractive() {
        return new TestIdp(true);
    }

    public MockOAuth2Server server() {
        return server;
    }

    /** The issuer URL of one IdP of this server, e.g. {@code http://localhost:PORT/corp}. */
    public String issuer(String issuerId) {
        return server.issuerUrl(issuerId).toString();
    }

    /** A valid token issued by the provider itself (RS256, kid of the current key). */
    public String token(String issuerId, String subject, String audience, Map<String, Object> claims, long expirySeconds) {
        return server.issueToken(issuerId, subject, audience, claims, expirySeconds).serialize();
    }

    /** The key id the provider signs with now. */
    public String currentKid(String issuerId) {
        return keys.signingKey(issuerId).getKeyID();
    }

    /** Replaces the signing key of one IdP; its JWKS then lists only the new key. */
    public void rotate(String issuerId) {
        keys.rotate(issuerId);
    }

    /** Signs arbitrary claims with the IdP's own current private key (to build tokens a real IdP would not issue). */
    public String signWithIdpKey(String issuerId, JwtClaims claims) {
        RSAKey key = (RSAKey) keys.signingKey(issuerId);
        try {
            JsonWebSignature jws = new JsonWebSignature();
            jws.setPayload(claims.toJson());
            jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
            jws.setKeyIdHeaderValue(key.getKeyID());
            jws.setKey((RSAPrivateKey) key.toPrivateKey());
            return jws.getCompactSerialization();
        } catch (JoseException | com.nimbusds.jose.JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The public JWK the IdP publishes now, as JSON. */
    public String publicJwkJson(String issuerId) {
        return keys.signingKey(issuerId).toPublicJWK().toJSONString();
    }

    @Override
    public void close() {
        server.shutdown();
    }

    /** One RSA key per issuer id at a time; rotation swaps it for a fresh one with a new kid. */
    private static final class RotatingKeys extends KeyProvider {
        private final Map<String, JWK> current = new ConcurrentHashMap<>();
        private final AtomicInteger generation = new AtomicInteger();

        @Override
        public JWK signingKey(String keyId) {
            return current.computeIfAbsent(keyId, this::newKey);
        }

        void rotate(String keyId) {
            current.put(keyId, newKey(keyId));
        }

        private JWK newKey(String keyId) {
            try {
                return new RSAKeyGenerator(2048).keyID(keyId + "-" + generation.incrementAndGet()).generate();
            } catch (com.nimbusds.jose.JOSEException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
