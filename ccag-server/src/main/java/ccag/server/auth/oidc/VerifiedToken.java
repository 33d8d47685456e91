package ccag.server.auth.oidc;

import java.time.Instant;
import java.util.Objects;

/**
 * A token whose signature, issuer, audience and lifetime were checked, with the claims the gateway uses.
 *
 * @param email may be null (not every IdP sends it)
 * @param name  a display name from {@code name} or {@code preferred_username}, may be null
 * @param nonce the {@code nonce} claim of an ID token, may be null
 * @param emailVerified the {@code email_verified} claim, null when the IdP does not send it
 */
public record VerifiedToken(Idp idp, String subject, String email, String name, Instant expiresAt, String nonce,
                            Boolean emailVerified) {
    public VerifiedToken {
        Objects.requireNonNull(idp, "idp");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }
}
