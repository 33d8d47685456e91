package ccag.server.persistence;

import java.time.Instant;
import java.util.UUID;

/** A row of {@code users}. {@code passwordHash} is set only for local accounts and never leaves the auth room. */
public record UserRow(UUID id, UUID idpId, String subject, String email, String role, UUID teamId, boolean active,
                      String passwordHash, Instant createdAt, Instant lastSeenAt) {
    @Override
    public String toString() {
        return "UserRow[id=" + id + ", idpId=" + idpId + ", subject=" + subject + ", role=" + role + ", active=" + active + "]";
    }
}
