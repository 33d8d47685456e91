package ccag.server.spend;

import static org.assertj.core.api.Assertions.assertThat;

import ccag.server.persistence.JdbiSetup;
import ccag.server.persistence.LedgerRow;
import ccag.server.persistence.Migrations;
import ccag.server.testing.TestDatabase;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/** The ledger on a real PostgreSQL: no request goes unaccounted, whatever happens between open and settle. */
class SpendLedgerIT {
    private Jdbi jdbi;

    @BeforeEach
    void database() throws Exception {
        TestDatabase.Db db = TestDatabase.fresh();
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(db.url());
        ds.setUser(db.user());
        ds.setPassword(db.password());
        new Migrations(ds).migrate();
        jdbi = JdbiSetup.configure(Jdbi.create(ds).installPlugin(new org.jdbi.v3.sqlobject.SqlObjectPlugin()));
    }

    private static SpendLedger.Opening opening(String id) {
        return new SpendLedger.Opening(id, UUID.randomUUID(), UUID.randomUUID(), null, "virtual_key",
                "claude-sonnet-4-5", "us.anthropic.claude-sonnet-4-5-20250929-v1:0", true, 1200);
    }

    @Test
    void settlementsQueuedAtShutdownAreWrittenBeforeStopReturns() throws Exception {
        SpendLedger ledger = new SpendLedger(jdbi, PriceTable.builtIn(), Clock.systemUTC(), "test-a", Duration.ofHours(2));
        ledger.start();
        for (int i = 0; i < 50; i++) {
            ledger.open(opening("req_shutdown_" + i));
            ledger.settle(new SpendLedger.Settlement("req_shutdown_" + i, "us.anthropic.claude-sonnet-4-5-20250929-v1:0",
                    "ok", 200, null, Usage.of(1000, 200, 0, 0), 120L, 40L));
        }
        ledger.stop();
        for (int i = 0; i < 50; i++) {
            LedgerRow row = ledger.find("req_shutdown_" + i).orElseThrow();
            assertThat(row.status()).isEqualTo("ok");
            assertThat(row.inputTokens()).isEqualTo(1000);
            assertThat(row.costMicroUsd()).isPositive();
        }
    }

    @Test
    void concurrentOpensAreAllCommittedAndARefusedRowFailsOnlyItsOwnRequest() throws Exception {
        SpendLedger ledger = new SpendLedger(jdbi, PriceTable.builtIn(), Clock.systemUTC(), "test-b", Duration.ofHours(2));
        ledger.start();
        ledger.open(opening("req_taken"));
        int n = 64;
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        java.util.List<java.util.concurrent.Future<String>> results = new java.util.ArrayList<>();
        try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < n; i++) {
                // one of them reuses a request id already in the ledger: the database refuses that row
                String id = i == n / 2 ? "req_taken" : "req_concurrent_" + i;
                results.add(pool.submit(() -> {
                    go.await();
                    try {
                        ledger.open(opening(id));
                        return "committed";
                    } catch (RuntimeException e) {
                        return "refused";
                    }
                }));
            }
            go.countDown();
            for (int i = 0; i < n; i++) {
                assertThat(results.get(i).get()).isEqualTo(i == n / 2 ? "refused" : "committed");
            }
        }
        ledger.stop();
        for (int i = 0; i < n; i++) {
            if (i != n / 2) {
                assertThat(ledger.find("req_concurrent_" + i).orElseThrow().status()).isEqualTo("open");
            }
        }
    }

    @Test
    void theCostOfAModelWithoutAPriceIsRecordedAsUnknownNotAsFree() throws Exception {
        SpendLedger ledger = new SpendLedger(jdbi, PriceTable.builtIn(), Clock.systemUTC(), "test-c", Duration.ofHours(2));
        ledger.start();
        ledger.open(opening("req_unpriced"));
        ledger.settle(new SpendLedger.Settlement("req_unpriced", "us.anthropic.claude-haiku-5-5-v1:0", "ok", 200, null,
                Usage.of(1000, 200, 0, 0), 120L, 40L));
        ledger.stop();
        LedgerRow row = ledger.find("req_unpriced").orElseThrow();
        assertThat(row.status()).isEqualTo("ok");
        assertThat(row.inputTokens()).isEqualTo(1000);
        assertThat(row.costMicroUsd()).isNull();
    }

    @Test
    void aRowLeftOpenByADeadInstanceIsSettledAsInterruptedAtItsInputEstimate() {
        Instant then = Instant.parse("2026-11-24T00:00:00Z");
        SpendLedger crashed = new SpendLedger(jdbi, PriceTable.builtIn(), Clock.fixed(then, ZoneOffset.UTC), "dead", Duration.ofHours(2));
        crashed.open(opening("req_orphan"));
        // the instance dies here: no settlement is ever queued

        SpendLedger survivor = new SpendLedger(jdbi, PriceTable.builtIn(),
                Clock.fixed(then.plus(Duration.ofHours(3)), ZoneOffset.UTC), "alive", Duration.ofHours(2));
        survivor.sweepStale();

        LedgerRow row = survivor.find("req_orphan").orElseThrow();
        assertThat(row.status()).isEqualTo("interrupted");
        assertThat(row.inputTokens()).isEqualTo(1200);
        assertThat(row.costMicroUsd()).isPositive();
    }

    @Test
    void aRequestInFlightIsNeverSweptAway() {
        Instant now = Instant.parse("2026-11-24T00:00:00Z");
        SpendLedger ledger = new SpendLedger(jdbi, PriceTable.builtIn(), Clock.fixed(now, ZoneOffset.UTC), "a", Duration.ofHours(2));
        ledger.open(opening("req_live"));
        ledger.sweepStale();
        assertThat(ledger.find("req_live").orElseThrow().status()).isEqualTo("open");
    }
}
