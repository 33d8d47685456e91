package ccag.server.persistence;

import java.time.Instant;

/** One row of {@code model_mappings}. */
public record ModelMappingRow(String model, String bedrockModelId, Instant updatedAt, String updatedBy) {
}
