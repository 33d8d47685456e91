package ccag.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ArgsTest {
    private static final Clock NOW = Clock.fixed(Instant.parse("2026-03-16T10:00:00Z"), ZoneOffset.UTC);

    @Test
    void expiryAcceptsInstantsDatesAndSpans() {
        assertThat(Args.expiry("2026-12-31T18:00:00Z", NOW)).isEqualTo(Instant.parse("2026-12-31T18:00:00Z"));
        assertThat(Args.expiry("2026-12-31T18:00:00+02:00", NOW)).isEqualTo(Instant.parse("2026-12-31T16:00:00Z"));
        assertThat(Args.expiry("2026-12-31", NOW)).isEqualTo(Instant.parse("2026-12-31T00:00:00Z"));
        assertThat(Args.expiry("30m", NOW)).isEqualTo(Instant.parse("2026-03-16T10:30:00Z"));
        assertThat(Args.expiry("12h", NOW)).isEqualTo(Instant.parse("2026-03-16T22:00:00Z"));
        assertThat(Args.expiry("90d", NOW)).isEqualTo(Instant.parse("2026-06-14T10:00:00Z"));
        assertThat(Args.expiry("2w", NOW)).isEqualTo(Instant.parse("2026-03-30T10:00:00Z"));
        assertThat(Args.expiry("never", NOW)).isNull();
    }

    @Test
    void expiryRefusesThePastAndNonsense() {
        assertThatThrownBy(() -> Args.expiry("2026-03-16", NOW)).isInstanceOf(CliException.class)
                .hasMessageContaining("2026-03-16T00:00:00Z is not in the future");
        assertThatThrownBy(() -> Args.expiry("0m", NOW)).hasMessageContaining("not in the future");
        assertThatThrownBy(() -> Args.expiry("next tuesday", NOW)).hasMessageContaining("not a time, date or span")
                .satisfies(e -> assertThat(((CliException) e).exitCode()).isEqualTo(ExitCodes.USAGE));
    }

    @Test
    void profileNamesAreShortAndPlain() {
        assertThat(Args.profile("staging-eu.1")).isEqualTo("staging-eu.1");
        assertThatThrownBy(() -> Args.profile("../etc")).isInstanceOf(CliException.class);
        assertThatThrownBy(() -> Args.profile("a b")).isInstanceOf(CliException.class);
        assertThatThrownBy(() -> Args.profile("x".repeat(65))).isInstanceOf(CliException.class);
    }

    @Test
    void onlyWholeUuidsAreIds() {
        assertThat(Args.isUuid("0f8a3c52-9d2e-4c71-a0c4-5f1e2d3b4a69")).isTrue();
        assertThat(Args.isUuid("1-2-3-4-5")).isFalse();
        assertThat(Args.isUuid("Engineering")).isFalse();
    }
}
