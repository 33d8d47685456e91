package ccag.server.spend;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Objects;

/**
 * The cost of one request in US dollars, exact ({@link #usd()}, a {@link BigDecimal}), and rounded
 * half-up to integer micro-dollars ({@link #micros()}) for storage and budget arithmetic: one
 * micro-dollar is far below the price of a single output token of any model, so the rounding
 * error per request is at most $0.0000005.
 *
 * <p>Formula (spec §5.3): {@code (input × P_in + output × P_out + cache_read × P_read +
 * cache_write_5m × P_w5 + cache_write_1h × P_w1h) / 1,000,000}. Cache writes without a TTL
 * breakdown are priced at the 5-minute rate. When the family has a long-context premium and the
 * whole prompt exceeds its threshold, input and cache rates are multiplied by the input factor and
 * output by the output factor.
 */
public record Cost(BigDecimal usd) {
    private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);

    public Cost {
        Objects.requireNonNull(usd);
    }

    public static Cost of(Usage usage, Prices prices) {
        BigDecimal inFactor = BigDecimal.ONE;
        BigDecimal outFactor = BigDecimal.ONE;
        if (prices.longContextThreshold() > 0 && usage.totalInputTokens() > prices.longContextThreshold()) {
            inFactor = prices.longContextInputMultiplier();
            outFactor = prices.longContextOutputMultiplier();
        }
        long w1h = Math.min(usage.cacheCreation1hInputTokens(), usage.cacheCreationInputTokens());
        long w5m = usage.cacheCreationInputTokens() - w1h;
        BigDecimal perMillion = BigDecimal.ZERO
                .add(prices.input().multiply(inFactor).multiply(BigDecimal.valueOf(usage.inputTokens())))
                .add(prices.output().multiply(outFactor).multiply(BigDecimal.valueOf(usage.outputTokens())))
                .add(prices.cacheRead().multiply(inFactor).multiply(BigDecimal.valueOf(usage.cacheReadInputTokens())))
                .add(prices.cacheWrite5m().multiply(inFactor).multiply(BigDecimal.valueOf(w5m)))
                .add(prices.cacheWrite1h().multiply(inFactor).multiply(BigDecimal.valueOf(w1h)));
        return new Cost(perMillion.divide(MILLION).stripTrailingZeros());
    }

    /** The cost in micro-dollars (USD × 10⁶), rounded half-up. */
    public long micros() {
        return usd.movePointRight(6).setScale(0, RoundingMode.HALF_UP).longValueExact();
    }
}
