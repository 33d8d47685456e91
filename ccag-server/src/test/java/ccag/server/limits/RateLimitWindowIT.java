package ccag.server.limits;

import static org.assertj.core.api.Assertions.assertThat;

import ccag.server.CcagApplication;
import ccag.server.auth.principal.Caller;
import ccag.server.config.CcagConfiguration;
import ccag.server.errors.RateLimited;
import ccag.server.testing.Api;
import ccag.server.testing.CcagTestApp;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The window slides on the database: two limiters with their own leases (as two instances have) on
 * one key, with a 3-second window so that it slides within the test, never admit more than N in any
 * window, yet admit again as leases leave it.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class RateLimitWindowIT {
    static final DropwizardAppExtension<CcagConfiguration> APP = CcagTestApp.create();

    @Test
    void leasingInstancesNeverAdmitMoreThanTheLimitInAnySlidingWindow() throws Exception {
        Api api = new Api(APP.getLocalPort());
        String admin = api.adminToken();
        Api.Reply created = api.post("/admin/keys", admin, Map.of("name", "window-" + UUID.randomUUID(), "rate_limit_rpm", 60));
        UUID keyId = UUID.fromString(created.json().path("id").asText());
        Caller caller = new Caller(null, "window", null, ccag.api.Role.MEMBER, null, keyId, Caller.AuthMethod.VIRTUAL_KEY, 60);
        Jdbi jdbi = APP.<CcagApplication>getApplication().wiring().jdbi();
        Duration window = Duration.ofSeconds(3);
        RateLimiter.Settings settings = new RateLimiter.Settings(Duration.ofMillis(300), Duration.ofMillis(100), Duration.ofSeconds(5));
        List<RateLimiter> instances = List.of(new RateLimiter(jdbi, Clock.systemUTC(), settings, window),
                new RateLimiter(jdbi, Clock.systemUTC(), settings, window));

        List<Long> admittedAt = Collections.synchronizedList(new ArrayList<>());
        List<Long> retryAfters = Collections.synchronizedList(new ArrayList<>());
        long end = System.nanoTime() + Duration.ofSeconds(7).toNanos();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            RateLimiter limiter = instances.get(i % 2);
            threads.add(Thread.ofPlatform().start(() -> {
                while (System.nanoTime() < end) {
                    try {
                        limiter.admit(caller);
                        admittedAt.add(System.nanoTime());
                    } catch (RateLimited refused) {
                        retryAfters.add(refused.retryAfterSeconds());
                    }
                    try {
                        Thread.sleep(2);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }

        List<Long> times = new ArrayList<>(admittedAt);
        Collections.sort(times);
        // Times are taken after admit returns, a little after the admission itself: allow 100 ms of slack.
        long span = window.minusMillis(100).toNanos();
        int most = 0;
        for (int first = 0, last = 0; last < times.size(); last++) {
            while (times.get(last) - times.get(first) >= span) {
                first++;
            }
            most = Math.max(most, last - first + 1);
        }
        System.out.println("limit 60 per 3 s window: " + times.size() + " admitted in 7 s, at most " + most + " in one window");
        // a batch lease counts until one window after its expiry: 3 s + 0.3 s, rounded up
        assertThat(retryAfters).isNotEmpty().allSatisfy(s -> assertThat(s).isBetween(1L, 4L));
        assertThat(most).as("admitted in one window").isLessThanOrEqualTo(60);
        assertThat(times.size()).as("the window slid: tokens came back").isGreaterThan(60 + 30);
    }
}
