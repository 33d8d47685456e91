package ccag.server.persistence;

import java.time.Instant;
import java.util.UUID;

/** One row of {@code spend_ledger}; {@code costMicroUsd} is null when the model has no price. */
public record LedgerRow(String requestId, UUID userId, UUID keyId, UUID teamId, String authMethod, String modelRequested,
                        String bedrockModelId, boolean streaming, String status, Integer httpStatus, String errorType,
                        long estimatedInputTokens, long inputTokens, long outputTokens, long cacheCreationTokens,
                        long cacheReadTokens, Long costMicroUsd, Long latencyMs, Long ttfbMs, Instant startedAt,
                        Instant finishedAt, String instanceId, String operation) {
}
