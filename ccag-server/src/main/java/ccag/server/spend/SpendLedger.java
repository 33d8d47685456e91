package ccag.server.spend;

import ccag.server.persistence.LedgerRow;
import ccag.server.persistence.SpendLedgerDao;
import io.dropwizard.lifecycle.Managed;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The spend ledger. A row is opened before a request goes to Bedrock and settled after it, so a crash
 * in between leaves an open row — never a missing one. Opening waits for the row's commit; the rows
 * of concurrent requests are committed together (group commit: one round trip and one commit per
 * batch, by the opener thread). Settlements are written by a background writer in batches; stopping
 * the ledger drains both, and rows left open by a crashed instance are later settled as
 * {@code interrupted} at their estimated input cost.
 */
public final class SpendLedger implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(SpendLedger.class);
    private static final int BATCH = 256;

    /** A {@code /v1/messages} call (InvokeModel, streaming or not). */
    public static final String MESSAGES = "messages";
    /** A {@code /v1/messages/count_tokens} call that reached Bedrock's CountTokens (free of charge). */
    public static final String COUNT_TOKENS = "count_tokens";

    /** What is known when a request is admitted; {@code operation}: {@link #MESSAGES} or {@link #COUNT_TOKENS}. */
    public record Opening(String requestId, UUID userId, UUID keyId, UUID teamId, String authMethod,
                          String modelRequested, String bedrockModelId, boolean streaming, long estimatedInputTokens,
                          String operation) {
        /** A {@code /v1/messages} call. */
        public Opening(String requestId, UUID userId, UUID keyId, UUID teamId, String authMethod, String modelRequested,
                       String bedrockModelId, boolean streaming, long estimatedInputTokens) {
            this(requestId, userId, keyId, teamId, authMethod, modelRequested, bedrockModelId, streaming,
                    estimatedInputTokens, MESSAGES);
        }
    }

    /** How it ended. {@code status}: ok, error or cancelled. */
    public record Settlement(String requestId, String bedrockModelId, String status, Integer httpStatus, String errorType,
                             Usage usage, Long latencyMs, Long ttfbMs) {
    }

    private final SpendLedgerDao dao;
    private final PriceTable prices;
    private final Clock clock;
    private final String instanceId;
    private final Duration staleAfter;
    private final BlockingQueue<Settlement> pending = new LinkedBlockingQueue<>();
    private final BlockingQueue<PendingOpen> opens = new LinkedBlockingQueue<>();
    private final java.util.Set<String> unpriced = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile boolean running;
    private Thread writer;
    private Thread opener;

    /** A row waiting for the opener, and the caller waiting for its commit. */
    private record PendingOpen(SpendLedgerDao.Opening row, CompletableFuture<Void> committed) {
    }

    public SpendLedger(Jdbi jdbi, PriceTable prices, Clock clock, String instanceId, Duration staleAfter) {
        this.dao = new SpendLedgerDao(jdbi);
        this.prices = prices;
        this.clock = clock;
        this.instanceId = instanceId;
        this.staleAfter = staleAfter;
    }

    /**
     * Opens the row; returns only once it is committed, or throws what kept it from being committed
     * (an unreachable database: {@code Unavailable}; a full pool: {@code Overloaded}).
     */
    public void open(Opening o) {
        awaitCommitted(openAsync(o));
    }

    /**
     * Starts opening the row and returns at once; the caller must {@link #awaitCommitted} it before
     * anything goes upstream. Lets a request finish its own preparation while the row commits.
     */
    public CompletableFuture<Void> openAsync(Opening o) {
        // The row matters if this JVM dies, and a committed row survives that; waiting for the WAL flush
        // as well would only guard against the database host crashing, at a cost on every request (the
        // DAO turns the flush wait off for these commits).
        SpendLedgerDao.Opening row = new SpendLedgerDao.Opening(o.requestId(), o.userId(), o.keyId(), o.teamId(),
                o.authMethod(), o.modelRequested(), o.bedrockModelId(), o.streaming(), o.estimatedInputTokens(),
                clock.instant(), instanceId, o.operation());
        PendingOpen p = new PendingOpen(row, new CompletableFuture<>());
        if (!running) {
            // not started (tools, tests) or stopped: commit it here
            commit(List.of(p));
            return p.committed();
        }
        opens.add(p);
        if (!running && opens.remove(p)) {
            // stopped meanwhile, and neither the opener nor stop() took it
            commit(List.of(p));
        }
        return p.committed();
    }

    /** Waits for a row of {@link #openAsync} to be committed; throws what kept it from being committed. */
    public static void awaitCommitted(CompletableFuture<Void> opened) {
        try {
            // not interruptible: a row being committed must not be left behind by a request that gave up
            opened.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    private void openLoop() {
        while (running || !opens.isEmpty()) {
            PendingOpen first;
            try {
                first = opens.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                continue;
            }
            if (first != null) {
                List<PendingOpen> batch = new ArrayList<>();
                batch.add(first);
                opens.drainTo(batch, BATCH - 1);
                commit(batch);
            }
        }
    }

    /** Commits a batch of opened rows and answers each waiting caller. */
    private void commit(List<PendingOpen> batch) {
        try {
            List<SpendLedgerDao.Opening> rows = new ArrayList<>(batch.size());
            for (PendingOpen p : batch) {
                rows.add(p.row());
            }
            dao.open(rows);
            batch.forEach(p -> p.committed().complete(null));
        } catch (StatementException e) {
            if (batch.size() == 1) {
                batch.get(0).committed().completeExceptionally(e);
                return;
            }
            // One refused row fails the statement for all of them: give each row its own answer.
            for (PendingOpen p : batch) {
                try {
                    dao.open(List.of(p.row()));
                    p.committed().complete(null);
                } catch (RuntimeException each) {
                    p.committed().completeExceptionally(each);
                }
            }
        } catch (RuntimeException | Error e) {
            // no connection (unreachable database, full pool): the same answer for every row
            batch.forEach(p -> p.committed().completeExceptionally(e));
            if (e instanceof Error error) {
                throw error;
            }
        }
    }

    /** Queues the settlement; the writer commits it within milliseconds. */
    public void settle(Settlement s) {
        pending.add(s);
    }

    /**
     * The price of a usage as the ledger records it, in micro-USD: 0 for no tokens at all, null when
     * the model has no price (recorded as unknown, never as free; logged once per model).
     */
    public Long priceOf(String bedrockModelId, Usage usage) {
        if (usage.equals(Usage.ZERO)) {
            return 0L;
        }
        java.util.Optional<Cost> cost = prices.costOf(usage, bedrockModelId);
        if (cost.isPresent()) {
            return cost.get().micros();
        }
        if (bedrockModelId != null && unpriced.size() < 1_000 && unpriced.add(bedrockModelId)) {
            LOG.warn("no price for model {}: its spend is recorded with an unknown cost; add the model to a prices file"
                    + " (CCAG_PRICES_FILE, see README)", bedrockModelId);
        }
        return null;
    }

    @Override
    public void start() {
        running = true;
        writer = Thread.ofPlatform().name("spend-ledger-writer").daemon(true).start(this::writeLoop);
        opener = Thread.ofPlatform().name("spend-ledger-opener").daemon(true).start(this::openLoop);
    }

    @Override
    public void stop() throws InterruptedException {
        running = false;
        if (opener != null) {
            // it commits what is queued, then ends; anything left after that is committed here
            opener.join(TimeUnit.SECONDS.toMillis(30));
            List<PendingOpen> left = new ArrayList<>();
            opens.drainTo(left);
            if (!left.isEmpty()) {
                commit(left);
            }
        }
        if (writer != null) {
            writer.interrupt();
            writer.join(TimeUnit.SECONDS.toMillis(30));
        }
        flush(drain());
    }

    private void writeLoop() {
        Instant nextSweep = clock.instant();
        while (running) {
            try {
                Settlement first = pending.poll(1, TimeUnit.SECONDS);
                if (first != null) {
                    List<Settlement> batch = new ArrayList<>(BATCH);
                    batch.add(first);
                    pending.drainTo(batch, BATCH - 1);
                    flush(batch);
                }
                if (clock.instant().isAfter(nextSweep)) {
                    sweepStale();
                    nextSweep = clock.instant().plusSeconds(60);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.warn("spend ledger write failed, will retry: {}", e.toString());
                sleepQuietly();
            }
        }
    }

    private List<Settlement> drain() {
        List<Settlement> all = new ArrayList<>();
        pending.drainTo(all);
        return all;
    }

    private void flush(List<Settlement> batch) {
        if (batch.isEmpty()) {
            return;
        }
        try {
            write(batch);
        } catch (RuntimeException e) {
            // Put them back: a settlement is never dropped while the process lives.
            pending.addAll(batch);
            throw e;
        }
    }

    private void write(List<Settlement> batch) {
        Instant now = clock.instant();
        List<SpendLedgerDao.Settling> rows = new ArrayList<>(batch.size());
        for (Settlement s : batch) {
            Usage u = s.usage() == null ? Usage.ZERO : s.usage();
            rows.add(new SpendLedgerDao.Settling(s.requestId(), s.status(), s.httpStatus(), s.errorType(), u.inputTokens(),
                    u.outputTokens(), u.cacheCreationInputTokens(), u.cacheReadInputTokens(), priceOf(s.bedrockModelId(), u),
                    s.latencyMs(), s.ttfbMs(), now));
        }
        dao.settle(rows);
    }

    /** Settles rows that stayed open past any plausible request (their instance died) as interrupted. */
    void sweepStale() {
        List<LedgerRow> stale = dao.staleOpen(clock.instant().minus(staleAfter), 500);
        if (stale.isEmpty()) {
            return;
        }
        List<Settlement> settlements = new ArrayList<>(stale.size());
        for (LedgerRow r : stale) {
            settlements.add(new Settlement(r.requestId(), r.bedrockModelId(), "interrupted", null, "interrupted",
                    Usage.of(r.estimatedInputTokens(), 0, 0, 0), null, null));
        }
        write(settlements);
        LOG.warn("settled {} spend ledger row(s) left open by an interrupted instance", stale.size());
    }

    /** Rows for tests and reports. */
    public List<LedgerRow> latest(int limit) {
        return dao.latest(limit);
    }

    public java.util.Optional<LedgerRow> find(String requestId) {
        return dao.find(requestId);
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
