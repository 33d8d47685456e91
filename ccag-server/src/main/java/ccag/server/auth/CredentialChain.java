package ccag.server.auth;

import ccag.server.auth.principal.Caller;
import io.dropwizard.auth.Authenticator;
import java.util.List;
import java.util.Optional;

/**
 * The seed's order for one presented value: virtual key, then OIDC token(s), then session token.
 * The OIDC tier is an extension point: its authenticators are passed in the middle of the list.
 */
public final class CredentialChain implements Authenticator<Presented, Caller> {
    private final List<CredentialAuthenticator> tiers;

    /**
     * @param virtualKeys the tier-2 authenticator
     * @param oidc        tier-3 authenticators, tried in order (empty until OIDC is configured)
     * @param sessions    the tier-1 session-token authenticator
     */
    public CredentialChain(CredentialAuthenticator virtualKeys, List<CredentialAuthenticator> oidc, CredentialAuthenticator sessions) {
        this.tiers = new java.util.ArrayList<>();
        this.tiers.add(virtualKeys);
        this.tiers.addAll(oidc);
        this.tiers.add(sessions);
    }

    @Override
    public Optional<Caller> authenticate(Presented credential) {
        for (CredentialAuthenticator tier : tiers) {
            Optional<Caller> caller = tier.authenticate(credential.value(), credential.surface());
            if (caller.isPresent()) {
                return caller;
            }
        }
        return Optional.empty();
    }
}
