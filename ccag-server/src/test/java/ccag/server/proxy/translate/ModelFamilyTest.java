package ccag.server.proxy.translate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ModelFamilyTest {
    @Test
    void familiesParseFromNamesAndBedrockIds() {
        assertThat(ModelFamily.of("us.anthropic.claude-sonnet-4-5-20250929-v1:0")).isEqualTo(new ModelFamily("sonnet", 4, 5));
        assertThat(ModelFamily.of("claude-opus-4-6-20250605")).isEqualTo(new ModelFamily("opus", 4, 6));
        assertThat(ModelFamily.of("global.anthropic.claude-opus-4-6-v1")).isEqualTo(new ModelFamily("opus", 4, 6));
        assertThat(ModelFamily.of("claude-sonnet-4-20250514")).isEqualTo(new ModelFamily("sonnet", 4, 0));
        assertThat(ModelFamily.of("anthropic.claude-3-7-sonnet-20250219-v1:0")).isEqualTo(new ModelFamily("sonnet", 3, 7));
        assertThat(ModelFamily.of("claude-haiku-5-5[1m]")).isEqualTo(new ModelFamily("haiku", 5, 5));
        assertThat(ModelFamily.of("arn:aws:bedrock:us-east-1:1:application-inference-profile/x").known()).isFalse();
        assertThat(ModelFamily.of("gpt-5").known()).isFalse();
    }

    @Test
    void thinkingRulesFollowTheSpecTable() {
        assertThat(ModelFamily.of("claude-opus-4-7").thinking()).isEqualTo(ModelFamily.Thinking.ADAPTIVE_ONLY);
        assertThat(ModelFamily.of("claude-sonnet-5-5").thinking()).isEqualTo(ModelFamily.Thinking.ADAPTIVE_ONLY);
        assertThat(ModelFamily.of("claude-fable-5").thinking()).isEqualTo(ModelFamily.Thinking.ADAPTIVE_ONLY);
        assertThat(ModelFamily.of("claude-sonnet-4-6").thinking()).isEqualTo(ModelFamily.Thinking.ADAPTIVE_AND_BUDGET);
        assertThat(ModelFamily.of("claude-opus-4-5").thinking()).isEqualTo(ModelFamily.Thinking.BUDGET_ONLY);
        assertThat(ModelFamily.of("claude-haiku-4-5").thinking()).isEqualTo(ModelFamily.Thinking.BUDGET_ONLY);
        assertThat(ModelFamily.UNKNOWN.thinking()).isEqualTo(ModelFamily.Thinking.UNKNOWN);
    }

    @Test
    void effortAndCacheTtlByFamily() {
        assertThat(ModelFamily.of("claude-opus-4-5").effort()).isEqualTo(ModelFamily.Effort.BETA);
        assertThat(ModelFamily.of("claude-opus-4-6").effort()).isEqualTo(ModelFamily.Effort.GA);
        assertThat(ModelFamily.of("claude-sonnet-4-5").effort()).isEqualTo(ModelFamily.Effort.NONE);
        assertThat(ModelFamily.of("claude-sonnet-4").supportsCacheTtl()).isFalse();
        assertThat(ModelFamily.of("claude-haiku-4-5").supportsCacheTtl()).isTrue();
    }

    @Test
    void betaPolicyGatesByCapability() {
        BetaPolicy p = BetaPolicy.builtIn();

        assertThat(p.refusal("tool-search-tool-2025-10-19", ModelFamily.of("claude-sonnet-4-5"))).isNull();
        assertThat(p.refusal("tool-search-tool-2025-10-19", ModelFamily.of("claude-haiku-4-5"))).isEqualTo(BetaPolicy.Reason.NOT_FOR_MODEL);
        assertThat(p.refusal("code-execution-2025-08-25", ModelFamily.of("claude-sonnet-4-5"))).isEqualTo(BetaPolicy.Reason.NOT_ON_BEDROCK);
        assertThat(p.refusal("made-up-2030-01-01", ModelFamily.UNKNOWN)).isEqualTo(BetaPolicy.Reason.UNKNOWN);
        assertThat(p.refusal("context-1m-2025-08-07", ModelFamily.UNKNOWN)).as("unknown families are optimistic").isNull();
        assertThat(p.canonical("advanced-tool-use-2025-11-20")).isEqualTo("tool-search-tool-2025-10-19");
    }
}
