package ccag.server.proxy.translate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/** Replays what Claude Code 2.1.330 really sends (reference/claude-code-client.md) through the translator. */
class ClaudeCodeCaptureTest {
    private final RequestTranslator translator = Fixtures.translator();
    private final ModelCatalog catalog = Fixtures.catalog();

    private BedrockRequest translate(String fixture) {
        Fixtures.Capture c = Fixtures.load(fixture);
        ObjectNode body = RequestTranslator.parse(c.rawBody());
        ResolvedModel model = catalog.resolve(RequestTranslator.requestedModel(body));
        return translator.translate(body, c.betaHeaders(), model);
    }

    @Test
    void firstTurnOfTheDefaultModelBecomesABodyBedrockAccepts() {
        BedrockRequest r = translate("first-turn.json");

        BedrockSchema.assertAccepted(r.body());
        assertThat(r.modelId()).isEqualTo("us.anthropic.claude-opus-5-5");
        assertThat(r.stream()).isTrue();
        assertThat(r.body().has("model")).isFalse();
        assertThat(r.body().has("stream")).isFalse();
        assertThat(r.body().get("anthropic_version").asText()).isEqualTo("bedrock-2023-05-31");
        assertThat(r.body().get("max_tokens").asLong()).isEqualTo(128000);
    }

    @Test
    void firstTurnKeepsOnlyTheBetasBedrockTakesForOpus55() {
        BedrockRequest r = translate("first-turn.json");

        assertThat(r.forwardedBetas()).containsExactly("interleaved-thinking-2025-05-14", "context-management-2025-06-27",
                "mid-conversation-tool-changes-2026-07-01", "tool-search-tool-2025-10-19");
        assertThat(r.droppedBetas()).containsEntry("claude-code-20250219", BetaPolicy.Reason.NOT_ON_BEDROCK)
                .containsEntry("per-turn-control-2026-07-01", BetaPolicy.Reason.NOT_ON_BEDROCK)
                .containsEntry("thinking-token-count-2026-05-13", BetaPolicy.Reason.UNKNOWN)
                .containsEntry("effort-2025-11-24", BetaPolicy.Reason.NOT_FOR_MODEL);
    }

    @Test
    void firstTurnFoldsTheSystemRoleMessageIntoTheUserTurnAndDropsItsOutputConfig() {
        Fixtures.Capture c = Fixtures.load("first-turn.json");
        BedrockRequest r = translate("first-turn.json");

        JsonNode messages = r.body().get("messages");
        assertThat(messages).hasSize(1);
        JsonNode user = messages.get(0);
        assertThat(user.get("role").asText()).isEqualTo("user");
        assertThat(user.has("output_config")).isFalse();
        JsonNode content = user.get("content");
        assertThat(content).hasSize(3);
        assertThat(content.get(1).get("text").asText()).isEqualTo("say hi");
        JsonNode folded = content.get(2);
        assertThat(folded.get("text").asText()).isEqualTo(c.body().get("messages").get(1).get("content").get(0).get("text").asText());
        assertThat(folded.get("cache_control").get("type").asText()).isEqualTo("ephemeral");
        assertThat(r.removedFields()).contains("messages[1] (role system, folded into messages[0])", "messages[1].output_config");
    }

    @Test
    void firstTurnRemovesTheBillingBlockAndKeepsTheOtherSystemBlocksInOrder() {
        BedrockRequest r = translate("first-turn.json");

        JsonNode system = r.body().get("system");
        assertThat(system).hasSize(2);
        assertThat(system.get(0).get("text").asText()).isEqualTo("You are a Claude agent, built on Anthropic's Claude Agent SDK.");
        assertThat(system.get(1).get("text").asText()).startsWith("\nYou are an agent working with the user");
        assertThat(system.toString()).doesNotContain("x-anthropic-billing-header");
    }

    @Test
    void firstTurnDropsThinkingDisplayKeepsAdaptiveAndEffortAndContextManagement() {
        BedrockRequest r = translate("first-turn.json");

        assertThat(r.body().get("thinking")).isEqualTo(Fixtures.json("{\"type\":\"adaptive\"}"));
        assertThat(r.body().get("output_config")).isEqualTo(Fixtures.json("{\"effort\":\"medium\"}"));
        assertThat(r.body().get("context_management"))
                .isEqualTo(Fixtures.json("{\"edits\":[{\"type\":\"clear_thinking_20251015\",\"keep\":\"all\"}]}"));
        assertThat(r.removedFields()).contains("thinking.display");
    }

    @Test
    void firstTurnKeepsDeferLoadingBecauseToolSearchSurvivesAsItsBedrockName() {
        BedrockRequest r = translate("first-turn.json");

        JsonNode placeholder = r.body().get("tools").get(10);
        assertThat(placeholder.get("name").asText()).isEqualTo("DeferredToolPlaceholder");
        assertThat(placeholder.get("defer_loading").asBoolean()).isTrue();
        assertThat(r.body().get("tools")).hasSize(12);
    }

    @Test
    void firstTurnForwardsMetadataUserIdAsTheJsonStringItIs() {
        Fixtures.Capture c = Fixtures.load("first-turn.json");
        BedrockRequest r = translate("first-turn.json");

        assertThat(r.body().get("metadata").get("user_id").asText()).isEqualTo(c.body().get("metadata").get("user_id").asText())
                .startsWith("{\"device_id\":");
    }

    @Test
    void firstTurnSharesUnchangedSubtreesAndLeavesTheClientBodyAlone() {
        Fixtures.Capture c = Fixtures.load("first-turn.json");
        ObjectNode body = c.body();
        ObjectNode before = body.deepCopy();

        BedrockRequest r = translator.translate(body, c.betaHeaders(), catalog.resolve("claude-opus-5-5"));

        assertThat(body).isEqualTo(before);
        assertThat(r.body().get("tools").get(0).get("input_schema")).isSameAs(body.get("tools").get(0).get("input_schema"));
    }

    @Test
    void secondTurnAfterAReadToolCallKeepsTheToolRoundTripAndFoldsTheStringSystemMessage() {
        BedrockRequest r = translate("second-turn.json");

        BedrockSchema.assertAccepted(r.body());
        JsonNode messages = r.body().get("messages");
        assertThat(messages).hasSize(3);
        assertThat(messages.get(0).get("content").get(2).get("text").asText()).startsWith("# Environment");
        assertThat(messages.get(1).get("role").asText()).isEqualTo("assistant");
        assertThat(messages.get(1).get("content").get(1).get("id").asText()).isEqualTo("toolu_fake_b008b37b2f2548ca");
        JsonNode result = messages.get(2).get("content").get(0);
        assertThat(result.get("tool_use_id").asText()).isEqualTo("toolu_fake_b008b37b2f2548ca");
        assertThat(result.get("content").asText()).isEqualTo("1\tprobe content: MANGO-7\n2\t");
        assertThat(result.get("cache_control")).isEqualTo(Fixtures.json("{\"type\":\"ephemeral\"}"));
    }

    @Test
    void secondTurnFoldsIntoTheSameUserTurnAsTheFirstSoTheCachePrefixHolds() {
        BedrockRequest first = translate("first-turn.json");
        BedrockRequest second = translate("second-turn.json");

        assertThat(first.body().get("system")).isEqualTo(second.body().get("system"));
        assertThat(first.body().get("tools")).isEqualTo(second.body().get("tools"));
        assertThat(second.body().get("messages").get(0).get("content").get(0))
                .isEqualTo(first.body().get("messages").get(0).get("content").get(0));
    }

    @Test
    void countTokensCaptureNeedsNoMaxTokensAndDropsTheEmptyToolList() {
        Fixtures.Capture c = Fixtures.load("count-tokens.json");
        CountTokens.Call call = new CountTokens(translator).prepare(c.body(), c.betaHeaders(), catalog.resolve("claude-opus-5-5"));

        BedrockSchema.assertAccepted(call.request().body());
        assertThat(call.baseModelId()).contains("anthropic.claude-opus-5-5");
        assertThat(call.profileModelId()).isEqualTo("us.anthropic.claude-opus-5-5");
        assertThat(call.request().body().get("max_tokens").asLong()).isEqualTo(1);
        assertThat(call.request().body().has("tools")).isFalse();
        assertThat(call.request().stream()).isFalse();
        assertThat(call.request().droppedBetas()).containsKey("token-counting-2024-11-01");
        assertThat(call.localEstimate()).isPositive();
    }

    @Test
    void sonnet45VariantKeepsItsBudgetThinkingAndHasNoOutputConfig() {
        BedrockRequest r = translate("sonnet-4-5.json");

        BedrockSchema.assertAccepted(r.body());
        assertThat(r.modelId()).isEqualTo("us.anthropic.claude-sonnet-4-5-20250929-v1:0");
        assertThat(r.body().get("thinking")).isEqualTo(Fixtures.json("{\"type\":\"enabled\",\"budget_tokens\":31999}"));
        assertThat(r.body().get("max_tokens").asLong()).isEqualTo(32000);
        assertThat(r.forwardedBetas()).containsExactly("interleaved-thinking-2025-05-14", "context-management-2025-06-27",
                "tool-search-tool-2025-10-19");
        assertThat(r.body().has("output_config")).isFalse();
    }

    @Test
    void disabledExperimentalBetasStillFoldTheSystemMessageAndKeepEffort() {
        BedrockRequest r = translate("disable-experimental-betas.json");

        BedrockSchema.assertAccepted(r.body());
        assertThat(r.forwardedBetas()).containsExactly("interleaved-thinking-2025-05-14");
        assertThat(r.body().get("messages")).hasSize(1);
        assertThat(r.body().get("thinking")).isEqualTo(Fixtures.json("{\"type\":\"adaptive\"}"));
        assertThat(r.body().get("output_config")).isEqualTo(Fixtures.json("{\"effort\":\"medium\"}"));
        assertThat(r.body().has("context_management")).isFalse();
        assertThat(r.body().get("tools")).hasSize(21);
    }

    @Test
    void everyCaptureOnEveryDefaultModelTranslatesToAnAcceptedBody() {
        for (String fixture : new String[] {"first-turn.json", "second-turn.json", "sonnet-4-5.json", "disable-experimental-betas.json"}) {
            for (String model : new String[] {"claude-opus-5-5", "claude-sonnet-5-5", "claude-haiku-5-5", "claude-sonnet-4-5",
                    "claude-haiku-4-5-20251001", "claude-opus-4-6", "claude-opus-4-7[1m]", "claude-sonnet-4-20250514"}) {
                Fixtures.Capture c = Fixtures.load(fixture);
                BedrockRequest r = translator.translate(c.body(), c.betaHeaders(), catalog.resolve(model));
                assertThat(BedrockSchema.violations(r.body())).as(fixture + " on " + model).isEmpty();
            }
        }
    }
}
