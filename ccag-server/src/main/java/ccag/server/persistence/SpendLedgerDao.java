package ccag.server.persistence;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlBatch;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** The spend ledger: rows opened before an upstream call and settled after it. */
@RegisterConstructorMapper(LedgerRow.class)
public interface SpendLedgerDao {

    @SqlUpdate("""
            INSERT INTO spend_ledger (request_id, user_id, key_id, team_id, auth_method, model_requested, bedrock_model_id,
                                      streaming, status, estimated_input_tokens, started_at, instance_id)
            VALUES (:requestId, :userId, :keyId, :teamId, :authMethod, :modelRequested, :bedrockModelId,
                    :streaming, 'open', :estimatedInputTokens, :startedAt, :instanceId)
            """)
    void open(@Bind("requestId") String requestId, @Bind("userId") UUID userId, @Bind("keyId") UUID keyId,
              @Bind("teamId") UUID teamId, @Bind("authMethod") String authMethod, @Bind("modelRequested") String modelRequested,
              @Bind("bedrockModelId") String bedrockModelId, @Bind("streaming") boolean streaming,
              @Bind("estimatedInputTokens") long estimatedInputTokens, @Bind("startedAt") Instant startedAt,
              @Bind("instanceId") String instanceId);

    @SqlBatch("""
            UPDATE spend_ledger
               SET status = :status, http_status = :httpStatus, error_type = :errorType,
                   input_tokens = :inputTokens, output_tokens = :outputTokens,
                   cache_creation_tokens = :cacheCreationTokens, cache_read_tokens = :cacheReadTokens,
                   cost_micro_usd = :costMicroUsd, latency_ms = :latencyMs, ttfb_ms = :ttfbMs, finished_at = :finishedAt
             WHERE request_id = :requestId AND status = 'open'
            """)
    int[] settle(@Bind("requestId") List<String> requestIds, @Bind("status") List<String> statuses,
                 @Bind("httpStatus") List<Integer> httpStatuses, @Bind("errorType") List<String> errorTypes,
                 @Bind("inputTokens") List<Long> inputTokens, @Bind("outputTokens") List<Long> outputTokens,
                 @Bind("cacheCreationTokens") List<Long> cacheCreationTokens, @Bind("cacheReadTokens") List<Long> cacheReadTokens,
                 @Bind("costMicroUsd") List<Long> costMicroUsd, @Bind("latencyMs") List<Long> latencyMs,
                 @Bind("ttfbMs") List<Long> ttfbMs, @Bind("finishedAt") List<Instant> finishedAt);

    /** Rows still open that started before the cut-off: their instance died or lost the settlement. */
    @SqlQuery("SELECT * FROM spend_ledger WHERE status = 'open' AND started_at < :olderThan ORDER BY started_at LIMIT :limit")
    List<LedgerRow> staleOpen(@Bind("olderThan") Instant olderThan, @Bind("limit") int limit);

    @SqlQuery("SELECT * FROM spend_ledger WHERE request_id = :requestId")
    Optional<LedgerRow> find(@Bind("requestId") String requestId);

    @SqlQuery("SELECT * FROM spend_ledger ORDER BY started_at DESC LIMIT :limit")
    List<LedgerRow> latest(@Bind("limit") int limit);
}
