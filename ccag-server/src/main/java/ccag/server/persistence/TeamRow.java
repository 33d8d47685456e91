package ccag.server.persistence;

import java.time.Instant;
import java.util.UUID;

/** A row of {@code teams}, with its member count. */
public record TeamRow(UUID id, String name, Instant createdAt, int memberCount) {
}
