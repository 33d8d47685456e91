package ccag.server.persistence;

import java.time.Instant;
import java.util.UUID;

/** A row of {@code virtual_keys}: the hash and display prefix, never the key. */
public record KeyRow(UUID id, String keyHash, String prefix, String name, UUID userId, UUID teamId, int rateLimitRpm,
                     UUID createdBy, Instant createdAt, Instant expiresAt, Instant revokedAt, Instant lastUsedAt) {
}
