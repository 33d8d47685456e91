package ccag.server.auth;

import ccag.server.auth.principal.Caller;
import java.util.Optional;

/**
 * One tier of the authentication chain (virtual key, OIDC token, session token). The chain tries the
 * tiers in order on each presented value; the first that returns a caller wins.
 *
 * <p>Contract: return empty when the value is not this tier's kind of credential, is unknown, revoked
 * or expired, or is not valid on this surface (the chain answers 401 when every tier says so). Throw
 * {@link ccag.server.errors.Forbidden} when the credential is valid but its user may not proceed
 * (deactivated). Never log the value.
 */
public interface CredentialAuthenticator {
    Optional<Caller> authenticate(String credential, Surface surface);
}
