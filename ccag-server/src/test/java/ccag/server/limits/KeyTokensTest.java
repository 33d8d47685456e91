package ccag.server.limits;

import static org.assertj.core.api.Assertions.assertThat;

import ccag.server.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The arithmetic of one key's lease, refusal memory and batch size, on a clock the test moves. */
class KeyTokensTest {
    private static final Duration LEASE = Duration.ofSeconds(2);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-24T10:00:00Z"));
    private final KeyTokens tokens = new KeyTokens();

    @Test
    void aLeaseIsSpentOnlyWithinItsDurationFromTheRequest() {
        assertThat(tokens.take(clock.instant())).as("no lease yet").isFalse();
        tokens.leased(1, 4, clock.instant(), LEASE);
        assertThat(tokens.left()).as("the first token admitted the request that asked").isEqualTo(3);
        assertThat(tokens.take(clock.instant())).isTrue();
        clock.advance(Duration.ofMillis(1999));
        assertThat(tokens.take(clock.instant())).as("last millisecond of the lease").isTrue();
        clock.advance(Duration.ofMillis(1));
        assertThat(tokens.take(clock.instant())).as("the lease ends at start + duration").isFalse();
        assertThat(tokens.left()).isEqualTo(1);
        assertThat(tokens.returnableLease(clock.instant())).isEqualTo(1L);
        assertThat(tokens.returnableTokens(clock.instant())).isEqualTo(1);
    }

    @Test
    void anExhaustedLeaseRefusesAndHasNothingToGiveBack() {
        tokens.leased(7, 3, clock.instant(), LEASE);
        assertThat(tokens.take(clock.instant())).isTrue();
        assertThat(tokens.take(clock.instant())).isTrue();
        assertThat(tokens.take(clock.instant())).isFalse();
        assertThat(tokens.returnableLease(clock.instant())).isNull();
        assertThat(tokens.returnableTokens(clock.instant())).isZero();
    }

    @Test
    void aLiveLeaseIsNeverGivenBack() {
        tokens.leased(3, 5, clock.instant(), LEASE);
        clock.advance(Duration.ofSeconds(1));
        assertThat(tokens.returnableLease(clock.instant())).isNull();
    }

    @Test
    void aClockSteppedBackEndsTheLeaseInsteadOfLengtheningIt() {
        tokens.leased(1, 5, clock.instant(), LEASE);
        clock.advance(Duration.ofMillis(-1));
        assertThat(tokens.take(clock.instant())).isFalse();
        assertThat(tokens.returnableTokens(clock.instant())).isEqualTo(4);
    }

    @Test
    void smallLimitsLeaseOneTokenAtATime() {
        tokens.leased(1, 1, clock.instant(), LEASE);
        tokens.take(clock.instant());
        clock.advance(Duration.ofMillis(1));
        tokens.leased(2, 1, clock.instant(), LEASE); // a fast key: 1 token per millisecond
        assertThat(tokens.wanted(3, LEASE)).isEqualTo(1);
        assertThat(tokens.wanted(39, LEASE)).isEqualTo(1);
    }

    @Test
    void batchFollowsTheKeysRateUpToATwentiethOfTheLimit() {
        assertThat(tokens.wanted(1000, LEASE)).as("no rate known yet").isEqualTo(1);
        tokens.leased(1, 4, clock.instant(), LEASE);
        for (int i = 0; i < 3; i++) {
            assertThat(tokens.take(clock.instant())).isTrue();
        }
        clock.advance(Duration.ofMillis(400)); // 4 tokens in 0.4 s: 10 per second
        tokens.leased(2, 1, clock.instant(), LEASE);
        assertThat(tokens.ratePerSecond()).isEqualTo(10.0);
        assertThat(tokens.wanted(1000, LEASE)).as("10/s over a 2 s lease").isEqualTo(20);
        assertThat(tokens.wanted(200, LEASE)).as("capped at 200/20").isEqualTo(10);

        tokens.take(clock.instant());
        clock.advance(Duration.ofSeconds(10)); // one token in 10 s: the estimate halves towards 0.1/s
        tokens.leased(3, 1, clock.instant(), LEASE);
        assertThat(tokens.ratePerSecond()).isCloseTo(5.05, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(tokens.wanted(1000, LEASE)).isEqualTo(11);
    }

    @Test
    void aRefusalIsRememberedForItsMemoryButNotPastTheFreeToken() {
        tokens.refused(clock.instant(), Duration.ofMillis(30_500), Duration.ofMillis(250));
        assertThat(tokens.rememberedRefusal(clock.instant())).as("30.5 s rounds up").isEqualTo(31);
        clock.advance(Duration.ofMillis(249));
        assertThat(tokens.rememberedRefusal(clock.instant())).isEqualTo(31);
        clock.advance(Duration.ofMillis(1));
        assertThat(tokens.rememberedRefusal(clock.instant())).as("memory over: ask the database").isEqualTo(-1);

        tokens.refused(clock.instant(), Duration.ofMillis(100), Duration.ofMillis(250));
        clock.advance(Duration.ofMillis(99));
        assertThat(tokens.rememberedRefusal(clock.instant())).isEqualTo(1);
        clock.advance(Duration.ofMillis(1));
        assertThat(tokens.rememberedRefusal(clock.instant())).as("a token is free again").isEqualTo(-1);

        tokens.refused(clock.instant(), Duration.ofSeconds(5), Duration.ofMillis(250));
        clock.advance(Duration.ofMillis(-1));
        assertThat(tokens.rememberedRefusal(clock.instant())).as("clock stepped back").isEqualTo(-1);
    }

    @Test
    void aNewLeaseForgetsTheRefusal() {
        tokens.refused(clock.instant(), Duration.ofSeconds(5), Duration.ofMillis(250));
        tokens.leased(9, 2, clock.instant(), LEASE);
        assertThat(tokens.rememberedRefusal(clock.instant())).isEqualTo(-1);
        assertThat(tokens.take(clock.instant())).isTrue();
    }

    @Test
    void aSingleTokenLeaseEndsAtItsGrant() {
        assertThat(KeyTokens.leaseDuration(1, LEASE)).isEqualTo(Duration.ZERO);
        assertThat(KeyTokens.leaseDuration(2, LEASE)).isEqualTo(LEASE);
        tokens.leased(4, 1, clock.instant(), KeyTokens.leaseDuration(1, LEASE));
        assertThat(tokens.take(clock.instant())).isFalse();
        assertThat(tokens.returnableLease(clock.instant())).as("nothing unspent").isNull();
    }

    @Test
    void retryAfterIsWholeSecondsRoundedUpAndAtLeastOne() {
        assertThat(KeyTokens.retryAfterSeconds(Duration.ZERO)).isEqualTo(1);
        assertThat(KeyTokens.retryAfterSeconds(Duration.ofMillis(-5))).isEqualTo(1);
        assertThat(KeyTokens.retryAfterSeconds(Duration.ofMillis(1000))).isEqualTo(1);
        assertThat(KeyTokens.retryAfterSeconds(Duration.ofMillis(1001))).isEqualTo(2);
        assertThat(KeyTokens.retryAfterSeconds(Duration.ofSeconds(60))).isEqualTo(60);
    }

    @Test
    void aBurstQueuedBehindTheLeaseRequestIsCoveredUpToATwentiethOfTheLimit() {
        KeyTokens fresh = new KeyTokens();
        assertThat(fresh.wanted(1000, Duration.ofSeconds(2), 0)).isEqualTo(1);
        assertThat(fresh.wanted(1000, Duration.ofSeconds(2), 30)).isEqualTo(31);
        assertThat(fresh.wanted(1000, Duration.ofSeconds(2), 500)).isEqualTo(50);
        assertThat(fresh.wanted(30, Duration.ofSeconds(2), 500)).isEqualTo(1);
    }
}
