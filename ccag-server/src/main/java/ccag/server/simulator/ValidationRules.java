package ccag.server.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;

/**
 * Bedrock's request validation as ONE data table: each row is a rule, tagged with where its wording
 * comes from ({@link Evidence#SEEN_ON_BEDROCK}: observed answers of Bedrock or of the Anthropic
 * validator Bedrock runs, as reported in the sources named; {@link Evidence#GUESSED}: our best guess,
 * to be corrected when real Bedrock answers differently). Rows are checked in order; the first that
 * fails answers 400 {@code ValidationException} with its message.
 *
 * <p>This table belongs to the simulator alone. The gateway's translator keeps its own allowlists: if
 * both read one table, a wrong guess would pass both and the simulator could never catch it.
 */
final class ValidationRules {
    enum Evidence { SEEN_ON_BEDROCK, GUESSED }

    enum Operation { INVOKE, STREAM, COUNT_TOKENS }

    /** What a rule looks at. {@code body} is null when the request body is not JSON; {@code model} is empty for unknown ids. */
    record Subject(Operation operation, String modelId, Optional<ModelCatalog.Resolved> model, JsonNode body,
                   Set<String> betas, ThinkingSignatures signatures) {
        ModelCatalog.Model m() {
            return model.orElseThrow().model();
        }
    }

    @FunctionalInterface
    interface Check {
        /** The violation message, or empty when the subject passes. */
        Optional<String> apply(Subject s);
    }

    record Rule(String id, Evidence evidence, String source, Set<Operation> operations, Check check) {
    }

    private static final Set<Operation> ALL = Set.of(Operation.INVOKE, Operation.STREAM, Operation.COUNT_TOKENS);
    private static final Set<Operation> GENERATION = Set.of(Operation.INVOKE, Operation.STREAM);

    static final String VERSION = "bedrock-2023-05-31";

    /** Top-level keys of Bedrock's Claude Messages schema (LiteLLM's Bedrock invoke allowlist, Oct 2026). */
    static final Set<String> TOP_LEVEL_FIELDS = Set.of("anthropic_version", "max_tokens", "messages", "anthropic_beta",
            "system", "stop_sequences", "temperature", "top_p", "top_k", "tools", "tool_choice", "thinking", "metadata",
            "output_config", "context_management");

    /** Betas Bedrock InvokeModel accepts (translation-spec §1.4.2); anything else is "invalid beta flag". */
    static final Set<String> ACCEPTED_BETAS = Set.of(
            "computer-use-2024-10-22", "computer-use-2025-01-24", "computer-use-2025-11-24",
            "token-efficient-tools-2025-02-19", "interleaved-thinking-2025-05-14", "output-128k-2025-02-19",
            "dev-full-thinking-2025-05-14", "context-1m-2025-08-07", "context-management-2025-06-27",
            "compact-2026-01-12", "effort-2025-11-24", "tool-search-tool-2025-10-19", "tool-examples-2025-10-29",
            "fine-grained-tool-streaming-2025-05-14", "thinking-binding-controls-2026-08-01",
            "thinking-display-updates-2026-08-18", "mid-conversation-output-config-2026-07-01",
            "mid-conversation-tool-changes-2026-07-01", "dangerous-tool-use-2026-09-03");

    static final Set<String> CONTENT_BLOCK_TYPES = Set.of("text", "image", "document", "tool_use", "tool_result",
            "thinking", "redacted_thinking", "search_result");

    private static final Pattern TOOL_ID = Pattern.compile("^[a-zA-Z0-9_-]+$");
    private static final String MALFORMED_REQUIRED = "Malformed input request: #: required key [%s] not found, please reformat your input and try again.";
    private static final String MALFORMED_EXTRANEOUS = "Malformed input request: #: extraneous key [%s] is not permitted, please reformat your input and try again.";

    /** The table. Order matters: model rules first, then the body from its shape down to its details. */
    static final List<Rule> TABLE = List.of(
            rule("model-identifier", Evidence.SEEN_ON_BEDROCK, "AWS troubleshooting page; translation-spec §2.6", ALL,
                    s -> s.model().isPresent() ? Optional.empty() : Optional.of("The provided model identifier is invalid.")),
            rule("model-on-demand", Evidence.SEEN_ON_BEDROCK, "translation-spec §1.11.1 (ValidationException for bare ids of newer models)", GENERATION,
                    s -> isFoundation(s) && !s.m().onDemand()
                            ? Optional.of("Invocation of model ID " + s.m().foundationId() + " with on-demand throughput isn't supported. "
                                    + "Retry your request with the ID or ARN of an inference profile that contains this model.")
                            : Optional.empty()),
            rule("count-tokens-base-model", Evidence.SEEN_ON_BEDROCK, "live probe in agentcore-public-stack PR #430, pydantic-ai #4001", Set.of(Operation.COUNT_TOKENS),
                    s -> isFoundation(s) ? Optional.empty() : Optional.of("The provided model doesn't support counting tokens.")),
            rule("body-is-json", Evidence.SEEN_ON_BEDROCK, "Bedrock's generic schema error", ALL,
                    s -> s.body() != null && s.body().isObject() ? Optional.empty()
                            : Optional.of("Malformed input request, please reformat your input and try again.")),
            rule("anthropic-version-required", Evidence.SEEN_ON_BEDROCK, "Bedrock schema error for Claude Messages bodies", ALL,
                    s -> s.body().has("anthropic_version") ? Optional.empty() : Optional.of(MALFORMED_REQUIRED.formatted("anthropic_version"))),
            rule("anthropic-version-value", Evidence.GUESSED, "only bedrock-2023-05-31 is documented", ALL,
                    s -> VERSION.equals(s.body().path("anthropic_version").asText(null)) ? Optional.empty()
                            : Optional.of("anthropic_version: Input should be '" + VERSION + "'")),
            rule("stream-not-in-body", Evidence.SEEN_ON_BEDROCK, "LiteLLM and gateway issue reports: stream in the body is refused", ALL,
                    s -> s.body().has("stream") ? Optional.of(MALFORMED_EXTRANEOUS.formatted("stream")) : Optional.empty()),
            rule("model-not-in-body", Evidence.GUESSED, "same schema layer as stream; the model travels in the path", ALL,
                    s -> s.body().has("model") ? Optional.of(MALFORMED_EXTRANEOUS.formatted("model")) : Optional.empty()),
            rule("messages-required", Evidence.SEEN_ON_BEDROCK, "Bedrock schema error for Claude Messages bodies", ALL,
                    s -> s.body().has("messages") ? Optional.empty() : Optional.of(MALFORMED_REQUIRED.formatted("messages"))),
            rule("max-tokens-required", Evidence.SEEN_ON_BEDROCK, "Bedrock schema error; LiteLLM adds max_tokens for count-tokens too", ALL,
                    s -> s.body().has("max_tokens") ? Optional.empty() : Optional.of(MALFORMED_REQUIRED.formatted("max_tokens"))),
            rule("top-level-allowlist", Evidence.SEEN_ON_BEDROCK, "'<field>: Extra inputs are not permitted' (LiteLLM PR #26148, claude-code issues)", ALL,
                    ValidationRules::unknownTopLevelField),
            rule("beta-flags", Evidence.SEEN_ON_BEDROCK, "'invalid beta flag' (LiteLLM #16561, #19877; claude-code #56595); does not name the flag", ALL,
                    ValidationRules::invalidBeta),
            rule("context-management-needs-beta", Evidence.SEEN_ON_BEDROCK, "claude-code #49548, sub2api #2726", ALL,
                    s -> s.body().has("context_management") && !s.betas().contains("context-management-2025-06-27")
                            ? Optional.of("context_management: Extra inputs are not permitted") : Optional.empty()),
            rule("output-config-effort", Evidence.SEEN_ON_BEDROCK, "claude-code-action #1005 (effort on a model without it)", ALL,
                    s -> s.body().path("output_config").has("effort") && !effortAllowed(s)
                            ? Optional.of("output_config.effort: Extra inputs are not permitted") : Optional.empty()),
            rule("output-config-keys", Evidence.GUESSED, "structured outputs (output_config.format) are not on Bedrock InvokeModel", ALL,
                    s -> firstExtraKey(s.body().path("output_config"), Set.of("effort")).map(k -> "output_config." + k + ": Extra inputs are not permitted")),
            rule("metadata-keys", Evidence.GUESSED, "sources disagree; user_id is forwarded by CCAG and accepted", ALL,
                    s -> firstExtraKey(s.body().path("metadata"), Set.of("user_id")).map(k -> "metadata." + k + ": Extra inputs are not permitted")),
            rule("max-tokens-positive", Evidence.GUESSED, "pydantic-style wording of the Anthropic validator", ALL,
                    s -> s.body().path("max_tokens").canConvertToInt() && s.body().path("max_tokens").isIntegralNumber()
                            && s.body().path("max_tokens").asInt() >= 1
                            ? Optional.empty() : Optional.of("max_tokens: Input should be greater than or equal to 1")),
            rule("max-tokens-model-limit", Evidence.SEEN_ON_BEDROCK, "Anthropic validator wording, passed through by Bedrock", GENERATION,
                    s -> s.body().path("max_tokens").asInt() > s.m().maxOutputTokens()
                            ? Optional.of("max_tokens: " + s.body().path("max_tokens").asInt() + " > " + s.m().maxOutputTokens()
                                    + ", which is the maximum allowed number of output tokens for " + s.m().responseName())
                            : Optional.empty()),
            rule("messages-non-empty", Evidence.SEEN_ON_BEDROCK, "Anthropic validator wording", ALL,
                    s -> s.body().path("messages").isArray() && !s.body().path("messages").isEmpty()
                            ? Optional.empty() : Optional.of("messages: at least one message is required")),
            rule("message-roles", Evidence.GUESSED, "pydantic-style wording; mid-conversation system messages are not on InvokeModel", ALL,
                    ValidationRules::badRole),
            rule("first-message-user", Evidence.SEEN_ON_BEDROCK, "Anthropic validator wording (Claude 3 era)", ALL,
                    s -> "user".equals(s.body().path("messages").path(0).path("role").asText())
                            ? Optional.empty() : Optional.of("messages: first message must use the \"user\" role")),
            rule("roles-alternate", Evidence.SEEN_ON_BEDROCK, "classic Bedrock ValidationException for consecutive turns", ALL,
                    ValidationRules::notAlternating),
            rule("content-block-types", Evidence.GUESSED, "pydantic tag wording; server-tool blocks are not accepted by InvokeModel (spec §1.8)", ALL,
                    ValidationRules::unknownBlockType),
            rule("text-blocks-non-empty", Evidence.SEEN_ON_BEDROCK, "Anthropic validator wording; spec §1.8 says Bedrock behaves the same", ALL,
                    ValidationRules::emptyTextBlock),
            rule("tool-use-id-pattern", Evidence.SEEN_ON_BEDROCK, "sub2api SanitizeBedrockToolUseIDs", ALL,
                    ValidationRules::badToolId),
            rule("tool-result-follows-tool-use", Evidence.SEEN_ON_BEDROCK, "Anthropic validator wording", ALL,
                    ValidationRules::orphanToolResult),
            rule("tool-use-answered", Evidence.SEEN_ON_BEDROCK, "Anthropic validator wording", ALL,
                    ValidationRules::unansweredToolUse),
            rule("thinking-signature", Evidence.SEEN_ON_BEDROCK, "wording Claude Code reacts to (spec §2.6); signatures are valid only where issued", ALL,
                    ValidationRules::badSignature),
            rule("cache-control-keys", Evidence.SEEN_ON_BEDROCK, "cache_control.scope is refused (CCAG commit a34733a)", ALL,
                    s -> cacheControls(s.body()).entrySet().stream()
                            .flatMap(e -> firstExtraKey(e.getValue(), Set.of("type", "ttl")).map(k -> e.getKey() + "." + k).stream())
                            .findFirst().map(p -> p + ": Extra inputs are not permitted")),
            rule("cache-control-ttl", Evidence.GUESSED, "ttl only on Claude 4.5+ and only 5m/1h (sub2api SanitizeBedrockCacheControl)", ALL,
                    ValidationRules::badTtl),
            rule("cache-breakpoints-max", Evidence.SEEN_ON_BEDROCK, "Anthropic validator wording; 4 breakpoints per request", ALL,
                    s -> cacheControls(s.body()).size() > 4
                            ? Optional.of("A maximum of 4 blocks with cache_control may be provided. Found " + cacheControls(s.body()).size() + ".")
                            : Optional.empty()),
            rule("system-blocks-non-empty", Evidence.GUESSED, "spec §9.21: Bedrock may reject an empty system text block", ALL,
                    ValidationRules::emptySystemBlock),
            rule("thinking-type-for-model", Evidence.GUESSED, "adaptive only on 4.6+, enabled refused on adaptive-only models (sub2api, aibridge)", ALL,
                    ValidationRules::thinkingTypeForModel),
            rule("thinking-keys", Evidence.GUESSED, "display is paired with beta thinking-display-updates-2026-08-18", ALL,
                    ValidationRules::thinkingExtraKey),
            rule("thinking-budget-minimum", Evidence.SEEN_ON_BEDROCK, "Anthropic validator wording", ALL,
                    s -> "enabled".equals(s.body().path("thinking").path("type").asText())
                            && s.body().path("thinking").path("budget_tokens").asInt(0) < 1024
                            ? Optional.of("thinking.enabled.budget_tokens: Input should be greater than or equal to 1024") : Optional.empty()),
            rule("thinking-budget-below-max-tokens", Evidence.SEEN_ON_BEDROCK, "Anthropic validator wording; not known for count-tokens", GENERATION,
                    s -> "enabled".equals(s.body().path("thinking").path("type").asText())
                            && s.body().path("thinking").path("budget_tokens").asInt() >= s.body().path("max_tokens").asInt()
                            ? Optional.of("`max_tokens` must be greater than `thinking.budget_tokens`. Please consult our documentation at "
                                    + "https://docs.claude.com/en/docs/build-with-claude/extended-thinking#max-tokens-and-context-window-size")
                            : Optional.empty()),
            rule("tool-types", Evidence.GUESSED, "server tools (web_search_*, web_fetch_*, code_execution_*) are not on InvokeModel (spec §1.7)", ALL,
                    ValidationRules::unsupportedToolType),
            rule("tool-keys", Evidence.SEEN_ON_BEDROCK, "tools.N.custom refused (sub2api RemoveCustomFieldFromTools); beta-gated keys per spec §1.7", ALL,
                    ValidationRules::toolExtraKey),
            rule("tool-choice-with-thinking", Evidence.SEEN_ON_BEDROCK, "Anthropic validator wording", ALL,
                    s -> thinkingOn(s.body()) && Set.of("any", "tool").contains(s.body().path("tool_choice").path("type").asText())
                            ? Optional.of("Thinking may not be enabled when tool_choice forces tool use.") : Optional.empty()),
            rule("temperature-with-thinking", Evidence.SEEN_ON_BEDROCK, "Anthropic validator wording", ALL,
                    s -> thinkingOn(s.body()) && s.body().has("temperature") && s.body().path("temperature").asDouble() != 1.0
                            ? Optional.of("`temperature` may only be set to 1 when thinking is enabled. Please consult our documentation at "
                                    + "https://docs.claude.com/en/docs/build-with-claude/extended-thinking#feature-compatibility")
                            : Optional.empty()),
            rule("temperature-and-top-p", Evidence.SEEN_ON_BEDROCK, "Bedrock answer for Sonnet 4.5 / Haiku 4.5", ALL,
                    s -> s.m().generation() >= 45 && s.body().has("temperature") && s.body().has("top_p")
                            ? Optional.of("The model returned the following errors: `temperature` and `top_p` cannot both be specified for this model. Please use only one.")
                            : Optional.empty()),
            rule("context-window", Evidence.SEEN_ON_BEDROCK, "claude-code #760, #8637", ALL,
                    s -> TokenEstimate.inputTokens(s.body()) > s.m().contextWindow(s.betas())
                            ? Optional.of("Input is too long for requested model.") : Optional.empty()));

    private final List<Rule> rules;

    ValidationRules(List<Rule> rules) {
        this.rules = rules;
    }

    /** The first rule the subject breaks, with its message. */
    Optional<Violation> check(Subject subject) {
        for (Rule r : rules) {
            if (!r.operations().contains(subject.operation())) {
                continue;
            }
            Optional<String> message = r.check().apply(subject);
            if (message.isPresent()) {
                return Optional.of(new Violation(r, message.get()));
            }
        }
        return Optional.empty();
    }

    record Violation(Rule rule, String message) {
    }

    /** The betas in the body, as Bedrock reads them (only from {@code anthropic_beta}). */
    static Set<String> betas(JsonNode body) {
        Set<String> out = new LinkedHashSet<>();
        if (body != null) {
            body.path("anthropic_beta").forEach(b -> out.add(b.asText()));
        }
        return out;
    }

    private static Rule rule(String id, Evidence evidence, String source, Set<Operation> ops, Check check) {
        return new Rule(id, evidence, source, ops, check);
    }

    private static boolean isFoundation(Subject s) {
        ModelCatalog.Form f = s.model().orElseThrow().form();
        return f == ModelCatalog.Form.FOUNDATION || f == ModelCatalog.Form.FOUNDATION_ARN;
    }

    private static boolean effortAllowed(Subject s) {
        return s.m().effortGa() || (s.m().foundationId().startsWith("anthropic.claude-opus-4-5") && s.betas().contains("effort-2025-11-24"));
    }

    static boolean thinkingOn(JsonNode body) {
        String t = body.path("thinking").path("type").asText("");
        return t.equals("enabled") || t.equals("adaptive");
    }

    private static Optional<String> firstExtraKey(JsonNode obj, Set<String> allowed) {
        if (!obj.isObject()) {
            return Optional.empty();
        }
        for (Iterator<String> it = obj.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!allowed.contains(k)) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }

    private static Optional<String> unknownTopLevelField(Subject s) {
        return firstExtraKey(s.body(), TOP_LEVEL_FIELDS).map(k -> k + ": Extra inputs are not permitted");
    }

    private static Optional<String> invalidBeta(Subject s) {
        JsonNode betas = s.body().path("anthropic_beta");
        if (betas.isMissingNode()) {
            return Optional.empty();
        }
        if (!betas.isArray()) {
            return Optional.of("invalid beta flag");
        }
        for (JsonNode b : betas) {
            if (!b.isTextual() || !ACCEPTED_BETAS.contains(b.asText())) {
                return Optional.of("invalid beta flag");
            }
        }
        return Optional.empty();
    }

    private static Optional<String> badRole(Subject s) {
        JsonNode messages = s.body().path("messages");
        for (int i = 0; i < messages.size(); i++) {
            String role = messages.get(i).path("role").asText("");
            if (!role.equals("user") && !role.equals("assistant")) {
                return Optional.of("messages." + i + ".role: Input should be 'user' or 'assistant'");
            }
        }
        return Optional.empty();
    }

    private static Optional<String> notAlternating(Subject s) {
        JsonNode messages = s.body().path("messages");
        for (int i = 1; i < messages.size(); i++) {
            String role = messages.get(i).path("role").asText();
            if (role.equals(messages.get(i - 1).path("role").asText())) {
                return Optional.of("messages: roles must alternate between \"user\" and \"assistant\", but found multiple \""
                        + role + "\" roles in a row");
            }
        }
        return Optional.empty();
    }

    /** Calls back with (path, block) for every content block of every message, string contents excluded. */
    private static void eachBlock(JsonNode body, BiConsumer<String, JsonNode> visitor) {
        JsonNode messages = body.path("messages");
        for (int i = 0; i < messages.size(); i++) {
            JsonNode content = messages.get(i).path("content");
            for (int j = 0; j < content.size() && content.isArray(); j++) {
                visitor.accept("messages." + i + ".content." + j, content.get(j));
            }
        }
    }

    private static Optional<String> firstOf(JsonNode body, java.util.function.BiFunction<String, JsonNode, String> test) {
        List<String> found = new ArrayList<>(1);
        eachBlock(body, (path, block) -> {
            if (found.isEmpty()) {
                String m = test.apply(path, block);
                if (m != null) {
                    found.add(m);
                }
            }
        });
        return found.stream().findFirst();
    }

    private static Optional<String> unknownBlockType(Subject s) {
        return firstOf(s.body(), (path, b) -> {
            String type = b.path("type").asText("");
            return CONTENT_BLOCK_TYPES.contains(type) ? null
                    : path + ".type: Input tag '" + type + "' found using 'type' does not match any of the expected tags: "
                            + "'document', 'image', 'redacted_thinking', 'search_result', 'text', 'thinking', 'tool_result', 'tool_use'";
        });
    }

    private static Optional<String> emptyTextBlock(Subject s) {
        JsonNode messages = s.body().path("messages");
        for (int i = 0; i < messages.size(); i++) {
            JsonNode content = messages.get(i).path("content");
            boolean last = i == messages.size() - 1;
            if (content.isTextual() && content.asText().isEmpty() && !(last && messages.get(i).path("role").asText().equals("assistant"))) {
                return Optional.of("messages: text content blocks must be non-empty");
            }
        }
        return firstOf(s.body(), (path, b) -> "text".equals(b.path("type").asText()) && b.path("text").asText("").isEmpty()
                ? "messages: text content blocks must be non-empty" : null);
    }

    private static Optional<String> badToolId(Subject s) {
        return firstOf(s.body(), (path, b) -> {
            String type = b.path("type").asText();
            if (type.equals("tool_use") && !TOOL_ID.matcher(b.path("id").asText("")).matches()) {
                return path + ".id: String should match pattern '^[a-zA-Z0-9_-]+$'";
            }
            if (type.equals("tool_result") && !TOOL_ID.matcher(b.path("tool_use_id").asText("")).matches()) {
                return path + ".tool_use_id: String should match pattern '^[a-zA-Z0-9_-]+$'";
            }
            return null;
        });
    }

    private static Set<String> toolUseIds(JsonNode message) {
        Set<String> ids = new LinkedHashSet<>();
        message.path("content").forEach(b -> {
            if ("tool_use".equals(b.path("type").asText())) {
                ids.add(b.path("id").asText());
            }
        });
        return ids;
    }

    private static Optional<String> orphanToolResult(Subject s) {
        JsonNode messages = s.body().path("messages");
        for (int i = 0; i < messages.size(); i++) {
            JsonNode content = messages.get(i).path("content");
            Set<String> previous = i > 0 ? toolUseIds(messages.get(i - 1)) : Set.of();
            for (int j = 0; j < content.size() && content.isArray(); j++) {
                JsonNode b = content.get(j);
                if ("tool_result".equals(b.path("type").asText()) && !previous.contains(b.path("tool_use_id").asText())) {
                    return Optional.of("messages." + i + ".content." + j + ": unexpected `tool_use_id` found in `tool_result` blocks: "
                            + b.path("tool_use_id").asText() + ". Each `tool_result` block must have a corresponding `tool_use` block in the previous message.");
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<String> unansweredToolUse(Subject s) {
        JsonNode messages = s.body().path("messages");
        for (int i = 0; i + 1 < messages.size(); i++) {
            Set<String> missing = toolUseIds(messages.get(i));
            messages.get(i + 1).path("content").forEach(b -> {
                if ("tool_result".equals(b.path("type").asText())) {
                    missing.remove(b.path("tool_use_id").asText());
                }
            });
            if (!missing.isEmpty()) {
                return Optional.of("messages." + i + ": `tool_use` ids were found without `tool_result` blocks immediately after: "
                        + String.join(", ", missing) + ". Each `tool_use` block must have a corresponding `tool_result` block in the next message.");
            }
        }
        return Optional.empty();
    }

    private static Optional<String> badSignature(Subject s) {
        return firstOf(s.body(), (path, b) -> "thinking".equals(b.path("type").asText())
                && !s.signatures().verify(b.path("thinking").asText(""), b.path("signature").asText(""))
                ? path + ": Invalid `signature` in `thinking` block" : null);
    }

    /** Every {@code cache_control} value in system, tools and messages (nested tool_result content too), by path. */
    static Map<String, JsonNode> cacheControls(JsonNode body) {
        Map<String, JsonNode> out = new java.util.LinkedHashMap<>();
        collectCacheControls("tools", body.path("tools"), out);
        collectCacheControls("system", body.path("system"), out);
        collectCacheControls("messages", body.path("messages"), out);
        return out;
    }

    private static void collectCacheControls(String path, JsonNode node, Map<String, JsonNode> out) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().equals("cache_control")) {
                    if (e.getValue().isObject()) {
                        out.put(path + ".cache_control", e.getValue());
                    }
                } else if (e.getValue().isContainerNode() && !e.getKey().equals("input") && !e.getKey().equals("input_schema")) {
                    collectCacheControls(path + "." + e.getKey(), e.getValue(), out);
                }
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                collectCacheControls(path + "." + i, node.get(i), out);
            }
        }
    }

    private static Optional<String> badTtl(Subject s) {
        for (Map.Entry<String, JsonNode> e : cacheControls(s.body()).entrySet()) {
            JsonNode ttl = e.getValue().get("ttl");
            if (ttl == null) {
                continue;
            }
            if (s.m().generation() < 45) {
                return Optional.of(e.getKey() + ".ttl: Extra inputs are not permitted");
            }
            if (!ttl.asText().equals("5m") && !ttl.asText().equals("1h")) {
                return Optional.of(e.getKey() + ".ttl: Input should be '5m' or '1h'");
            }
        }
        return Optional.empty();
    }

    private static Optional<String> emptySystemBlock(Subject s) {
        JsonNode system = s.body().path("system");
        for (int i = 0; i < system.size() && system.isArray(); i++) {
            if (system.get(i).path("text").asText("").isEmpty()) {
                return Optional.of("system: text content blocks must be non-empty");
            }
        }
        return Optional.empty();
    }

    private static Optional<String> thinkingTypeForModel(Subject s) {
        JsonNode thinking = s.body().path("thinking");
        if (thinking.isMissingNode()) {
            return Optional.empty();
        }
        List<String> tags = switch (s.m().thinking()) {
            case NONE -> List.of("disabled");
            case BUDGET_ONLY -> List.of("disabled", "enabled");
            case BOTH -> List.of("adaptive", "disabled", "enabled");
            case ADAPTIVE_ONLY -> List.of("adaptive", "disabled");
        };
        String type = thinking.path("type").asText("");
        return tags.contains(type) ? Optional.empty()
                : Optional.of("thinking.type: Input tag '" + type + "' found using 'type' does not match any of the expected tags: '"
                        + String.join("', '", tags) + "'");
    }

    private static Optional<String> thinkingExtraKey(Subject s) {
        JsonNode thinking = s.body().path("thinking");
        String type = thinking.path("type").asText("");
        Set<String> allowed = new java.util.HashSet<>(Set.of("type"));
        if (type.equals("enabled")) {
            allowed.add("budget_tokens");
        }
        if (!type.equals("disabled") && s.betas().contains("thinking-display-updates-2026-08-18")) {
            allowed.add("display");
        }
        return firstExtraKey(thinking, allowed).map(k -> "thinking." + type + "." + k + ": Extra inputs are not permitted");
    }

    private static Optional<String> unsupportedToolType(Subject s) {
        JsonNode tools = s.body().path("tools");
        for (int i = 0; i < tools.size(); i++) {
            String type = tools.get(i).path("type").asText("custom");
            boolean ok = type.equals("custom") || type.startsWith("bash_") || type.startsWith("text_editor_")
                    || type.startsWith("computer_") || type.startsWith("memory_")
                    || (type.startsWith("tool_search_tool_") && s.betas().contains("tool-search-tool-2025-10-19"));
            if (!ok) {
                return Optional.of("tools." + i + ".type: Input tag '" + type + "' found using 'type' does not match any of the expected tags: "
                        + "'bash_20250124', 'custom', 'text_editor_20250728', 'computer_20250124'");
            }
        }
        return Optional.empty();
    }

    private static Optional<String> toolExtraKey(Subject s) {
        JsonNode tools = s.body().path("tools");
        for (int i = 0; i < tools.size(); i++) {
            JsonNode tool = tools.get(i);
            if (!tool.path("type").asText("custom").equals("custom")) {
                continue;
            }
            Set<String> allowed = new java.util.HashSet<>(Set.of("name", "description", "input_schema", "cache_control", "type"));
            if (s.betas().contains("tool-search-tool-2025-10-19")) {
                allowed.add("defer_loading");
            }
            if (s.betas().contains("tool-examples-2025-10-29")) {
                allowed.add("input_examples");
            }
            if (s.betas().contains("fine-grained-tool-streaming-2025-05-14")) {
                allowed.add("eager_input_streaming");
            }
            int index = i;
            Optional<String> extra = firstExtraKey(tool, allowed).map(k -> "tools." + index + "." + k + ": Extra inputs are not permitted");
            if (extra.isPresent()) {
                return extra;
            }
        }
        return Optional.empty();
    }
}
