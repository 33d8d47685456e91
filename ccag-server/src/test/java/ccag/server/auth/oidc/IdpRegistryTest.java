package ccag.server.auth.oidc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ccag.api.Role;
import ccag.server.errors.NotAuthenticated;
import ccag.server.testing.MutableClock;
import ccag.server.testing.TestIdp;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.keys.HmacKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Token verification against a real OpenID provider, including each attack the gateway must refuse. */
class IdpRegistryTest {
    private static final String AUD = "ccag-test";
    private static TestIdp provider;

    private MutableClock clock;
    private IdpRegistry registry;
    private Idp corp;
    private Idp partner;

    @BeforeAll
    static void startProvider() {
        provider = TestIdp.start();
    }

    @AfterAll
    static void stopProvider() {
        provider.close();
    }

    @BeforeEach
    void trustTwoIdps() {
        clock = MutableClock.atNow();
        registry = newRegistry(clock);
        corp = idp("corp", AUD);
        partner = idp("partner", "partner-app");
        registry.replaceAll(List.of(corp, partner));
    }

    private static IdpRegistry newRegistry(MutableClock clock) {
        return new IdpRegistry(new OidcHttp(OidcHttp.defaultClient(), new ObjectMapper(), Duration.ofSeconds(5)),
                new IssuerPolicy(true), clock, Duration.ofSeconds(30), Duration.ofSeconds(5), Duration.ofHours(1));
    }

    private static Idp idp(String issuerId, String audience) {
        return new Idp(UUID.randomUUID(), issuerId, provider.issuer(issuerId), audience, null, null, true, Role.MEMBER,
                List.of(), true, Idp.Source.ADMIN, Instant.now());
    }

    private JwtClaims claims(String issuerId, String audience) {
        JwtClaims c = new JwtClaims();
        c.setIssuer(provider.issuer(issuerId));
        c.setAudience(audience);
        c.setSubject("alice");
        c.setClaim("email", "alice@example.com");
        c.setIssuedAt(NumericDate.fromMilliseconds(clock.millis()));
        c.setExpirationTime(NumericDate.fromMilliseconds(clock.millis() + 600_000));
        return c;
    }

    private String validCorpToken() {
        return provider.token("corp", "alice", AUD, Map.of("email", "alice@example.com"), 600);
    }

    private void assertRefused(String token, String reason) {
        assertThatThrownBy(() -> registry.verify(token)).isInstanceOf(NotAuthenticated.class)
                .hasMessage("identity token rejected: " + reason);
    }

    @Test
    void tokenIssuedByTheIdpVerifiesWithItsClaims() {
        VerifiedToken t = registry.verify(validCorpToken()).orElseThrow();
        assertThat(t.idp().id()).isEqualTo(corp.id());
        assertThat(t.subject()).isEqualTo("alice");
        assertThat(t.email()).isEqualTo("alice@example.com");
        assertThat(t.expiresAt()).isAfter(Instant.now().plusSeconds(500));
    }

    @Test
    void idpsKeepTheOrderTheyWereGiven() {
        List<Idp> many = new java.util.ArrayList<>();
        for (int i = 0; i < 12; i++) {
            many.add(idp("order" + i, AUD));
        }
        registry.replaceAll(many);
        assertThat(registry.all()).extracting(Idp::id).containsExactlyElementsOf(many.stream().map(Idp::id).toList());
    }

    @Test
    void eachTokenIsRoutedToTheIdpOfItsExactIssuer() {
        String partnerToken = provider.token("partner", "bob", "partner-app", Map.of(), 600);
        assertThat(registry.verify(partnerToken).orElseThrow().idp().id()).isEqualTo(partner.id());
        assertThat(registry.verify(validCorpToken()).orElseThrow().idp().id()).isEqualTo(corp.id());
    }

    @Test
    void tokenOfAnUntrustedIssuerIsLeftToTheOtherAuthenticators() {
        assertThat(registry.verify(provider.token("stranger", "eve", AUD, Map.of(), 600))).isEmpty();
        JwtClaims slash = claims("corp", AUD);
        slash.setIssuer(provider.issuer("corp") + "/");
        assertThat(registry.verify(provider.signWithIdpKey("corp", slash))).isEmpty();
        assertThat(registry.verify("sk-proxy-abcdef")).isEmpty();
        assertThat(registry.verify("not.a.jwt!")).isEmpty();
    }

    @Test
    void algNoneIsRefused() throws Exception {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims("corp", AUD).toJson());
        jws.setAlgorithmConstraints(AlgorithmConstraints.NO_CONSTRAINTS);
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.NONE);
        String unsigned = jws.getCompactSerialization();
        assertThat(unsigned).endsWith(".");
        assertRefused(unsigned, "signing algorithm not allowed");
    }

    @Test
    void hs256SignedWithTheIdpsPublicKeyIsRefused() throws Exception {
        PublicKey pub = ((org.jose4j.jwk.PublicJsonWebKey) JsonWebKey.Factory.newJwk(provider.publicJwkJson("corp"))).getPublicKey();
        for (byte[] secret : List.of(pub.getEncoded(), provider.publicJwkJson("corp").getBytes(StandardCharsets.UTF_8))) {
            JsonWebSignature jws = new JsonWebSignature();
            jws.setPayload(claims("corp", AUD).toJson());
            jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.HMAC_SHA256);
            jws.setKeyIdHeaderValue(provider.currentKid("corp"));
            jws.setKey(new HmacKey(secret));
            assertRefused(jws.getCompactSerialization(), "signing algorithm not allowed");
        }
        assertThat(registry.keyFetches(corp.issuer())).as("refused before any key lookup").isZero();
    }

    @Test
    void tokenForAnotherAudienceIsRefused() {
        assertRefused(provider.token("corp", "alice", "some-other-app", Map.of(), 600), "wrong audience");
    }

    @Test
    void wrongIssuerIsRefusedEvenWhenSignedWithTheIdpsKey() {
        JwtClaims c = claims("corp", AUD);
        c.setIssuer(provider.issuer("partner"));
        // Claims partner's issuer but carries corp's key: partner's key set does not know that kid.
        assertRefused(provider.signWithIdpKey("corp", c), "unknown signing key");
        // A login started at corp refuses a token naming any other issuer.
        assertThatThrownBy(() -> registry.verifyFrom(corp.id(), provider.token("partner", "bob", AUD, Map.of(), 600)))
                .isInstanceOf(NotAuthenticated.class).hasMessageContaining("wrong issuer");
    }

    @Test
    void expiredTokenIsRefused() {
        JwtClaims c = claims("corp", AUD);
        c.setIssuedAt(NumericDate.fromMilliseconds(clock.millis() - 600_000));
        c.setExpirationTime(NumericDate.fromMilliseconds(clock.millis() - 120_000));
        assertRefused(provider.signWithIdpKey("corp", c), "expired");
        String real = validCorpToken();
        clock.advance(Duration.ofMinutes(11));
        assertRefused(real, "expired");
    }

    @Test
    void tokenJustPastExpiryIsAcceptedWithinTheSkew() {
        JwtClaims c = claims("corp", AUD);
        c.setIssuedAt(NumericDate.fromMilliseconds(clock.millis() - 600_000));
        c.setExpirationTime(NumericDate.fromMilliseconds(clock.millis() - 10_000));
        assertThat(registry.verify(provider.signWithIdpKey("corp", c))).isPresent();
    }

    @Test
    void tokenNotYetValidIsRefused() {
        JwtClaims c = claims("corp", AUD);
        c.setNotBefore(NumericDate.fromMilliseconds(clock.millis() + 300_000));
        assertRefused(provider.signWithIdpKey("corp", c), "not yet valid");
    }

    @Test
    void tokenWithoutSubjectOrExpiryIsRefused() {
        JwtClaims noSub = claims("corp", AUD);
        noSub.unsetClaim("sub");
        assertRefused(provider.signWithIdpKey("corp", noSub), "sub and exp are required");
        JwtClaims noExp = claims("corp", AUD);
        noExp.unsetClaim("exp");
        assertRefused(provider.signWithIdpKey("corp", noExp), "sub and exp are required");
    }

    @Test
    void tamperedPayloadIsRefused() throws Exception {
        String[] parts = validCorpToken().split("\\.");
        JwtClaims forged = JwtClaims.parse(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
        forged.setSubject("admin");
        String payload = Base64.getUrlEncoder().withoutPadding().encodeToString(forged.toJson().getBytes(StandardCharsets.UTF_8));
        assertRefused(parts[0] + "." + payload + "." + parts[2], "bad signature");
    }

    @Test
    void unknownKidIsA401AndFetchesTheKeysAtMostOncePerInterval() throws Exception {
        registry.verify(validCorpToken()).orElseThrow();
        long before = registry.keyFetches(corp.issuer());
        clock.advance(Duration.ofSeconds(6));
        KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
        gen.initialize(2048);
        var rogue = gen.generateKeyPair();
        for (int i = 0; i < 25; i++) {
            JsonWebSignature jws = new JsonWebSignature();
            jws.setPayload(claims("corp", AUD).toJson());
            jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
            jws.setKeyIdHeaderValue("bogus-" + i);
            jws.setKey(rogue.getPrivate());
            assertRefused(jws.getCompactSerialization(), "unknown signing key");
        }
        assertThat(registry.keyFetches(corp.issuer())).isEqualTo(before + 1);
        clock.advance(Duration.ofSeconds(5));
        assertRefused(provider.signWithIdpKey("partner", claims("corp", AUD)), "unknown signing key");
        assertThat(registry.keyFetches(corp.issuer())).isEqualTo(before + 2);
    }

    @Test
    void rotatedKeysAreUsedWithoutARestart() {
        String oldToken = validCorpToken();
        registry.verify(oldToken).orElseThrow();
        provider.rotate("corp");
        clock.advance(Duration.ofSeconds(5));
        String newToken = validCorpToken();
        assertThat(registry.verify(newToken).orElseThrow().subject()).isEqualTo("alice");
        // The IdP no longer publishes the old key, so its tokens stop working too.
        assertRefused(oldToken, "unknown signing key");
    }

    @Test
    void keysAreRefreshedPeriodically() {
        registry.verify(validCorpToken()).orElseThrow();
        long before = registry.keyFetches(corp.issuer());
        registry.refreshStaleKeys();
        assertThat(registry.keyFetches(corp.issuer())).isEqualTo(before);
        clock.advance(Duration.ofMinutes(61));
        registry.refreshStaleKeys();
        assertThat(registry.keyFetches(corp.issuer())).isEqualTo(before + 1);
    }

    @Test
    void unreachableIdpMakesItsTokensA401() {
        Idp gone = new Idp(UUID.randomUUID(), "gone", "http://127.0.0.1:9/gone", AUD, null, null, true, Role.MEMBER,
                List.of(), true, Idp.Source.ADMIN, Instant.now());
        registry.replaceAll(List.of(gone));
        JwtClaims c = claims("corp", AUD);
        c.setIssuer("http://127.0.0.1:9/gone");
        assertRefused(provider.signWithIdpKey("corp", c), "unknown signing key");
    }

    @Test
    void disabledOrRemovedIdpNoLongerVerifies() {
        String token = validCorpToken();
        registry.replaceAll(List.of(partner));
        assertThat(registry.verify(token)).isEmpty();
        registry.replaceAll(List.of(new Idp(corp.id(), corp.name(), corp.issuer(), AUD, null, null, true, Role.MEMBER,
                List.of(), false, Idp.Source.ADMIN, corp.createdAt())));
        assertThat(registry.verify(token)).isEmpty();
    }

    @Test
    void httpIssuerIsNotTrustedUnlessAllowed() {
        IdpRegistry strict = new IdpRegistry(new OidcHttp(OidcHttp.defaultClient(), new ObjectMapper(), Duration.ofSeconds(5)),
                new IssuerPolicy(false), clock, Duration.ofSeconds(30), Duration.ofSeconds(5), Duration.ofHours(1));
        strict.replaceAll(List.of(corp));
        assertThat(strict.all()).isEmpty();
        assertThat(strict.verify(validCorpToken())).isEmpty();
    }

    @Test
    void emailDomainsAreMatchedExactly() {
        Idp restricted = new Idp(UUID.randomUUID(), "r", "https://idp.example.com", AUD, null, null, true, Role.MEMBER,
                List.of("@Example.com", " corp.example "), true, Idp.Source.ADMIN, Instant.now());
        assertThat(restricted.allowsEmail("alice@example.com")).isTrue();
        assertThat(restricted.allowsEmail("ALICE@EXAMPLE.COM")).isTrue();
        assertThat(restricted.allowsEmail("bob@corp.example")).isTrue();
        assertThat(restricted.allowsEmail("eve@evil-example.com")).isFalse();
        assertThat(restricted.allowsEmail("eve@sub.example.com")).isFalse();
        assertThat(restricted.allowsEmail("eve@example.com.evil")).isFalse();
        assertThat(restricted.allowsEmail(null)).isFalse();
        assertThat(restricted.allowsEmail("example.com")).isFalse();
    }
}
