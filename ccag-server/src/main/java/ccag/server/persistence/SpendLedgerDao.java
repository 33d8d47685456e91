package ccag.server.persistence;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.TemplateEngine;

/**
 * The spend ledger: rows opened before an upstream call and settled after it.
 *
 * <p>Written with Jdbi's fluent API rather than a SQL object: {@link #open} runs once per proxied
 * request, and attaching a SQL object (a configuration copy and a handler per method on every call)
 * cost more CPU than the insert itself. The statements contain no template attributes, so they skip
 * template rendering too.
 */
public final class SpendLedgerDao {
    /**
     * One row; its commit does not wait for the WAL flush ({@code set_config} is local to the
     * statement's transaction, and evaluated once). Batched, the rows of one batch share one round trip
     * and one commit.
     */
    private static final String OPEN = """
            INSERT INTO spend_ledger (request_id, user_id, key_id, team_id, auth_method, model_requested, bedrock_model_id,
                                      streaming, status, estimated_input_tokens, started_at, instance_id, operation)
            SELECT :requestId, :userId, :keyId, :teamId, :authMethod, :modelRequested, :bedrockModelId,
                   :streaming, 'open', :estimatedInputTokens, :startedAt, :instanceId, :operation
             WHERE set_config('synchronous_commit', 'off', true) IS NOT NULL
            """;
    private static final String SETTLE = """
            UPDATE spend_ledger
               SET status = :status, http_status = :httpStatus, error_type = :errorType,
                   input_tokens = :inputTokens, output_tokens = :outputTokens,
                   cache_creation_tokens = :cacheCreationTokens, cache_read_tokens = :cacheReadTokens,
                   cost_micro_usd = :costMicroUsd, latency_ms = :latencyMs, ttfb_ms = :ttfbMs, finished_at = :finishedAt
             WHERE request_id = :requestId AND status = 'open'
            """;

    /** A row as opened. */
    public record Opening(String requestId, UUID userId, UUID keyId, UUID teamId, String authMethod, String modelRequested,
                          String bedrockModelId, boolean streaming, long estimatedInputTokens, Instant startedAt,
                          String instanceId, String operation) {
    }

    /** The columns a settlement writes; {@code costMicroUsd} null: the model has no price. */
    public record Settling(String requestId, String status, Integer httpStatus, String errorType, long inputTokens,
                           long outputTokens, long cacheCreationTokens, long cacheReadTokens, Long costMicroUsd,
                           Long latencyMs, Long ttfbMs, Instant finishedAt) {
    }

    private final Jdbi jdbi;

    public SpendLedgerDao(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /**
     * Inserts the open rows, all in one round trip and one transaction whose commit does not wait for
     * the WAL flush: they are committed, and visible to every instance, when this returns. One failing
     * row fails them all.
     */
    public void open(List<Opening> rows) {
        if (rows.isEmpty()) {
            return;
        }
        jdbi.useHandle(h -> {
            PreparedBatch batch = h.prepareBatch(OPEN);
            batch.setTemplateEngine(TemplateEngine.NOP);
            for (Opening o : rows) {
                batch.bind("requestId", o.requestId())
                        .bind("userId", o.userId())
                        .bind("keyId", o.keyId())
                        .bind("teamId", o.teamId())
                        .bind("authMethod", o.authMethod())
                        .bind("modelRequested", o.modelRequested())
                        .bind("bedrockModelId", o.bedrockModelId())
                        .bind("streaming", o.streaming())
                        .bind("estimatedInputTokens", o.estimatedInputTokens())
                        .bind("startedAt", o.startedAt())
                        .bind("instanceId", o.instanceId())
                        .bind("operation", o.operation())
                        .add();
            }
            batch.execute();
        });
    }

    /**
     * Settles rows still open, in one transaction whose commit does not wait for the WAL flush; rows
     * already settled (or never opened) are left as they are. Returns how many rows changed.
     */
    public int settle(List<Settling> rows) {
        if (rows.isEmpty()) {
            return 0;
        }
        return jdbi.inTransaction(h -> {
            h.execute("SET LOCAL synchronous_commit = off");
            PreparedBatch batch = h.prepareBatch(SETTLE);
            batch.setTemplateEngine(TemplateEngine.NOP);
            for (Settling s : rows) {
                batch.bind("requestId", s.requestId())
                        .bind("status", s.status())
                        .bind("httpStatus", s.httpStatus())
                        .bind("errorType", s.errorType())
                        .bind("inputTokens", s.inputTokens())
                        .bind("outputTokens", s.outputTokens())
                        .bind("cacheCreationTokens", s.cacheCreationTokens())
                        .bind("cacheReadTokens", s.cacheReadTokens())
                        .bind("costMicroUsd", s.costMicroUsd())
                        .bind("latencyMs", s.latencyMs())
                        .bind("ttfbMs", s.ttfbMs())
                        .bind("finishedAt", s.finishedAt())
                        .add();
            }
            int changed = 0;
            for (int n : batch.execute()) {
                changed += Math.max(n, 0);
            }
            return changed;
        });
    }

    /** Rows still open that started before the cut-off: their instance died or lost the settlement. */
    public List<LedgerRow> staleOpen(Instant olderThan, int limit) {
        return jdbi.withHandle(h -> rows(h, "SELECT * FROM spend_ledger WHERE status = 'open' AND started_at < :olderThan"
                + " ORDER BY started_at LIMIT :limit").bind("olderThan", olderThan).bind("limit", limit)
                .mapTo(LedgerRow.class).list());
    }

    public Optional<LedgerRow> find(String requestId) {
        return jdbi.withHandle(h -> rows(h, "SELECT * FROM spend_ledger WHERE request_id = :requestId")
                .bind("requestId", requestId).mapTo(LedgerRow.class).findOne());
    }

    public List<LedgerRow> latest(int limit) {
        return jdbi.withHandle(h -> rows(h, "SELECT * FROM spend_ledger ORDER BY started_at DESC LIMIT :limit")
                .bind("limit", limit).mapTo(LedgerRow.class).list());
    }

    private static org.jdbi.v3.core.statement.Query rows(Handle h, String sql) {
        org.jdbi.v3.core.statement.Query q = h.createQuery(sql);
        q.setTemplateEngine(TemplateEngine.NOP);
        q.registerRowMapper(ConstructorMapper.factory(LedgerRow.class));
        return q;
    }
}
