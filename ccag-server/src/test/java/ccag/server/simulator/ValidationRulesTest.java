package ccag.server.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.model.CountTokensInput;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelTokensRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ValidationException;

/**
 * One case per row of the simulator's validation table: a body real Bedrock rejects is rejected,
 * through the real SDK, with Bedrock's status, error code and wording; and bodies Bedrock accepts pass.
 */
class ValidationRulesTest {
    static final String SONNET_45 = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";
    static final String OPUS_46 = "global.anthropic.claude-opus-4-6-v1";
    static final String OPUS_45 = "us.anthropic.claude-opus-4-5-20251101-v1:0";
    static final String SONNET_4 = "us.anthropic.claude-sonnet-4-20250514-v1:0";
    static final ObjectMapper JSON = new ObjectMapper();
    static BedrockSimulator sim;
    static BedrockRuntimeClient sdk;

    @BeforeAll
    static void start() throws Exception {
        sim = BedrockSimulator.start(SimulatorOptions.defaults().withReceivedCapacity(0));
        sdk = SdkClients.sync(sim.endpoint());
    }

    @AfterAll
    static void stop() throws Exception {
        sdk.close();
        sim.close();
    }

    enum Op { INVOKE, COUNT_TOKENS }

    record Case(String rule, String model, Op op, String body, String message) {
        @Override
        public String toString() {
            return rule + " → " + message;
        }
    }

    /** A valid body with system, tools and cache_control, as a gateway would send it. */
    static ObjectNode base() {
        try {
            return (ObjectNode) JSON.readTree("""
                    {"anthropic_version":"bedrock-2023-05-31","max_tokens":1024,
                     "system":[{"type":"text","text":"You are helpful.","cache_control":{"type":"ephemeral"}}],
                     "messages":[{"role":"user","content":[{"type":"text","text":"hi"}]}],
                     "tools":[{"name":"Read","description":"reads a file","input_schema":{"type":"object"}}]}""");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String body(Consumer<ObjectNode> change) {
        ObjectNode b = base();
        change.accept(b);
        return b.toString();
    }

    static JsonNode json(String s) {
        try {
            return JSON.readTree(s);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static Case refused(String rule, String body, String message) {
        return new Case(rule, SONNET_45, Op.INVOKE, body, message);
    }

    static Case refused(String rule, String model, String body, String message) {
        return new Case(rule, model, Op.INVOKE, body, message);
    }

    static Stream<Case> refusals() {
        return Stream.of(
                refused("model-identifier", "us.anthropic.claude-nonexistent-9", base().toString(), "The provided model identifier is invalid."),
                refused("model-on-demand", "anthropic.claude-sonnet-4-5-20250929-v1:0", base().toString(),
                        "Invocation of model ID anthropic.claude-sonnet-4-5-20250929-v1:0 with on-demand throughput isn't supported. "
                                + "Retry your request with the ID or ARN of an inference profile that contains this model."),
                new Case("count-tokens-base-model", SONNET_45, Op.COUNT_TOKENS, base().toString(), "The provided model doesn't support counting tokens."),
                refused("body-is-json", "{not json", "Malformed input request, please reformat your input and try again."),
                refused("anthropic-version-required", body(b -> b.remove("anthropic_version")),
                        "Malformed input request: #: required key [anthropic_version] not found, please reformat your input and try again."),
                refused("anthropic-version-value", body(b -> b.put("anthropic_version", "2023-06-01")),
                        "anthropic_version: Input should be 'bedrock-2023-05-31'"),
                refused("stream-not-in-body", body(b -> b.put("stream", true)),
                        "Malformed input request: #: extraneous key [stream] is not permitted, please reformat your input and try again."),
                refused("model-not-in-body", body(b -> b.put("model", "claude-sonnet-4-5")),
                        "Malformed input request: #: extraneous key [model] is not permitted, please reformat your input and try again."),
                refused("messages-required", body(b -> b.remove("messages")),
                        "Malformed input request: #: required key [messages] not found, please reformat your input and try again."),
                refused("max-tokens-required", body(b -> b.remove("max_tokens")),
                        "Malformed input request: #: required key [max_tokens] not found, please reformat your input and try again."),
                refused("top-level-allowlist", body(b -> b.put("service_tier", "auto")), "service_tier: Extra inputs are not permitted"),
                refused("beta-flags", body(b -> b.putArray("anthropic_beta").add("interleaved-thinking-2025-05-14").add("claude-code-20250219")),
                        "invalid beta flag"),
                refused("context-management-needs-beta", body(b -> b.set("context_management", json("{\"edits\":[{\"type\":\"clear_thinking_20251015\"}]}"))),
                        "context_management: Extra inputs are not permitted"),
                refused("output-config-effort", body(b -> b.putObject("output_config").put("effort", "high")),
                        "output_config.effort: Extra inputs are not permitted"),
                refused("output-config-keys", OPUS_46, body(b -> b.set("output_config", json("{\"effort\":\"high\",\"format\":{\"type\":\"json_schema\"}}"))),
                        "output_config.format: Extra inputs are not permitted"),
                refused("metadata-keys", body(b -> b.putObject("metadata").put("user_id", "u-1").put("session", "s")),
                        "metadata.session: Extra inputs are not permitted"),
                refused("max-tokens-positive", body(b -> b.put("max_tokens", 0)), "max_tokens: Input should be greater than or equal to 1"),
                refused("max-tokens-model-limit", body(b -> b.put("max_tokens", 64001)),
                        "max_tokens: 64001 > 64000, which is the maximum allowed number of output tokens for claude-sonnet-4-5-20250929"),
                refused("messages-non-empty", body(b -> b.putArray("messages")), "messages: at least one message is required"),
                refused("message-roles", body(b -> ((ArrayNode) b.get("messages")).add(json("{\"role\":\"system\",\"content\":\"be brief\"}"))),
                        "messages.1.role: Input should be 'user' or 'assistant'"),
                refused("first-message-user", body(b -> b.set("messages", json("[{\"role\":\"assistant\",\"content\":\"hi\"}]"))),
                        "messages: first message must use the \"user\" role"),
                refused("roles-alternate", body(b -> ((ArrayNode) b.get("messages")).add(json("{\"role\":\"user\",\"content\":\"again\"}"))),
                        "messages: roles must alternate between \"user\" and \"assistant\", but found multiple \"user\" roles in a row"),
                refused("content-block-types", body(b -> ((ArrayNode) b.get("messages").get(0).get("content"))
                                .add(json("{\"type\":\"web_search_tool_result\",\"tool_use_id\":\"srvtoolu_1\",\"content\":[]}"))),
                        "messages.0.content.1.type: Input tag 'web_search_tool_result' found using 'type' does not match any of the expected tags: "
                                + "'document', 'image', 'redacted_thinking', 'search_result', 'text', 'thinking', 'tool_result', 'tool_use'"),
                refused("text-blocks-non-empty", body(b -> ((ObjectNode) b.get("messages").get(0).get("content").get(0)).put("text", "")),
                        "messages: text content blocks must be non-empty"),
                refused("tool-use-id-pattern", body(b -> b.set("messages", json("""
                                [{"role":"user","content":"go"},
                                 {"role":"assistant","content":[{"type":"tool_use","id":"toolu.01","name":"Read","input":{}}]},
                                 {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu.01","content":"x"}]}]"""))),
                        "messages.1.content.0.id: String should match pattern '^[a-zA-Z0-9_-]+$'"),
                refused("tool-result-follows-tool-use", body(b -> b.set("messages", json("""
                                [{"role":"user","content":"go"},{"role":"assistant","content":"ok"},
                                 {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_x","content":"x"}]}]"""))),
                        "messages.2.content.0: unexpected `tool_use_id` found in `tool_result` blocks: toolu_x. "
                                + "Each `tool_result` block must have a corresponding `tool_use` block in the previous message."),
                refused("tool-use-answered", body(b -> b.set("messages", json("""
                                [{"role":"user","content":"go"},
                                 {"role":"assistant","content":[{"type":"tool_use","id":"toolu_a","name":"Read","input":{}}]},
                                 {"role":"user","content":"never mind"}]"""))),
                        "messages.1: `tool_use` ids were found without `tool_result` blocks immediately after: toolu_a. "
                                + "Each `tool_use` block must have a corresponding `tool_result` block in the next message."),
                refused("thinking-signature", body(b -> b.set("messages", json("""
                                [{"role":"user","content":"go"},
                                 {"role":"assistant","content":[{"type":"thinking","thinking":"hmm","signature":"forged"},{"type":"text","text":"ok"}]},
                                 {"role":"user","content":"next"}]"""))),
                        "messages.1.content.0: Invalid `signature` in `thinking` block"),
                refused("cache-control-keys", body(b -> ((ObjectNode) b.get("system").get(0).get("cache_control")).put("scope", "global")),
                        "system.0.cache_control.scope: Extra inputs are not permitted"),
                refused("cache-control-ttl", SONNET_4, body(b -> ((ObjectNode) b.get("system").get(0).get("cache_control")).put("ttl", "1h")),
                        "system.0.cache_control.ttl: Extra inputs are not permitted"),
                refused("cache-breakpoints-max", body(b -> {
                            ((ObjectNode) b.get("tools").get(0)).set("cache_control", json("{\"type\":\"ephemeral\"}"));
                            ArrayNode content = (ArrayNode) b.get("messages").get(0).get("content");
                            for (int i = 0; i < 3; i++) {
                                content.add(json("{\"type\":\"text\",\"text\":\"part " + i + "\",\"cache_control\":{\"type\":\"ephemeral\"}}"));
                            }
                        }),
                        "A maximum of 4 blocks with cache_control may be provided. Found 5."),
                refused("system-blocks-non-empty", body(b -> b.set("system", json("[{\"type\":\"text\",\"text\":\"\"}]"))),
                        "system: text content blocks must be non-empty"),
                refused("thinking-type-for-model", body(b -> b.putObject("thinking").put("type", "adaptive")),
                        "thinking.type: Input tag 'adaptive' found using 'type' does not match any of the expected tags: 'disabled', 'enabled'"),
                refused("thinking-keys", OPUS_46, body(b -> b.putObject("thinking").put("type", "adaptive").put("display", "summarized")),
                        "thinking.adaptive.display: Extra inputs are not permitted"),
                refused("thinking-budget-minimum", body(b -> b.putObject("thinking").put("type", "enabled").put("budget_tokens", 500)),
                        "thinking.enabled.budget_tokens: Input should be greater than or equal to 1024"),
                refused("thinking-budget-below-max-tokens", body(b -> b.putObject("thinking").put("type", "enabled").put("budget_tokens", 2048)),
                        "`max_tokens` must be greater than `thinking.budget_tokens`. Please consult our documentation at "
                                + "https://docs.claude.com/en/docs/build-with-claude/extended-thinking#max-tokens-and-context-window-size"),
                refused("tool-types", body(b -> ((ArrayNode) b.get("tools")).add(json("{\"type\":\"web_search_20250305\",\"name\":\"web_search\"}"))),
                        "tools.1.type: Input tag 'web_search_20250305' found using 'type' does not match any of the expected tags: "
                                + "'bash_20250124', 'custom', 'text_editor_20250728', 'computer_20250124'"),
                refused("tool-keys", body(b -> ((ObjectNode) b.get("tools").get(0)).putObject("custom").put("defer_loading", true)),
                        "tools.0.custom: Extra inputs are not permitted"),
                refused("tool-choice-with-thinking", body(b -> {
                            b.put("max_tokens", 4096).putObject("thinking").put("type", "enabled").put("budget_tokens", 1024);
                            b.putObject("tool_choice").put("type", "any");
                        }),
                        "Thinking may not be enabled when tool_choice forces tool use."),
                refused("temperature-with-thinking", body(b -> {
                            b.put("max_tokens", 4096).put("temperature", 0.5).putObject("thinking").put("type", "enabled").put("budget_tokens", 1024);
                        }),
                        "`temperature` may only be set to 1 when thinking is enabled. Please consult our documentation at "
                                + "https://docs.claude.com/en/docs/build-with-claude/extended-thinking#feature-compatibility"),
                refused("temperature-and-top-p", body(b -> b.put("temperature", 0.7).put("top_p", 0.9)),
                        "The model returned the following errors: `temperature` and `top_p` cannot both be specified for this model. Please use only one."),
                refused("context-window", body(b -> ((ObjectNode) b.get("messages").get(0).get("content").get(0)).put("text", "word ".repeat(180_000))),
                        "Input is too long for requested model."));
    }

    static Stream<Case> acceptances() {
        return Stream.of(
                new Case("base body", SONNET_45, Op.INVOKE, base().toString(), null),
                new Case("base body counted", "anthropic.claude-sonnet-4-5-20250929-v1:0", Op.COUNT_TOKENS, base().toString(), null),
                new Case("context_management with its beta", SONNET_45, Op.INVOKE, body(b -> {
                    b.putArray("anthropic_beta").add("context-management-2025-06-27");
                    b.set("context_management", json("{\"edits\":[{\"type\":\"clear_thinking_20251015\"}]}"));
                }), null),
                new Case("effort GA on Opus 4.6", OPUS_46, Op.INVOKE, body(b -> b.putObject("output_config").put("effort", "high")), null),
                new Case("effort on Opus 4.5 with its beta", OPUS_45, Op.INVOKE, body(b -> {
                    b.putArray("anthropic_beta").add("effort-2025-11-24");
                    b.putObject("output_config").put("effort", "medium");
                }), null),
                new Case("adaptive thinking on Opus 4.6 with display and its beta", OPUS_46, Op.INVOKE, body(b -> {
                    b.putArray("anthropic_beta").add("thinking-display-updates-2026-08-18");
                    b.putObject("thinking").put("type", "adaptive").put("display", "summarized");
                }), null),
                new Case("1h ttl on a 4.5 model", SONNET_45, Op.INVOKE,
                        body(b -> ((ObjectNode) b.get("system").get(0).get("cache_control")).put("ttl", "1h")), null),
                new Case("long input with the 1M beta", SONNET_45, Op.INVOKE, body(b -> {
                    b.putArray("anthropic_beta").add("context-1m-2025-08-07");
                    ((ObjectNode) b.get("messages").get(0).get("content").get(0)).put("text", "word ".repeat(180_000));
                }), null),
                new Case("metadata.user_id", SONNET_45, Op.INVOKE, body(b -> b.putObject("metadata").put("user_id", "u-1")), null),
                new Case("a bare id of an on-demand model", "anthropic.claude-3-5-haiku-20241022-v1:0", Op.INVOKE,
                        body(b -> b.put("max_tokens", 8192)), null));
    }

    static void send(Case c) {
        if (c.op() == Op.COUNT_TOKENS) {
            sdk.countTokens(r -> r.modelId(c.model()).input(CountTokensInput.fromInvokeModel(
                    InvokeModelTokensRequest.builder().body(SdkBytes.fromUtf8String(c.body())).build())));
        } else {
            sdk.invokeModel(r -> r.modelId(c.model()).contentType("application/json").body(SdkBytes.fromUtf8String(c.body())));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void bedrockRefusesTheBodyWithItsWording(Case c) {
        assertThatThrownBy(() -> send(c)).isInstanceOfSatisfying(ValidationException.class, e -> {
            assertThat(e.statusCode()).isEqualTo(400);
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
            assertThat(e.awsErrorDetails().errorMessage()).isEqualTo(c.message());
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("acceptances")
    void bedrockAcceptsTheBody(Case c) {
        send(c);
    }

    @Test
    void everyRuleOfTheTableHasARefusalCase() {
        Set<String> tested = refusals().map(Case::rule).collect(Collectors.toSet());
        List<String> ids = ValidationRules.TABLE.stream().map(ValidationRules.Rule::id).toList();
        assertThat(ids).doesNotHaveDuplicates();
        assertThat(tested).containsExactlyInAnyOrderElementsOf(ids);
    }

    @Test
    void everyRuleSaysWhereItsWordingComesFrom() {
        assertThat(ValidationRules.TABLE).allSatisfy(r -> {
            assertThat(r.evidence()).isNotNull();
            assertThat(r.source()).isNotBlank();
        });
    }
}
