package ccag.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ccag.server.CcagApplication;
import ccag.server.auth.principal.Caller;
import ccag.server.config.CcagConfiguration;
import ccag.server.errors.RateLimited;
import ccag.server.testing.Api;
import ccag.server.testing.CcagTestApp;
import ccag.server.testing.TestDatabase;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Two gateway instances on one database: revocations, rate limits and login lockouts hold across both. */
@ExtendWith(DropwizardExtensionsSupport.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TwoInstancesIT {
    static final TestDatabase.Db DB = TestDatabase.fresh();
    static final DropwizardAppExtension<CcagConfiguration> A = CcagTestApp.on(DB,
            CcagTestApp.set("auth.loginMaxFailures", "3"), CcagTestApp.set("auth.loginMaxAddressFailures", "6"),
            CcagTestApp.set("auth.loginSlowdown", "50ms"));
    static final DropwizardAppExtension<CcagConfiguration> B = CcagTestApp.on(DB,
            CcagTestApp.set("auth.loginMaxFailures", "3"), CcagTestApp.set("auth.loginMaxAddressFailures", "6"),
            CcagTestApp.set("auth.loginSlowdown", "50ms"));
    static Api a;
    static Api b;
    static String adminA;
    static String adminB;

    @BeforeAll
    static void login() {
        a = new Api(A.getLocalPort());
        b = new Api(B.getLocalPort());
        adminA = a.adminToken();
        adminB = b.adminToken();
    }

    private static CcagApplication.Wiring wiring(DropwizardAppExtension<CcagConfiguration> app) {
        return app.<CcagApplication>getApplication().wiring();
    }

    private static Map<String, Object> createKey(Api api, String token, Object... extra) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("name", "k-" + UUID.randomUUID()));
        for (int i = 0; i + 1 < extra.length; i += 2) {
            body.put((String) extra[i], extra[i + 1]);
        }
        Api.Reply r = api.post("/admin/keys", token, body);
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return Map.of("key", r.json().path("key").asText(), "id", r.json().path("id").asText());
    }

    private static int meWithKey(Api api, String key) {
        return api.call("GET", "/auth/me", null, null, "x-api-key", key).status();
    }

    /** Milliseconds until {@code check} holds, polling every 10 ms, failing after {@code limit}. */
    private static long millisUntil(Callable<Boolean> check, Duration limit) throws Exception {
        long start = System.nanoTime();
        while (!check.call()) {
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("waited too long").isLessThan(limit);
            Thread.sleep(10);
        }
        return Duration.ofNanos(System.nanoTime() - start).toMillis();
    }

    @Test
    void revokedKeyIsRejectedOnEveryInstanceWithinOneSecond() throws Exception {
        Map<String, Object> k = createKey(a, adminA);
        String key = (String) k.get("key");
        assertThat(meWithKey(a, key)).isEqualTo(200);
        assertThat(meWithKey(b, key)).as("cached on B").isEqualTo(200);

        assertThat(a.post("/admin/keys/" + k.get("id") + "/revoke", adminA, null).status()).isEqualTo(200);
        assertThat(meWithKey(a, key)).as("at once on A").isEqualTo(401);
        long ms = millisUntil(() -> meWithKey(b, key) == 401, Duration.ofSeconds(1));
        System.out.println("revocation reached the other instance in " + ms + " ms");
    }

    @Test
    void deletedKeyDeactivatedUserAndLoggedOutSessionAreRefusedOnTheOtherInstance() throws Exception {
        Map<String, Object> k = createKey(a, adminA);
        String key = (String) k.get("key");
        assertThat(meWithKey(b, key)).isEqualTo(200);
        assertThat(a.call("DELETE", "/admin/keys/" + k.get("id"), adminA, null).status()).isEqualTo(204);
        millisUntil(() -> meWithKey(b, key) == 401, Duration.ofSeconds(1));

        String uid = a.post("/admin/users", adminA, Map.of("subject", "u-" + UUID.randomUUID())).json().path("id").asText();
        String userKey = (String) createKey(a, adminA, "user_id", uid).get("key");
        assertThat(meWithKey(b, userKey)).isEqualTo(200);
        a.call("PATCH", "/admin/users/" + uid, adminA, Map.of("active", false));
        millisUntil(() -> meWithKey(b, userKey) == 403, Duration.ofSeconds(1));

        String session = a.adminToken();
        assertThat(b.get("/admin/keys", session).status()).isEqualTo(200);
        assertThat(a.post("/auth/logout", session, null).status()).isEqualTo(204);
        millisUntil(() -> b.get("/admin/keys", session).status() == 401, Duration.ofSeconds(1));
    }

    @Test
    void aLostNotificationIsHealedByThePollWithinFiveSeconds() throws Exception {
        Map<String, Object> k = createKey(a, adminA);
        String key = (String) k.get("key");
        assertThat(meWithKey(b, key)).isEqualTo(200);
        // Revoke behind the gateway's back: the version moves, but no NOTIFY is ever sent.
        wiring(A).jdbi().useTransaction(h -> {
            h.createUpdate("UPDATE virtual_keys SET revoked_at = now() WHERE id = CAST(:id AS uuid)").bind("id", k.get("id")).execute();
            h.createUpdate("""
                    INSERT INTO change_versions (channel, version) VALUES ('auth', 1)
                    ON CONFLICT (channel) DO UPDATE SET version = change_versions.version + 1
                    """).execute();
        });
        long ms = millisUntil(() -> meWithKey(b, key) == 401 && meWithKey(a, key) == 401, Duration.ofSeconds(5));
        System.out.println("lost notification healed in " + ms + " ms");
    }

    @Test
    void rateLimitHoldsAcrossBothInstances() throws Exception {
        String key = (String) createKey(a, adminA, "rate_limit_rpm", 7).get("key");
        Caller onA = wiring(A).credentialChain().authenticate(new Presented(key, Surface.V1)).orElseThrow();
        Caller onB = wiring(B).credentialChain().authenticate(new Presented(key, Surface.V1)).orElseThrow();
        assertThat(onA.rateLimitRpm()).isEqualTo(7);

        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> attempts = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                boolean useA = i % 2 == 0;
                attempts.add(pool.submit(() -> {
                    try {
                        (useA ? wiring(A) : wiring(B)).rateLimiter().admit(useA ? onA : onB);
                        return true;
                    } catch (RateLimited refused) {
                        return false;
                    }
                }));
            }
            int admitted = 0;
            for (Future<Boolean> f : attempts) {
                admitted += f.get() ? 1 : 0;
            }
            assertThat(admitted).isEqualTo(7);
        } finally {
            pool.shutdownNow();
        }
        assertThatThrownBy(() -> wiring(B).rateLimiter().admit(onB))
                .isInstanceOfSatisfying(RateLimited.class, e -> {
                    assertThat(e.retryAfterSeconds()).isBetween(1L, 60L);
                    assertThat(e.kind().status()).isEqualTo(429);
                    assertThat(e.kind().type()).isEqualTo("rate_limit_error");
                });

        String unlimited = (String) createKey(a, adminA).get("key");
        Caller free = wiring(A).credentialChain().authenticate(new Presented(unlimited, Surface.V1)).orElseThrow();
        for (int i = 0; i < 50; i++) {
            wiring(i % 2 == 0 ? A : B).rateLimiter().admit(free);
        }
    }

    /** Runs {@code attempts} admissions on 8 threads, alternating instances; returns how many were admitted. */
    private static int admitAcrossBoth(String key, int attempts) throws Exception {
        Caller onA = wiring(A).credentialChain().authenticate(new Presented(key, Surface.V1)).orElseThrow();
        Caller onB = wiring(B).credentialChain().authenticate(new Presented(key, Surface.V1)).orElseThrow();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < attempts; i++) {
                boolean useA = i % 2 == 0;
                results.add(pool.submit(() -> {
                    try {
                        (useA ? wiring(A) : wiring(B)).rateLimiter().admit(useA ? onA : onB);
                        return true;
                    } catch (RateLimited refused) {
                        assertThat(refused.retryAfterSeconds()).isBetween(1L, 60L);
                        return false;
                    }
                }));
            }
            int admitted = 0;
            for (Future<Boolean> f : results) {
                admitted += f.get() ? 1 : 0;
            }
            return admitted;
        } finally {
            pool.shutdownNow();
        }
    }

    private static long countedTokens(String keyId) {
        return wiring(A).jdbi().withHandle(h -> h.createQuery(
                "SELECT COALESCE(sum(tokens), 0) FROM rate_limit_leases WHERE key_id = CAST(:id AS uuid)")
                .bind("id", keyId).mapTo(Long.class).one());
    }

    @Test
    void leasedBatchesNeverAdmitMoreThanTheLimitAcrossBothInstances() throws Exception {
        Map<String, Object> k = createKey(a, adminA, "rate_limit_rpm", 400);
        int admitted = admitAcrossBoth((String) k.get("key"), 1200);
        long leases = wiring(A).jdbi().withHandle(h -> h.createQuery(
                "SELECT count(*) FROM rate_limit_leases WHERE key_id = CAST(:id AS uuid)").bind("id", k.get("id")).mapTo(Long.class).one());
        System.out.println("limit 400: " + admitted + " admitted from " + leases + " leases");
        assertThat(admitted).as("never over the limit").isLessThanOrEqualTo(400);
        // at most one lease per instance is left unspent, each at most 400/20 tokens
        assertThat(admitted).as("little lost to unspent leases").isGreaterThanOrEqualTo(400 - 2 * 20);
        assertThat(leases).as("tokens were leased in batches").isLessThan(admitted / 2);
        assertThat(countedTokens((String) k.get("id"))).isBetween((long) admitted, 400L);
    }

    @Test
    void aSmallLimitIsExactAcrossBothInstances() throws Exception {
        Map<String, Object> k = createKey(a, adminA, "rate_limit_rpm", 3);
        assertThat(admitAcrossBoth((String) k.get("key"), 30)).isEqualTo(3);
        assertThat(countedTokens((String) k.get("id"))).as("one token per lease: nothing unspent").isEqualTo(3);
        Caller onA = wiring(A).credentialChain().authenticate(new Presented((String) k.get("key"), Surface.V1)).orElseThrow();
        assertThatThrownBy(() -> wiring(A).rateLimiter().admit(onA)).isInstanceOf(RateLimited.class);
    }

    @Test
    @Order(Integer.MAX_VALUE) // locks the admin's username and this address: the last test to log in
    void loginLockoutIsSharedAcrossInstancesByUsernameAndByAddress() {
        // Three failures for "admin", alternating instances, lock the username everywhere.
        for (int i = 0; i < 2; i++) {
            Api.Reply r = (i % 2 == 0 ? a : b).post("/auth/login", null, Map.of("username", "admin", "password", "wrong-" + i));
            assertThat(r.status()).isEqualTo(401);
        }
        Api.Reply third = b.post("/auth/login", null, Map.of("username", "admin", "password", "wrong-3"));
        assertThat(third.status()).isEqualTo(429);
        assertThat(third.errorType()).isEqualTo("rate_limit_error");
        assertThat(Long.parseLong(third.header("retry-after"))).isBetween(1L, 60L);
        Api.Reply right = a.post("/auth/login", null, Map.of("username", "admin", "password", CcagTestApp.ADMIN_PASSWORD));
        assertThat(right.status()).as("even the right password waits out the lock").isEqualTo(429);
        assertThat(right.header("retry-after")).isNotNull();

        // Three more failures from this address (other names) reach its limit of six: every name is refused.
        for (int i = 0; i < 3; i++) {
            (i % 2 == 0 ? a : b).post("/auth/login", null, Map.of("username", "guess-" + i, "password", "x"));
        }
        Api.Reply other = a.post("/auth/login", null, Map.of("username", "someone-else", "password", "x"));
        assertThat(other.status()).isEqualTo(429);
        // Existing sessions are untouched by a lockout.
        assertThat(b.get("/auth/me", adminB).status()).isEqualTo(200);
    }
}
