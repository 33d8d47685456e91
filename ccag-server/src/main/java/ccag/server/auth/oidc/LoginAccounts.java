package ccag.server.auth.oidc;

import java.util.UUID;

/** Which gateway user a verified IdP identity is; implemented over the users table. */
public interface LoginAccounts {
    /**
     * The user {@code (token's IdP, sub)}, created with the IdP's default role when it auto-provisions.
     * Throws {@link ccag.server.errors.Forbidden} when the user may not sign in (not provisioned, e-mail
     * domain not allowed, deactivated).
     */
    UUID admit(VerifiedToken token);
}
