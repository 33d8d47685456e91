package ccag.server.proxy.translate;

import ccag.server.errors.InvalidRequest;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Anthropic Messages request (as Claude Code sends it) → Bedrock InvokeModel request (spec §1).
 *
 * <p>The Bedrock body is built by <b>allowlist</b>: {@code anthropic_version: bedrock-2023-05-31},
 * {@code anthropic_beta}, {@code max_tokens}, {@code system}, {@code messages}, {@code tools},
 * {@code tool_choice}, {@code thinking}, {@code temperature}, {@code top_p}, {@code top_k},
 * {@code stop_sequences}, {@code metadata}, {@code output_config}, {@code context_management};
 * {@code model} becomes the call's model id and {@code stream} the choice of operation. Everything
 * else is left out (known Anthropic-only fields are reported in {@link BedrockRequest#removedFields()},
 * the rest in {@link BedrockRequest#unknownFields()}).
 *
 * <p>Betas: the union of the {@code anthropic-beta} header lines (comma lists) and the body's
 * {@code betas}/{@code anthropic_beta}, renamed, plus {@code context-1m-2025-08-07} for a {@code [1m]}
 * model, filtered by the {@link BetaPolicy} and by what Bedrock rejected before for this model
 * ({@link LearnedRejections}); a body field whose beta did not survive goes too (spec §1.4.1
 * pairing table, {@code thinking.display} with {@code thinking-display-updates-2026-08-18}).
 *
 * <p>Also: {@code role: "system"} messages folded into a user turn (their {@code output_config}
 * dropped), {@code thinking} normalised for the model family, {@code cache_control} reduced to
 * {@code type}/{@code ttl}, tool-use ids made Bedrock-safe, server tools Bedrock does not run removed,
 * {@code metadata} reduced to {@code user_id}, the Claude Code billing block removed from
 * {@code system}. The client body is never modified; unchanged subtrees are shared, not copied.
 * Thread-safe.
 */
public final class RequestTranslator {
    public static final String BEDROCK_VERSION = "bedrock-2023-05-31";

    static final String CONTEXT_1M = "context-1m-2025-08-07";
    static final String CONTEXT_MANAGEMENT = "context-management-2025-06-27";
    static final String COMPACT = "compact-2026-01-12";
    static final String EFFORT = "effort-2025-11-24";
    static final String TOOL_SEARCH = "tool-search-tool-2025-10-19";
    static final String TOOL_EXAMPLES = "tool-examples-2025-10-29";
    static final String FINE_GRAINED_STREAMING = "fine-grained-tool-streaming-2025-05-14";
    static final String THINKING_DISPLAY = "thinking-display-updates-2026-08-18";
    static final String MID_CONVERSATION_OUTPUT_CONFIG = "mid-conversation-output-config-2026-07-01";

    static final String BILLING_PREFIX = "x-anthropic-billing-header:";

    /** Anthropic-only top-level fields, dropped on purpose (spec §1.2). */
    private static final Set<String> KNOWN_DROPPED = Set.of("cache_control", "service_tier", "inference_geo", "container",
            "mcp_servers", "speed", "fallbacks", "fallback_credit_token", "diagnostics", "user_profile_id", "output_format",
            "task_budget");
    private static final Set<String> HANDLED = Set.of("model", "stream", "anthropic_version", "anthropic_beta", "betas",
            "max_tokens", "messages", "system", "tools", "tool_choice", "thinking", "temperature", "top_p", "top_k",
            "stop_sequences", "metadata", "output_config", "context_management");
    /** Context-management edit types Bedrock knows; compaction needs its own beta. */
    private static final Set<String> CLEAR_EDITS = Set.of("clear_tool_uses_20250919", "clear_thinking_20251015");
    private static final String COMPACT_EDIT = "compact_20260112";
    /** Server tools Bedrock InvokeModel does not run (spec §1.7). */
    private static final List<String> UNRUN_TOOL_PREFIXES = List.of("web_search_", "web_fetch_", "code_execution_",
            "mcp_toolset", "advisor_", "memory_");
    /** History blocks of first-party server tools (spec §1.8). */
    private static final Set<String> UNRUN_RESULT_BLOCKS = Set.of("web_fetch_tool_result", "code_execution_tool_result",
            "bash_code_execution_tool_result", "text_editor_code_execution_tool_result", "mcp_tool_use", "mcp_tool_result");
    private static final Pattern EXTRA_INPUTS = Pattern.compile("([A-Za-z0-9_.]+): Extra inputs are not permitted");
    private static final Set<String> UNREMOVABLE = Set.of("messages", "max_tokens", "anthropic_version");
    private static final Pattern COMPUTER_TOOL = Pattern.compile("^computer_(\\d{4})(\\d{2})(\\d{2})$");
    /** Used when {@code thinking.type: enabled} comes without a budget (sub2api's default). */
    private static final int DEFAULT_THINKING_BUDGET = 10_000;
    private static final int MIN_THINKING_BUDGET = 1024;

    /**
     * @param stripBillingBlock         remove Claude Code's {@code x-anthropic-billing-header:} system block (spec §1.9)
     * @param forwardMetadata           forward {@code metadata.user_id}; false drops {@code metadata} entirely
     * @param addContext1mBetaForSuffix add {@code context-1m-2025-08-07} when the model name ends in {@code [1m]}
     */
    public record Options(boolean stripBillingBlock, boolean forwardMetadata, boolean addContext1mBetaForSuffix) {
        public static Options defaults() {
            return new Options(true, true, true);
        }
    }

    private final BetaPolicy policy;
    private final LearnedRejections learned;
    private final Options options;

    public RequestTranslator(BetaPolicy policy, LearnedRejections learned, Options options) {
        this.policy = Objects.requireNonNull(policy);
        this.learned = Objects.requireNonNull(learned);
        this.options = Objects.requireNonNull(options);
    }

    /** The shared learning state (for an admin view or {@code forget}). */
    public LearnedRejections learned() {
        return learned;
    }

    /**
     * Parses a request body as a JSON object.
     *
     * @throws InvalidRequest when it is empty, not JSON, or not an object
     */
    public static ObjectNode parse(byte[] body) {
        if (body == null || body.length == 0) {
            throw new InvalidRequest("Request body is empty; expected a JSON object");
        }
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(body);
        } catch (JacksonException e) {
            throw new InvalidRequest("Request body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidRequest("Request body could not be read");
        }
        if (!(node instanceof ObjectNode obj)) {
            throw new InvalidRequest("Request body must be a JSON object");
        }
        return obj;
    }

    /**
     * The {@code model} the client asked for (resolve it with {@link ModelCatalog#resolve}).
     *
     * @throws InvalidRequest naming {@code model} when it is missing or not a string
     */
    public static String requestedModel(ObjectNode body) {
        JsonNode m = body.get("model");
        if (m == null || m.isNull()) {
            throw new InvalidRequest("model: Field required", "model");
        }
        if (!m.isTextual() || m.asText().isBlank()) {
            throw new InvalidRequest("model: Input should be a non-empty string", "model");
        }
        return m.asText();
    }

    /** True when the client asked for a stream ({@code "stream": true}). */
    public static boolean wantsStream(ObjectNode body) {
        JsonNode s = body.get("stream");
        return s != null && s.isBoolean() && s.booleanValue();
    }

    /**
     * Translates a {@code POST /v1/messages} body.
     *
     * @param clientBody  the parsed body (not modified)
     * @param betaHeaders every {@code anthropic-beta} header line (each a comma list); may be empty
     * @param model       the resolved model
     * @throws InvalidRequest naming the field when {@code model}, {@code messages} or {@code max_tokens}
     *                        is missing or malformed, or a content block uses a Files API source
     */
    public BedrockRequest translate(ObjectNode clientBody, List<String> betaHeaders, ResolvedModel model) {
        return new Run(clientBody, betaHeaders, model, false, false).build();
    }

    /**
     * Translates a {@code POST /v1/messages/count_tokens} body with the same rules: {@code max_tokens}
     * is optional (1, or the thinking budget + 1, when absent), and the stream flag is ignored.
     */
    public BedrockRequest translateForCountTokens(ObjectNode clientBody, List<String> betaHeaders, ResolvedModel model) {
        return new Run(clientBody, betaHeaders, model, true, false).build();
    }

    /**
     * Learns from Bedrock's 400 {@code ValidationException} message (spec §1.4.4) and returns the
     * corrected request to send once more. Recognised: {@code invalid beta flag} (or a message naming
     * a forwarded beta): the named betas, or when none is named every forwarded beta a 200 has not
     * confirmed for this model, are rejected for this model; {@code <path>: Extra inputs are not
     * permitted}: that path (indices generalised) is removed for this model. What is learned is
     * remembered, so later requests skip it without a failed call.
     *
     * @return the retry, or empty when the message is not learnable, nothing changes, or
     *         {@code rejected} was already a retry (one retry per request; learning still happens)
     */
    public Optional<BedrockRequest> retryAfterRejection(BedrockRequest rejected, String bedrockMessage) {
        String msg = bedrockMessage == null ? "" : bedrockMessage;
        String lower = msg.toLowerCase(Locale.ROOT);
        String modelId = rejected.modelId();
        List<String> named = new ArrayList<>();
        for (String beta : rejected.forwardedBetas()) {
            if (lower.contains(beta)) {
                named.add(beta);
            }
        }
        if (!named.isEmpty()) {
            named.forEach(b -> learned.rejectBeta(modelId, b));
        } else if (lower.contains("invalid beta flag")) {
            Set<String> confirmed = learned.confirmedBetas(modelId);
            List<String> suspects = rejected.forwardedBetas().stream().filter(b -> !confirmed.contains(b)).toList();
            (suspects.isEmpty() ? rejected.forwardedBetas() : suspects).forEach(b -> learned.rejectBeta(modelId, b));
        }
        Matcher m = EXTRA_INPUTS.matcher(msg);
        while (m.find()) {
            String path = JsonPaths.generalise(m.group(1));
            if (!UNREMOVABLE.contains(path)) {
                learned.rejectPath(modelId, path);
            }
        }
        if (rejected.isRetry()) {
            return Optional.empty();
        }
        BedrockRequest.Source src = rejected.source();
        BedrockRequest again = new Run(src.clientBody(), src.betaHeaders(), rejected.model(), src.countTokens(), true).build();
        return again.body().equals(rejected.body()) ? Optional.empty() : Optional.of(again);
    }

    /** Records that Bedrock accepted a request (HTTP 200): its betas are confirmed for the model. */
    public void recordSuccess(BedrockRequest request) {
        recordSuccess(request.modelId(), request.forwardedBetas());
    }

    /** The same, for a caller that no longer holds the request (a long stream keeps only these two). */
    public void recordSuccess(String modelId, List<String> forwardedBetas) {
        learned.confirm(modelId, forwardedBetas);
    }

    /** One translation; holds the per-request state. */
    private final class Run {
        private final ObjectNode in;
        private final List<String> betaHeaders;
        private final ResolvedModel model;
        private final ModelFamily family;
        private final boolean countTokens;
        private final boolean retry;
        private final Set<String> betas = new LinkedHashSet<>();
        private final Map<String, BetaPolicy.Reason> dropped = new LinkedHashMap<>();
        private final Set<String> removed = new LinkedHashSet<>();
        private final List<String> unknown = new ArrayList<>();
        private final List<String> removedTools = new ArrayList<>();
        private long maxTokens;
        private boolean thinkingOn;

        Run(ObjectNode in, List<String> betaHeaders, ResolvedModel model, boolean countTokens, boolean retry) {
            this.in = Objects.requireNonNull(in);
            this.betaHeaders = betaHeaders == null ? List.of() : List.copyOf(betaHeaders);
            this.model = Objects.requireNonNull(model);
            this.family = model.family();
            this.countTokens = countTokens;
            this.retry = retry;
        }

        BedrockRequest build() {
            requestedModel(in);
            JsonNode messages = in.get("messages");
            if (messages == null || messages.isNull()) {
                throw new InvalidRequest("messages: Field required", "messages");
            }
            if (!messages.isArray()) {
                throw new InvalidRequest("messages: Input should be a valid list", "messages");
            }
            maxTokens = maxTokens();
            collectBetas();

            ObjectNode out = Json.NODES.objectNode();
            out.put("anthropic_version", BEDROCK_VERSION);
            if (!betas.isEmpty()) {
                ArrayNode arr = out.putArray("anthropic_beta");
                betas.forEach(arr::add);
            }
            JsonNode mt = in.get("max_tokens");
            if (mt != null && !mt.isNull()) {
                out.set("max_tokens", mt);
            } else {
                putCount(out, "max_tokens", maxTokens);
            }
            system(out);
            out.set("messages", messages((ArrayNode) messages));
            tools(out);
            thinking(out);
            sampling(out);
            metadata(out);
            outputConfig(out);
            contextManagement(out);
            in.fieldNames().forEachRemaining(name -> {
                if (KNOWN_DROPPED.contains(name)) {
                    removed.add(name);
                } else if (!HANDLED.contains(name)) {
                    unknown.add(name);
                }
            });
            ObjectNode body = applyLearnedPaths(out);
            return new BedrockRequest(model, !countTokens && wantsStream(in), body, new ArrayList<>(betas), dropped,
                    unknown, new ArrayList<>(removed), removedTools,
                    new BedrockRequest.Source(in, betaHeaders, countTokens), retry);
        }

        private long maxTokens() {
            JsonNode mt = in.get("max_tokens");
            if (mt == null || mt.isNull()) {
                if (!countTokens) {
                    throw new InvalidRequest("max_tokens: Field required", "max_tokens");
                }
                JsonNode budget = in.path("thinking").path("budget_tokens");
                return budget.canConvertToLong() && budget.isIntegralNumber() ? budget.longValue() + 1 : 1;
            }
            if (!mt.isIntegralNumber() || !mt.canConvertToLong() || mt.longValue() < 1) {
                throw new InvalidRequest("max_tokens: Input should be a positive integer", "max_tokens");
            }
            return mt.longValue();
        }

        // ---- betas (spec §1.4.3)

        private void collectBetas() {
            Set<String> asked = new LinkedHashSet<>();
            for (String line : betaHeaders) {
                if (line != null) {
                    for (String b : line.split(",")) {
                        addBeta(asked, b);
                    }
                }
            }
            for (String key : List.of("betas", "anthropic_beta")) {
                JsonNode n = in.get(key);
                if (n != null && n.isArray()) {
                    n.forEach(b -> {
                        if (b.isTextual()) {
                            addBeta(asked, b.asText());
                        }
                    });
                } else if (n != null && n.isTextual()) {
                    for (String b : n.asText().split(",")) {
                        addBeta(asked, b);
                    }
                }
            }
            if (model.oneMillionContext() && options.addContext1mBetaForSuffix()) {
                asked.add(CONTEXT_1M);
            }
            computerUseBeta(asked);
            Set<String> rejected = learned.rejectedBetas(model.bedrockModelId());
            for (String b : asked) {
                BetaPolicy.Reason refusal = rejected.contains(b) ? BetaPolicy.Reason.LEARNED_REJECTED : policy.refusal(b, family);
                if (refusal == null) {
                    betas.add(b);
                } else {
                    dropped.put(b, refusal);
                }
            }
        }

        private void addBeta(Set<String> asked, String raw) {
            String b = raw.trim().toLowerCase(Locale.ROOT);
            if (!b.isEmpty()) {
                asked.add(policy.canonical(b));
            }
        }

        /** A {@code computer_YYYYMMDD} tool needs its {@code computer-use-YYYY-MM-DD} beta (spec §1.4.3 step 7). */
        private void computerUseBeta(Set<String> asked) {
            JsonNode tools = in.get("tools");
            if (tools == null || !tools.isArray() || asked.stream().anyMatch(b -> b.startsWith("computer-use-"))) {
                return;
            }
            for (JsonNode t : tools) {
                Matcher m = COMPUTER_TOOL.matcher(t.path("type").asText(""));
                if (m.matches()) {
                    asked.add("computer-use-" + m.group(1) + "-" + m.group(2) + "-" + m.group(3));
                    return;
                }
            }
        }

        // ---- system (spec §1.9, §9.21)

        private void system(ObjectNode out) {
            JsonNode sys = in.get("system");
            if (sys == null || sys.isNull()) {
                return;
            }
            if (sys.isTextual()) {
                String s = sys.asText();
                if (s.isEmpty() || (options.stripBillingBlock() && isBillingLine(s))) {
                    removed.add("system");
                    return;
                }
                out.set("system", sys);
                return;
            }
            if (!sys.isArray()) {
                out.set("system", sys);
                return;
            }
            ArrayNode arr = Json.NODES.arrayNode(sys.size());
            for (int i = 0; i < sys.size(); i++) {
                JsonNode block = sys.get(i);
                if (options.stripBillingBlock() && block.isObject() && "text".equals(block.path("type").asText())
                        && block.path("text").asText("").startsWith(BILLING_PREFIX)) {
                    removed.add("system[" + i + "] (billing header)");
                    continue;
                }
                JsonNode b = block(block);
                if (b != null) {
                    arr.add(b);
                }
            }
            if (arr.isEmpty()) {
                removed.add("system");
            } else {
                out.set("system", arr);
            }
        }

        private static boolean isBillingLine(String s) {
            return s.startsWith(BILLING_PREFIX) && s.indexOf('\n') < 0;
        }

        // ---- messages (spec §1.8)

        private ArrayNode messages(ArrayNode msgs) {
            int n = msgs.size();
            String[] roles = new String[n];
            boolean anySystem = false;
            for (int i = 0; i < n; i++) {
                roles[i] = msgs.get(i).path("role").asText("");
                anySystem |= roles[i].equals("system");
            }
            List<List<JsonNode>> before = null;
            List<List<JsonNode>> after = null;
            if (anySystem) {
                before = new ArrayList<>(n);
                after = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    before.add(null);
                    after.add(null);
                }
                for (int i = 0; i < n; i++) {
                    if (!roles[i].equals("system")) {
                        continue;
                    }
                    int target = foldTarget(roles, i);
                    if (target < 0) {
                        throw new InvalidRequest("messages: a message with role \"system\" needs a user message to be "
                                + "folded into (Bedrock takes no system role inside messages)", "messages");
                    }
                    List<List<JsonNode>> side = target < i ? after : before;
                    if (side.get(target) == null) {
                        side.set(target, new ArrayList<>());
                    }
                    side.get(target).addAll(systemBlocks(msgs.get(i)));
                    removed.add("messages[" + i + "] (role system, folded into messages[" + target + "])");
                    if (msgs.get(i).has("output_config")) {
                        removed.add("messages[" + i + "].output_config");
                    }
                }
            }
            ArrayNode out = Json.NODES.arrayNode(n);
            for (int i = 0; i < n; i++) {
                if (roles[i].equals("system")) {
                    continue;
                }
                out.add(message(msgs.get(i), before == null ? null : before.get(i), after == null ? null : after.get(i)));
            }
            return out;
        }

        /**
         * The user turn a system message joins: the neighbouring user turn before it (Claude Code's
         * {@code [user, system, ...]}), else the one right after, else the nearest before, else after.
         */
        private static int foldTarget(String[] roles, int i) {
            int p = i - 1;
            while (p >= 0 && roles[p].equals("system")) {
                p--;
            }
            if (p >= 0 && roles[p].equals("user")) {
                return p;
            }
            int q = i + 1;
            while (q < roles.length && roles[q].equals("system")) {
                q++;
            }
            if (q < roles.length && roles[q].equals("user")) {
                return q;
            }
            for (p = i - 1; p >= 0; p--) {
                if (roles[p].equals("user")) {
                    return p;
                }
            }
            for (q = i + 1; q < roles.length; q++) {
                if (roles[q].equals("user")) {
                    return q;
                }
            }
            return -1;
        }

        private List<JsonNode> systemBlocks(JsonNode msg) {
            JsonNode content = msg.get("content");
            List<JsonNode> blocks = new ArrayList<>();
            if (content == null || content.isNull()) {
                return blocks;
            }
            if (content.isTextual()) {
                if (!content.asText().isEmpty()) {
                    blocks.add(textBlock(content.asText()));
                }
                return blocks;
            }
            if (content.isArray()) {
                for (JsonNode b : content) {
                    JsonNode s = block(b);
                    if (s != null) {
                        blocks.add(s);
                    }
                }
            }
            return blocks;
        }

        private JsonNode message(JsonNode msg, List<JsonNode> prepend, List<JsonNode> append) {
            if (!msg.isObject()) {
                return msg;
            }
            ObjectNode o = Json.NODES.objectNode();
            for (var it = msg.properties().iterator(); it.hasNext(); ) {
                var e = it.next();
                switch (e.getKey()) {
                    case "role", "content" -> { }
                    case "output_config" -> {
                        if (betas.contains(MID_CONVERSATION_OUTPUT_CONFIG)) {
                            o.set("output_config", e.getValue());
                        } else {
                            removed.add("messages[].output_config");
                        }
                    }
                    default -> removed.add("messages[]." + e.getKey());
                }
            }
            o.set("role", msg.get("role"));
            JsonNode content = msg.get("content");
            boolean folding = (prepend != null && !prepend.isEmpty()) || (append != null && !append.isEmpty());
            if (!folding) {
                if (content != null) {
                    o.set("content", content.isArray() ? contentArray(content) : content);
                }
                return o;
            }
            ArrayNode blocks = Json.NODES.arrayNode();
            if (content != null && content.isTextual()) {
                if (!content.asText().isEmpty()) {
                    blocks.add(textBlock(content.asText()));
                }
            } else if (content != null && content.isArray()) {
                blocks.addAll((ArrayNode) contentArray(content));
            }
            if (prepend != null) {
                // tool_result blocks must stay first in a user turn that answers tool calls
                int at = 0;
                while (at < blocks.size() && "tool_result".equals(blocks.get(at).path("type").asText())) {
                    at++;
                }
                for (JsonNode b : prepend) {
                    blocks.insert(at++, b);
                }
            }
            if (append != null) {
                append.forEach(blocks::add);
            }
            o.set("content", blocks);
            return o;
        }

        /** The content array with each block sanitised; the same node when nothing changed. */
        private JsonNode contentArray(JsonNode content) {
            ArrayNode copy = null;
            for (int i = 0; i < content.size(); i++) {
                JsonNode b = content.get(i);
                JsonNode s = block(b);
                if (s != b && copy == null) {
                    copy = Json.NODES.arrayNode(content.size());
                    for (int k = 0; k < i; k++) {
                        copy.add(content.get(k));
                    }
                }
                if (copy != null && s != null) {
                    copy.add(s);
                }
            }
            return copy != null ? copy : content;
        }

        /** One content block, sanitised: the same node when unchanged, a copy when changed, null to drop it. */
        private JsonNode block(JsonNode b) {
            if (!(b instanceof ObjectNode obj)) {
                return b;
            }
            String type = obj.path("type").asText("");
            switch (type) {
                case "server_tool_use" -> {
                    if (!obj.path("name").asText("").startsWith("tool_search_tool")) {
                        removed.add("messages[].content[type=server_tool_use]");
                        return null;
                    }
                }
                case "web_search_tool_result" -> {
                    removed.add("messages[].content[type=web_search_tool_result] (as text)");
                    return webSearchAsText(obj);
                }
                case "image", "document" -> {
                    if ("file".equals(obj.path("source").path("type").asText())) {
                        throw new InvalidRequest("Files API is not supported by this gateway (file sources in "
                                + type + " blocks); send the content inline as base64", "messages");
                    }
                }
                default -> {
                    if (UNRUN_RESULT_BLOCKS.contains(type)) {
                        removed.add("messages[].content[type=" + type + "]");
                        return null;
                    }
                }
            }
            ObjectNode copy = null;
            JsonNode cc = obj.get("cache_control");
            if (cc != null) {
                JsonNode s = cacheControl(cc);
                if (s != cc) {
                    copy = JsonPaths.shallowCopy(obj);
                    copy.set("cache_control", s);
                }
            }
            if (type.equals("tool_use") || type.equals("server_tool_use")) {
                copy = safeId(obj, copy, "id");
            } else if (type.equals("tool_result")) {
                copy = safeId(obj, copy, "tool_use_id");
                JsonNode inner = obj.get("content");
                if (inner != null && inner.isArray()) {
                    JsonNode s = contentArray(inner);
                    if (s != inner) {
                        copy = copy != null ? copy : JsonPaths.shallowCopy(obj);
                        copy.set("content", s);
                    }
                }
            } else if (type.equals("document")) {
                JsonNode source = obj.get("source");
                if (source instanceof ObjectNode src && src.path("content").isArray()) {
                    JsonNode s = contentArray(src.get("content"));
                    if (s != src.get("content")) {
                        ObjectNode srcCopy = JsonPaths.shallowCopy(src);
                        srcCopy.set("content", s);
                        copy = copy != null ? copy : JsonPaths.shallowCopy(obj);
                        copy.set("source", srcCopy);
                    }
                }
            }
            return copy != null ? copy : obj;
        }

        private ObjectNode safeId(ObjectNode obj, ObjectNode copy, String field) {
            JsonNode id = obj.get(field);
            if (id == null || !id.isTextual()) {
                return copy;
            }
            String safe = safeToolId(id.asText());
            if (safe.equals(id.asText())) {
                return copy;
            }
            ObjectNode c = copy != null ? copy : JsonPaths.shallowCopy(obj);
            c.put(field, safe);
            return c;
        }

        /**
         * {@code cache_control} with only {@code type} and {@code ttl} (spec §1.5): {@code scope} and other
         * keys go; {@code ttl} stays only as "5m"/"1h" on Claude 4.5+. Non-objects are left alone.
         */
        private JsonNode cacheControl(JsonNode cc) {
            if (!(cc instanceof ObjectNode obj)) {
                return cc;
            }
            JsonNode type = obj.get("type");
            JsonNode ttl = obj.get("ttl");
            boolean keepTtl = ttl != null && family.supportsCacheTtl() && ttl.isTextual()
                    && (ttl.asText().equals("5m") || ttl.asText().equals("1h"));
            int kept = (type != null ? 1 : 0) + (keepTtl ? 1 : 0);
            if (kept == obj.size()) {
                return obj;
            }
            ObjectNode s = Json.NODES.objectNode();
            if (type != null) {
                s.set("type", type);
            }
            if (keepTtl) {
                s.set("ttl", ttl);
            }
            obj.fieldNames().forEachRemaining(k -> {
                if (!k.equals("type") && !(k.equals("ttl") && keepTtl)) {
                    removed.add("cache_control." + k);
                }
            });
            return s;
        }

        private JsonNode webSearchAsText(ObjectNode obj) {
            StringBuilder text = new StringBuilder("Web search results:");
            JsonNode content = obj.path("content");
            if (content.isArray()) {
                int i = 1;
                for (JsonNode r : content) {
                    text.append("\n[").append(i++).append("] ").append(r.path("title").asText(""))
                            .append("\nURL: ").append(r.path("url").asText(""));
                }
            } else if (content.isObject()) {
                text.append(" failed (").append(content.path("error_code").asText("error")).append(')');
            }
            return textBlock(text.toString());
        }

        // ---- tools (spec §1.7)

        private void tools(ObjectNode out) {
            JsonNode tools = in.get("tools");
            JsonNode choice = in.get("tool_choice");
            if (tools == null || tools.isNull()) {
                if (choice != null && !choice.isNull()) {
                    out.set("tool_choice", choice);
                }
                return;
            }
            if (!tools.isArray()) {
                out.set("tools", tools);
                if (choice != null) {
                    out.set("tool_choice", choice);
                }
                return;
            }
            ArrayNode arr = Json.NODES.arrayNode(tools.size());
            Set<String> removedNames = new HashSet<>();
            for (JsonNode t : tools) {
                if (!(t instanceof ObjectNode tool)) {
                    arr.add(t);
                    continue;
                }
                String type = tool.path("type").asText("");
                String name = tool.path("name").asText(type);
                if (UNRUN_TOOL_PREFIXES.stream().anyMatch(type::startsWith)
                        || (type.startsWith("tool_search_tool_") && !betas.contains(TOOL_SEARCH))) {
                    removedTools.add(name);
                    removedNames.add(name);
                    continue;
                }
                arr.add(tool(tool, type.isEmpty() || type.equals("custom")));
            }
            if (arr.isEmpty()) {
                if (!tools.isEmpty()) {
                    removed.add("tools");
                }
                if (choice != null && !choice.isNull()) {
                    removed.add("tool_choice");
                }
                return;
            }
            out.set("tools", arr);
            if (choice != null && !choice.isNull()) {
                if ("tool".equals(choice.path("type").asText()) && removedNames.contains(choice.path("name").asText())) {
                    ObjectNode auto = Json.NODES.objectNode().put("type", "auto");
                    if (choice.has("disable_parallel_tool_use")) {
                        auto.set("disable_parallel_tool_use", choice.get("disable_parallel_tool_use"));
                    }
                    removed.add("tool_choice (forced a removed tool; now auto)");
                    out.set("tool_choice", auto);
                } else {
                    out.set("tool_choice", choice);
                }
            }
        }

        private ObjectNode tool(ObjectNode tool, boolean custom) {
            ObjectNode o = Json.NODES.objectNode();
            for (var it = tool.properties().iterator(); it.hasNext(); ) {
                var e = it.next();
                String k = e.getKey();
                JsonNode v = e.getValue();
                boolean keep = switch (k) {
                    case "cache_control" -> {
                        v = cacheControl(v);
                        yield true;
                    }
                    case "defer_loading" -> betas.contains(TOOL_SEARCH);
                    case "input_examples" -> betas.contains(TOOL_EXAMPLES);
                    case "eager_input_streaming" -> betas.contains(FINE_GRAINED_STREAMING);
                    case "strict", "custom" -> false;
                    case "name", "description", "input_schema", "type" -> true;
                    default -> !custom; // Anthropic-defined tools (bash, text_editor, computer) carry their own keys
                };
                if (keep) {
                    o.set(k, v);
                } else {
                    removed.add("tools[]." + k);
                }
            }
            return o;
        }

        // ---- thinking (spec §1.6)

        private void thinking(ObjectNode out) {
            JsonNode t = in.get("thinking");
            if (t == null || t.isNull()) {
                return;
            }
            if (!t.isObject()) {
                out.set("thinking", t);
                return;
            }
            String type = t.path("type").asText("");
            JsonNode budget = t.get("budget_tokens");
            ObjectNode o = Json.NODES.objectNode();
            switch (family.thinking()) {
                case ADAPTIVE_ONLY -> {
                    if (type.equals("enabled")) {
                        o.put("type", "adaptive");
                        removed.add("thinking.budget_tokens (adaptive only on " + family + ")");
                    } else {
                        o.put("type", type);
                    }
                }
                case BUDGET_ONLY -> {
                    if (type.equals("adaptive") || type.equals("enabled")) {
                        long b = type.equals("adaptive")
                                ? (long) Math.floor(maxTokens * effortRatio())
                                : budget != null && budget.canConvertToLong() ? budget.longValue()
                                : Math.min(DEFAULT_THINKING_BUDGET, maxTokens - 1);
                        b = Math.min(b, maxTokens - 1);
                        if (b < MIN_THINKING_BUDGET) {
                            o.put("type", "disabled");
                        } else {
                            putCount(o.put("type", "enabled"), "budget_tokens", b);
                        }
                        if (type.equals("adaptive")) {
                            removed.add("thinking.type adaptive (budget on " + family + ")");
                        }
                    } else {
                        o.put("type", type);
                    }
                }
                default -> {
                    o.set("type", t.get("type"));
                    if (budget != null) {
                        o.set("budget_tokens", budget);
                    }
                }
            }
            String finalType = o.path("type").asText("");
            thinkingOn = finalType.equals("enabled") || finalType.equals("adaptive");
            JsonNode display = t.get("display");
            if (display != null) {
                if (betas.contains(THINKING_DISPLAY) && thinkingOn) {
                    o.set("display", display);
                } else {
                    removed.add("thinking.display");
                }
            }
            t.fieldNames().forEachRemaining(k -> {
                if (!k.equals("type") && !k.equals("budget_tokens") && !k.equals("display")) {
                    removed.add("thinking." + k);
                }
            });
            out.set("thinking", o);
        }

        /** Share of max_tokens given to thinking when adaptive becomes a budget, by effort (coder/aibridge). */
        private double effortRatio() {
            return switch (in.path("output_config").path("effort").asText("high")) {
                case "low" -> 0.2;
                case "medium" -> 0.5;
                case "max" -> 0.95;
                default -> 0.8;
            };
        }

        // ---- sampling, metadata, output_config, context_management

        private void sampling(ObjectNode out) {
            for (String k : List.of("temperature", "top_p", "top_k")) {
                JsonNode v = in.get(k);
                if (v != null && !v.isNull()) {
                    if (family.rejectsSamplingParameters()) {
                        removed.add(k);
                    } else {
                        out.set(k, v);
                    }
                }
            }
            JsonNode stops = in.get("stop_sequences");
            if (stops != null && !stops.isNull()) {
                out.set("stop_sequences", stops);
            }
        }

        private void metadata(ObjectNode out) {
            JsonNode md = in.get("metadata");
            if (md == null || md.isNull()) {
                return;
            }
            JsonNode user = md.get("user_id");
            if (options.forwardMetadata() && user != null && user.isTextual()) {
                out.set("metadata", Json.NODES.objectNode().set("user_id", user));
                md.fieldNames().forEachRemaining(k -> {
                    if (!k.equals("user_id")) {
                        removed.add("metadata." + k);
                    }
                });
            } else {
                removed.add("metadata");
            }
        }

        private void outputConfig(ObjectNode out) {
            JsonNode oc = in.get("output_config");
            if (oc == null || oc.isNull()) {
                return;
            }
            if (!oc.isObject()) {
                removed.add("output_config");
                return;
            }
            ObjectNode o = Json.NODES.objectNode();
            oc.properties().forEach(e -> {
                boolean keep = e.getKey().equals("effort") && switch (family.effort()) {
                    case GA, UNKNOWN -> true;
                    case BETA -> betas.contains(EFFORT);
                    case NONE -> false;
                };
                if (keep) {
                    o.set(e.getKey(), e.getValue());
                } else {
                    removed.add("output_config." + e.getKey());
                }
            });
            if (!o.isEmpty()) {
                out.set("output_config", o);
            }
        }

        private void contextManagement(ObjectNode out) {
            JsonNode cm = in.get("context_management");
            if (cm == null || cm.isNull()) {
                return;
            }
            JsonNode edits = cm.path("edits");
            ArrayNode kept = Json.NODES.arrayNode();
            if (edits.isArray()) {
                for (JsonNode e : edits) {
                    String type = e.path("type").asText("");
                    boolean keep = CLEAR_EDITS.contains(type)
                            ? betas.contains(CONTEXT_MANAGEMENT) && (thinkingOn || !type.equals("clear_thinking_20251015"))
                            : type.equals(COMPACT_EDIT) && betas.contains(COMPACT);
                    if (keep) {
                        kept.add(e);
                    } else {
                        removed.add("context_management.edits[type=" + type + "]");
                    }
                }
            }
            if (kept.isEmpty()) {
                removed.add("context_management");
            } else {
                out.set("context_management", Json.NODES.objectNode().set("edits", kept));
            }
        }

        private ObjectNode applyLearnedPaths(ObjectNode out) {
            Set<String> paths = learned.rejectedPaths(model.bedrockModelId());
            if (paths.isEmpty()) {
                return out;
            }
            JsonNode body = out;
            for (String path : paths) {
                JsonNode next = JsonPaths.without(body, path);
                if (next != body) {
                    removed.add(path + " (learned)");
                    body = next;
                }
            }
            ObjectNode result = (ObjectNode) body;
            List<String> empty = new ArrayList<>();
            result.properties().forEach(e -> {
                if (e.getValue().isObject() && e.getValue().isEmpty()) {
                    empty.add(e.getKey());
                }
            });
            if (!empty.isEmpty()) {
                result = JsonPaths.shallowCopy(result);
                empty.forEach(result::remove);
            }
            return result;
        }
    }

    /** Integers stay int-typed when they fit, as the client sent them. */
    private static void putCount(ObjectNode o, String field, long value) {
        if (value <= Integer.MAX_VALUE) {
            o.put(field, (int) value);
        } else {
            o.put(field, value);
        }
    }

    static ObjectNode textBlock(String text) {
        return Json.NODES.objectNode().put("type", "text").put("text", text);
    }

    /** Bedrock wants tool-use ids matching {@code ^[a-zA-Z0-9_-]+$}: every other character becomes {@code _}. */
    static String safeToolId(String id) {
        StringBuilder b = null;
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
            if (!ok && b == null) {
                b = new StringBuilder(id.length()).append(id, 0, i);
            }
            if (b != null) {
                b.append(ok ? c : '_');
            }
        }
        return b == null ? id : b.toString();
    }
}
