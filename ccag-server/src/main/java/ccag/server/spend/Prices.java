package ccag.server.spend;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * USD per million tokens for one model family, all token kinds (spec §5.4).
 *
 * @param family              the family's name in the price file
 * @param input               uncached input
 * @param output              output (thinking included)
 * @param cacheWrite5m        cache write, 5-minute TTL (the default TTL)
 * @param cacheWrite1h        cache write, 1-hour TTL
 * @param cacheRead           cache read
 * @param longContextThreshold total prompt tokens above which the long-context premium applies; 0 = none
 * @param longContextInputMultiplier  premium factor on input and the cache rates
 * @param longContextOutputMultiplier premium factor on output
 */
public record Prices(String family, BigDecimal input, BigDecimal output, BigDecimal cacheWrite5m, BigDecimal cacheWrite1h,
                     BigDecimal cacheRead, long longContextThreshold, BigDecimal longContextInputMultiplier,
                     BigDecimal longContextOutputMultiplier) {
    public Prices {
        Objects.requireNonNull(family);
        Objects.requireNonNull(input);
        Objects.requireNonNull(output);
        Objects.requireNonNull(cacheWrite5m);
        Objects.requireNonNull(cacheWrite1h);
        Objects.requireNonNull(cacheRead);
        Objects.requireNonNull(longContextInputMultiplier);
        Objects.requireNonNull(longContextOutputMultiplier);
    }
}
