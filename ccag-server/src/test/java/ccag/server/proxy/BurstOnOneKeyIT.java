package ccag.server.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import ccag.server.CcagApplication;
import ccag.server.config.CcagConfiguration;
import ccag.server.testing.Api;
import ccag.server.testing.CcagTestApp;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Bursts on one key against a small connection pool (4, 1 s wait): every request is answered with a
 * success, a 429 or a retryable 529, never a 500; a pool with no free connection is a 529 everywhere.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class BurstOnOneKeyIT {
    static final DropwizardAppExtension<CcagConfiguration> APP = CcagTestApp.create(
            CcagTestApp.set("database.maxPoolSize", "4"), CcagTestApp.set("database.connectTimeout", "1s"));
    static final String BODY = "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    static Api api;
    static String admin;

    @BeforeAll
    static void login() {
        api = new Api(APP.getLocalPort());
        admin = api.adminToken();
    }

    private static String createKey(int rpm) {
        Api.Reply r = api.post("/admin/keys", admin, Map.of("name", "burst-" + UUID.randomUUID(), "rate_limit_rpm", rpm));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        String key = r.json().path("key").asText();
        // authenticated once, so the burst finds the key in the credential cache
        assertThat(api.call("GET", "/auth/me", null, null, "x-api-key", key).status()).isEqualTo(200);
        return key;
    }

    private static Api.Reply send(String key) {
        return api.call("POST", "/v1/messages", null, BODY, "x-api-key", key);
    }

    /** Sends {@code n} requests at once on {@code key}; returns the count per status, each refusal checked. */
    private static Map<Integer, Integer> burst(String key, int n) throws Exception {
        Map<Integer, Integer> statuses = new TreeMap<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Api.Reply>> replies = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                replies.add(pool.submit(() -> send(key)));
            }
            for (Future<Api.Reply> f : replies) {
                Api.Reply r = f.get();
                statuses.merge(r.status(), 1, Integer::sum);
                if (r.status() != 200) {
                    assertThat(r.status()).as(r.toString()).isIn(429, 529);
                    assertThat(r.errorType()).isIn("rate_limit_error", "overloaded_error");
                    assertThat(Long.parseLong(r.header("retry-after"))).isBetween(1L, 60L);
                    assertThat(r.header("x-should-retry")).isEqualTo("true");
                }
            }
        }
        return statuses;
    }

    @Test
    void aBurstLargerThanThePoolOnALimitedKeyIsAdmittedUpToTheLimitAndNeverA500() throws Exception {
        String key = createKey(3);
        Map<Integer, Integer> statuses = burst(key, 300);
        System.out.println("300 at once, limit 3, pool 4: " + statuses);
        // never over the limit; an admitted request may still meet a full pool when its ledger row is opened
        assertThat(statuses.getOrDefault(200, 0)).isBetween(1, 3);
        assertThat(statuses.keySet()).isSubsetOf(200, 429, 529);
    }

    @Test
    void aBurstLargerThanThePoolOnAHighLimitIsServedOrOverloadedNeverA500() throws Exception {
        String key = createKey(100_000);
        Map<Integer, Integer> statuses = burst(key, 300);
        System.out.println("300 at once, limit 100000, pool 4: " + statuses);
        assertThat(statuses.keySet()).isSubsetOf(200, 529);
        assertThat(statuses.getOrDefault(200, 0)).isPositive();
    }

    @Test
    void noFreeConnectionIsA529WithRetryAfterOnV1AndAdmin() {
        String key = createKey(1000);
        assertThat(send(key).status()).as("warms the credential cache and spends the first one-token lease").isEqualTo(200);
        Jdbi jdbi = APP.<CcagApplication>getApplication().wiring().jdbi();
        List<Handle> held = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                held.add(jdbi.open());
            }
            Api.Reply v1 = send(key);
            assertThat(v1.status()).as(v1.toString()).isEqualTo(529);
            assertThat(v1.errorType()).isEqualTo("overloaded_error");
            assertThat(v1.header("retry-after")).isEqualTo("1");
            assertThat(v1.header("x-should-retry")).isEqualTo("true");
            assertThat(v1.json().path("request_id").asText()).isEqualTo(v1.header("request-id"));

            Api.Reply adminList = api.get("/admin/keys", admin);
            assertThat(adminList.status()).as(adminList.toString()).isEqualTo(529);
            assertThat(adminList.errorType()).isEqualTo("overloaded_error");
        } finally {
            held.forEach(Handle::close);
        }
        assertThat(send(key).status()).as("served again once connections are free").isEqualTo(200);
    }
}
