package ccag.server.persistence;

import java.time.Instant;
import java.util.UUID;

/** A row of {@code audit_events}; {@code details} is a JSON object as text. */
public record AuditRow(UUID id, Instant at, UUID actorUserId, String actor, String action, String targetType,
                       String targetId, String clientAddress, String details) {
}
