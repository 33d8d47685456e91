package ccag.server.auth.oidc;

import ccag.server.errors.NotAuthenticated;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Set;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.ErrorCodes;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.jwx.JsonWebStructure;
import org.jose4j.lang.JoseException;

/** Verifies tokens of one IdP: signature by one of its keys, exact {@code iss}, {@code aud}, {@code exp}, {@code nbf}. */
final class IdpVerifier {
    /**
     * Asymmetric algorithms only. {@code none} would accept an unsigned token; HMAC would let anyone
     * holding the IdP's public key (that is, everyone) sign tokens with it as the shared secret.
     */
    private static final AlgorithmConstraints ALLOWED_ALGORITHMS = new AlgorithmConstraints(
            AlgorithmConstraints.ConstraintType.PERMIT,
            AlgorithmIdentifiers.RSA_USING_SHA256, AlgorithmIdentifiers.RSA_USING_SHA384, AlgorithmIdentifiers.RSA_USING_SHA512,
            AlgorithmIdentifiers.RSA_PSS_USING_SHA256, AlgorithmIdentifiers.RSA_PSS_USING_SHA384, AlgorithmIdentifiers.RSA_PSS_USING_SHA512,
            AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256, AlgorithmIdentifiers.ECDSA_USING_P384_CURVE_AND_SHA384,
            AlgorithmIdentifiers.ECDSA_USING_P521_CURVE_AND_SHA512);

    private static final Set<String> ALLOWED_ALGORITHM_NAMES = Set.of(
            AlgorithmIdentifiers.RSA_USING_SHA256, AlgorithmIdentifiers.RSA_USING_SHA384, AlgorithmIdentifiers.RSA_USING_SHA512,
            AlgorithmIdentifiers.RSA_PSS_USING_SHA256, AlgorithmIdentifiers.RSA_PSS_USING_SHA384, AlgorithmIdentifiers.RSA_PSS_USING_SHA512,
            AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256, AlgorithmIdentifiers.ECDSA_USING_P384_CURVE_AND_SHA384,
            AlgorithmIdentifiers.ECDSA_USING_P521_CURVE_AND_SHA512);

    private final Idp idp;
    private final IdpKeys keys;
    private final Clock clock;
    private final int skewSeconds;

    IdpVerifier(Idp idp, IdpKeys keys, Clock clock, Duration skew) {
        this.idp = idp;
        this.keys = keys;
        this.clock = clock;
        this.skewSeconds = (int) skew.toSeconds();
    }

    Idp idp() {
        return idp;
    }

    IdpKeys keys() {
        return keys;
    }

    VerifiedToken verify(String jwt) {
        // Refused before any key lookup, so such tokens cannot make the gateway re-fetch the IdP's keys.
        if (!ALLOWED_ALGORITHM_NAMES.contains(algorithmOf(jwt))) {
            throw new NotAuthenticated("identity token rejected: signing algorithm not allowed");
        }
        JwtConsumer consumer = new JwtConsumerBuilder()
                .setJwsAlgorithmConstraints(ALLOWED_ALGORITHMS)
                .setVerificationKeyResolver(keys)
                .setExpectedIssuer(true, idp.issuer())
                .setExpectedAudience(true, idp.audience())
                .setRequireExpirationTime()
                .setRequireSubject()
                // A little tolerance for clocks that drift between the IdP and the gateway.
                .setAllowedClockSkewInSeconds(skewSeconds)
                .setEvaluationTime(NumericDate.fromMilliseconds(clock.millis()))
                .build();
        try {
            JwtClaims claims = consumer.processToClaims(jwt);
            String email = claims.getClaimValue("email") instanceof String s ? s.trim() : null;
            String name = claims.getClaimValue("name") instanceof String n ? n
                    : claims.getClaimValue("preferred_username") instanceof String p ? p : null;
            return new VerifiedToken(idp, claims.getSubject(), email, name,
                    Instant.ofEpochSecond(claims.getExpirationTime().getValue()),
                    claims.getClaimValue("nonce") instanceof String nonce ? nonce : null,
                    emailVerified(claims.getClaimValue("email_verified")));
        } catch (InvalidJwtException e) {
            throw new NotAuthenticated(reason(e));
        } catch (MalformedClaimException e) {
            throw new NotAuthenticated("identity token rejected: malformed claims");
        }
    }

    /** Booleans, or the strings some IdPs send instead. */
    private static Boolean emailVerified(Object v) {
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof String s) {
            return Boolean.parseBoolean(s.trim());
        }
        return null;
    }

    private static String algorithmOf(String jwt) {
        try {
            return JsonWebStructure.fromCompactSerialization(jwt).getAlgorithmHeaderValue();
        } catch (JoseException e) {
            return null;
        }
    }

    private String reason(InvalidJwtException e) {
        String prefix = "identity token rejected: ";
        if (e.hasExpired()) {
            return prefix + "expired";
        }
        if (e.hasErrorCode(ErrorCodes.NOT_YET_VALID)) {
            return prefix + "not yet valid";
        }
        if (e.hasErrorCode(ErrorCodes.ISSUER_INVALID) || e.hasErrorCode(ErrorCodes.ISSUER_MISSING)) {
            return prefix + "wrong issuer";
        }
        if (e.hasErrorCode(ErrorCodes.AUDIENCE_INVALID) || e.hasErrorCode(ErrorCodes.AUDIENCE_MISSING)) {
            return prefix + "wrong audience";
        }
        if (e.hasErrorCode(ErrorCodes.SIGNATURE_INVALID)) {
            return prefix + "bad signature";
        }
        if (e.hasErrorCode(ErrorCodes.SUBJECT_MISSING) || e.hasErrorCode(ErrorCodes.EXPIRATION_MISSING)) {
            return prefix + "sub and exp are required";
        }
        String detail = e.getErrorDetails().isEmpty() ? "" : e.getErrorDetails().get(0).getErrorMessage();
        String lower = detail.toLowerCase(Locale.ROOT);
        if (lower.contains("algorithm")) {
            return prefix + "signing algorithm not allowed";
        }
        if (lower.contains("signing key") || lower.contains("signature is required")) {
            return prefix + (lower.contains("signature is required") ? "unsigned" : "unknown signing key");
        }
        return prefix + "invalid";
    }
}
