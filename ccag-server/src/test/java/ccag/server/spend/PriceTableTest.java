package ccag.server.spend;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class PriceTableTest {
    private final PriceTable table = PriceTable.builtIn();

    @Test
    void pricesAreFoundByAnthropicNameOrBedrockIdExactly() {
        assertThat(table.find("claude-sonnet-4-5-20250929").orElseThrow().family()).isEqualTo("sonnet-4-4.5");
        assertThat(table.find("us.anthropic.claude-sonnet-4-5-20250929-v1:0").orElseThrow().family()).isEqualTo("sonnet-4-4.5");
        assertThat(table.find("claude-opus-4-7[1m]").orElseThrow().input()).isEqualByComparingTo("5");
        assertThat(table.find("global.anthropic.claude-opus-4-6-v1").orElseThrow().output()).isEqualByComparingTo("25");
    }

    @Test
    void newOpusIsNeverPricedAsOpus4ByPrefix() {
        assertThat(table.find("claude-opus-4-8").orElseThrow().input()).isEqualByComparingTo("5");
        assertThat(table.find("claude-opus-4-1-20250805").orElseThrow().input()).isEqualByComparingTo("15");
        assertThat(table.find("claude-opus-4-9")).isEmpty();
    }

    @Test
    void unknownModelsHaveNoPrice() {
        assertThat(table.costOf(Usage.of(1, 1, 0, 0), "claude-haiku-5-5")).isEmpty();
        assertThat(table.find("arn:aws:bedrock:us-east-1:1:application-inference-profile/x")).isEmpty();
    }

    @Test
    void anOperatorsPricesFileAddsModelsAndOverridesOthersWhileTheRestKeepTheirPrices(@org.junit.jupiter.api.io.TempDir
                                                                                       java.nio.file.Path dir) throws Exception {
        java.nio.file.Path file = dir.resolve("prices.json");
        java.nio.file.Files.writeString(file, """
                {"families": [
                  {"family": "haiku-5.5", "input": 0.8, "output": 4, "cache_write_5m": 1, "cache_write_1h": 1.6,
                   "cache_read": 0.08, "models": ["claude-haiku-5-5"]},
                  {"family": "sonnet-4.5-negotiated", "input": 2, "output": 10, "cache_write_5m": 2.5, "cache_write_1h": 4,
                   "cache_read": 0.2, "models": ["claude-sonnet-4-5"]}
                ]}
                """);
        PriceTable merged = table.withOverrides(PriceTable.read(file));

        assertThat(merged.find("us.anthropic.claude-haiku-5-5-v1:0").orElseThrow().input()).isEqualByComparingTo("0.8");
        assertThat(merged.find("claude-sonnet-4-5-20250929").orElseThrow().family()).isEqualTo("sonnet-4.5-negotiated");
        assertThat(merged.find("claude-sonnet-4").orElseThrow().input()).isEqualByComparingTo("3");
        assertThat(merged.find("claude-opus-4-1").orElseThrow().input()).isEqualByComparingTo("15");
        assertThat(table.find("claude-haiku-5-5")).isEmpty();
    }

    @Test
    void aPricesFileLackingATokenKindIsRefusedByName(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path file = dir.resolve("prices.json");
        java.nio.file.Files.writeString(file, """
                {"families": [{"family": "half", "input": 1, "output": 5, "models": ["claude-haiku-5-5"]}]}
                """);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> PriceTable.read(file))
                .hasMessageContaining("family half lacks cache_write_5m");
    }

    @Test
    void everyFamilyHasAllFourTokenKinds() {
        for (Prices p : table.families()) {
            assertThat(p.input()).as(p.family()).isPositive();
            assertThat(p.output()).isGreaterThan(p.input());
            assertThat(p.cacheWrite5m()).isGreaterThan(p.input());
            assertThat(p.cacheWrite1h()).isGreaterThan(p.cacheWrite5m());
            assertThat(p.cacheRead()).isLessThan(p.input());
        }
    }

    @Test
    void costUsesAllFourTokenKinds() {
        // Sonnet 4.5: 3 in, 15 out, 0.30 read, 3.75 write (per MTok)
        Cost c = table.costOf(Usage.of(1_000, 2_000, 10_000, 100_000), "claude-sonnet-4-5").orElseThrow();

        // 0.003 + 0.030 + 0.0375 + 0.030 = 0.1005
        assertThat(c.usd()).isEqualByComparingTo("0.1005");
        assertThat(c.micros()).isEqualTo(100_500);
    }

    @Test
    void oneHourCacheWritesArePricedAtTheirOwnRate() {
        Cost c = table.costOf(new Usage(0, 0, 1_000_000, 0, 400_000, 600_000), "claude-haiku-4-5").orElseThrow();

        // 400k × 1.25 + 600k × 2 per MTok
        assertThat(c.usd()).isEqualByComparingTo("1.7");
    }

    @Test
    void longContextPremiumAppliesAbove200kPromptTokensOnSonnet4And45Only() {
        Usage big = Usage.of(150_000, 1_000, 0, 60_000);

        Cost sonnet45 = table.costOf(big, "claude-sonnet-4-5").orElseThrow();
        Cost sonnet46 = table.costOf(big, "claude-sonnet-4-6").orElseThrow();

        // 150k × 6 + 1k × 22.5 + 60k × 0.6 per MTok = 0.9 + 0.0225 + 0.036
        assertThat(sonnet45.usd()).isEqualByComparingTo("0.9585");
        // 150k × 3 + 1k × 15 + 60k × 0.3 = 0.45 + 0.015 + 0.018
        assertThat(sonnet46.usd()).isEqualByComparingTo("0.483");
    }

    @Test
    void microsRoundHalfUp() {
        assertThat(new Cost(new BigDecimal("0.0000005")).micros()).isEqualTo(1);
        assertThat(new Cost(new BigDecimal("0.00000049")).micros()).isZero();
        // one Haiku 4.5 cache-read token: $0.0000001
        assertThat(table.costOf(Usage.of(0, 0, 0, 1), "claude-haiku-4-5").orElseThrow().usd()).isEqualByComparingTo("0.0000001");
    }
}
