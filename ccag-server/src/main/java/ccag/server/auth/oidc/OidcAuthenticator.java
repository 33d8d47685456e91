package ccag.server.auth.oidc;

import ccag.api.Role;
import ccag.server.auth.CredentialAuthenticator;
import ccag.server.auth.Surface;
import ccag.server.auth.principal.Caller;
import ccag.server.persistence.UserRow;
import java.util.Optional;

/**
 * Tier 3 of the chain: a JWT issued by a trusted IdP (Bearer or x-api-key), valid on every surface.
 * A credential that is not a JWT of a trusted issuer is left to the next tier; a trusted IdP's token
 * that fails verification is a 401 saying why (expired, wrong audience, …).
 */
public final class OidcAuthenticator implements CredentialAuthenticator {
    private final IdpRegistry registry;
    private final OidcAccounts accounts;

    public OidcAuthenticator(IdpRegistry registry, OidcAccounts accounts) {
        this.registry = registry;
        this.accounts = accounts;
    }

    @Override
    public Optional<Caller> authenticate(String credential, Surface surface) {
        if (!IdpRegistry.looksLikeJwt(credential)) {
            return Optional.empty();
        }
        return registry.verify(credential).map(token -> {
            UserRow u = accounts.user(token);
            return new Caller(u.id(), u.subject(), u.email(), Role.fromWire(u.role()), u.teamId(), null,
                    Caller.AuthMethod.OIDC, 0, u.idpId(), null, token.expiresAt());
        });
    }
}
