package ccag.server.persistence;

import java.time.Instant;
import java.util.UUID;

/**
 * What authentication needs about one credential (a virtual key or a session) and its user, in one
 * query. For a key without a user the user columns are null.
 */
public record CredentialRow(UUID id, Instant expiresAt, Instant revokedAt, int rateLimitRpm, UUID keyTeamId,
                            UUID userId, UUID idpId, String subject, String email, String role, UUID userTeamId,
                            Boolean active, String name) {
}
