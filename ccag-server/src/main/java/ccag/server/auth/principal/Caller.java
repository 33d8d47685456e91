package ccag.server.auth.principal;

import ccag.api.Role;
import java.security.Principal;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * Who is calling, as the authentication chain established it; the one principal everything
 * downstream (limits, spend, admin rules) reads.
 *
 * @param userId       the user, or null for a key that belongs to no user
 * @param subject      the user's subject (IdP {@code sub} or local username), or the key name
 * @param email        may be null
 * @param role         the user's role ({@code member} for a key without a user)
 * @param teamId       the team the request is charged to (the key's team, else the user's), or null
 * @param keyId        the virtual key used, or null
 * @param method       how the caller authenticated
 * @param rateLimitRpm the key's per-minute request limit, 0 for none
 * @param idpId        the identity provider of the user, or null for a key without a user
 * @param sessionId    the session used (method SESSION), or null
 * @param expiresAt    when the credential used stops working, or null if it does not expire
 */
public record Caller(UUID userId, String subject, String email, Role role, UUID teamId, UUID keyId,
                     AuthMethod method, int rateLimitRpm, UUID idpId, UUID sessionId, Instant expiresAt)
        implements Principal {
    public Caller {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(method, "method");
    }

    public Caller(UUID userId, String subject, String email, Role role, UUID teamId, UUID keyId,
                  AuthMethod method, int rateLimitRpm) {
        this(userId, subject, email, role, teamId, keyId, method, rateLimitRpm, null, null, null);
    }

    public enum AuthMethod {
        VIRTUAL_KEY("virtual_key"),
        OIDC("oidc"),
        SESSION("session");

        private final String wire;

        AuthMethod(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }
    }

    public boolean isAdmin() {
        return role == Role.ADMIN;
    }

    @Override
    public String getName() {
        return subject;
    }
}
