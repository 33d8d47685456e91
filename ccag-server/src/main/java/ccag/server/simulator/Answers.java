package ccag.server.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Builds an answer as the model would write it: a list of Anthropic streaming events (message_start …
 * message_stop) and, from the same blocks, the complete Message of a non-streamed invoke.
 */
final class Answers {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] LOREM = ("the gateway forwards each request to the simulated model which answers with "
            + "a steady stream of plain words so that long answers exercise streaming flushing metering and timeouts").split(" ");

    /** One event and whether it is a delta (latency per token applies before it). */
    record Event(ObjectNode json, boolean delta) {
    }

    record Planned(List<Event> events, ObjectNode message, int outputTokens) {
    }

    private sealed interface Block permits TextBlock, ThinkingBlock, ToolUseBlock {
    }

    private record TextBlock(String text) implements Block {
    }

    private record ThinkingBlock(String thinking, String signature) implements Block {
    }

    private record ToolUseBlock(String id, String name, String inputJson) implements Block {
    }

    private final ThinkingSignatures signatures;

    Answers(ThinkingSignatures signatures) {
        this.signatures = signatures;
    }

    Planned plan(Behaviour behaviour, JsonNode body, ModelCatalog.Model model, String requestedModelId, PromptCache.Usage usage) {
        List<Block> blocks = new ArrayList<>();
        String stopReason = "end_turn";
        String echo = echoText(body, requestedModelId);
        switch (behaviour.kind()) {
            case TEXT -> blocks.add(new TextBlock(behaviour.text()));
            case TOOL_USE -> {
                blocks.add(new TextBlock("I'll use " + behaviour.toolName() + "."));
                blocks.add(new ToolUseBlock("toolu_bdrk_" + randomId(24), behaviour.toolName(), compact(behaviour.toolInputJson())));
                stopReason = "tool_use";
            }
            case THINKING -> {
                String thinking = "The request reached " + requestedModelId + ". " + firstWords(Directives.lastUserText(body), 24)
                        + " I will answer briefly with what was received.";
                blocks.add(new ThinkingBlock(thinking, signatures.sign(thinking)));
                blocks.add(new TextBlock(echo));
            }
            case LONG -> blocks.add(new TextBlock(longText(behaviour.count())));
            default -> blocks.add(new TextBlock(echo));
        }
        int maxTokens = body.path("max_tokens").asInt(Integer.MAX_VALUE);
        String id = "msg_bdrk_" + randomId(24);
        String responseModel = model.responseName();

        List<Event> events = new ArrayList<>();
        ObjectNode start = F.objectNode().put("type", "message_start");
        ObjectNode startMessage = messageShell(id, responseModel);
        startMessage.set("usage", usage(usage, 1));
        start.set("message", startMessage);
        events.add(new Event(start, false));

        ArrayNode content = F.arrayNode();
        int outputTokens = 0;
        for (int index = 0; index < blocks.size() && outputTokens < maxTokens; index++) {
            Block block = blocks.get(index);
            switch (block) {
                case TextBlock t -> {
                    events.add(blockStart(index, F.objectNode().put("type", "text").put("text", "")));
                    StringBuilder written = new StringBuilder();
                    for (String piece : pieces(t.text())) {
                        if (outputTokens >= maxTokens) {
                            stopReason = "max_tokens";
                            break;
                        }
                        events.add(delta(index, F.objectNode().put("type", "text_delta").put("text", piece)));
                        written.append(piece);
                        outputTokens++;
                    }
                    content.add(F.objectNode().put("type", "text").put("text", written.toString()));
                }
                case ThinkingBlock th -> {
                    events.add(blockStart(index, F.objectNode().put("type", "thinking").put("thinking", "").put("signature", "")));
                    for (String piece : pieces(th.thinking())) {
                        events.add(delta(index, F.objectNode().put("type", "thinking_delta").put("thinking", piece)));
                        outputTokens++;
                    }
                    events.add(new Event(deltaEvent(index, F.objectNode().put("type", "signature_delta").put("signature", th.signature())), false));
                    content.add(F.objectNode().put("type", "thinking").put("thinking", th.thinking()).put("signature", th.signature()));
                }
                case ToolUseBlock tu -> {
                    events.add(blockStart(index, F.objectNode().put("type", "tool_use").put("id", tu.id()).put("name", tu.name())
                            .set("input", F.objectNode())));
                    events.add(delta(index, F.objectNode().put("type", "input_json_delta").put("partial_json", "")));
                    for (int i = 0; i < tu.inputJson().length(); i += 12) {
                        String part = tu.inputJson().substring(i, Math.min(tu.inputJson().length(), i + 12));
                        events.add(delta(index, F.objectNode().put("type", "input_json_delta").put("partial_json", part)));
                        outputTokens++;
                    }
                    ObjectNode block1 = F.objectNode().put("type", "tool_use").put("id", tu.id()).put("name", tu.name());
                    block1.set("input", parse(tu.inputJson()));
                    content.add(block1);
                }
            }
            events.add(new Event(F.objectNode().put("type", "content_block_stop").put("index", index), false));
        }
        outputTokens = Math.max(1, outputTokens);

        ObjectNode messageDelta = F.objectNode().put("type", "message_delta");
        messageDelta.set("delta", F.objectNode().put("stop_reason", stopReason).putNull("stop_sequence"));
        messageDelta.set("usage", F.objectNode().put("output_tokens", outputTokens));
        events.add(new Event(messageDelta, false));
        events.add(new Event(F.objectNode().put("type", "message_stop"), false));

        ObjectNode message = messageShell(id, responseModel);
        message.set("content", content);
        message.put("stop_reason", stopReason);
        message.set("usage", usage(usage, outputTokens));
        return new Planned(events, message, outputTokens);
    }

    private static ObjectNode messageShell(String id, String model) {
        ObjectNode m = F.objectNode().put("id", id).put("type", "message").put("role", "assistant").put("model", model);
        m.set("content", F.arrayNode());
        m.putNull("stop_reason");
        m.putNull("stop_sequence");
        return m;
    }

    private static ObjectNode usage(PromptCache.Usage u, int outputTokens) {
        return F.objectNode().put("input_tokens", u.inputTokens()).put("cache_creation_input_tokens", u.cacheCreation())
                .put("cache_read_input_tokens", u.cacheRead()).put("output_tokens", outputTokens);
    }

    private static Event blockStart(int index, ObjectNode block) {
        ObjectNode e = F.objectNode().put("type", "content_block_start").put("index", index);
        e.set("content_block", block);
        return new Event(e, false);
    }

    private static ObjectNode deltaEvent(int index, ObjectNode delta) {
        ObjectNode e = F.objectNode().put("type", "content_block_delta").put("index", index);
        e.set("delta", delta);
        return e;
    }

    private static Event delta(int index, ObjectNode delta) {
        return new Event(deltaEvent(index, delta), true);
    }

    /** Word-sized pieces, each one output token, spaces kept so the pieces concatenate to the text. */
    static List<String> pieces(String text) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 1; i <= text.length(); i++) {
            if (i == text.length() || (text.charAt(i) == ' ' && i > start)) {
                out.add(text.substring(start, i));
                start = i;
            }
        }
        return out;
    }

    static String echoText(JsonNode body, String modelId) {
        JsonNode messages = body.path("messages");
        JsonNode last = messages.path(messages.size() - 1);
        List<String> results = new ArrayList<>();
        int resultChars = 0;
        boolean anyError = false;
        for (JsonNode b : last.path("content")) {
            if ("tool_result".equals(b.path("type").asText())) {
                results.add(b.path("tool_use_id").asText());
                JsonNode c = b.path("content");
                resultChars += c.isTextual() ? c.asText().length() : c.toString().length();
                anyError |= b.path("is_error").asBoolean(false);
            }
        }
        if (!results.isEmpty()) {
            return "Simulated Bedrock (" + modelId + "): the tool_result for " + String.join(", ", results) + " came back ("
                    + resultChars + " characters" + (anyError ? ", marked as an error" : "") + "). Done.";
        }
        String words = firstWords(Directives.lastUserText(body), 12);
        return words.isEmpty()
                ? "Simulated Bedrock (" + modelId + ") received a request with no user text."
                : "Simulated Bedrock (" + modelId + ") received: \"" + words + "\"";
    }

    static String firstWords(String text, int n) {
        String cleaned = text.replaceAll("\\[\\[sim:.*?]]", " ").replaceAll("<system-reminder>[\\s\\S]*?</system-reminder>", " ").trim();
        String[] words = cleaned.split("\\s+");
        if (cleaned.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(n, words.length); i++) {
            sb.append(i == 0 ? "" : " ").append(words[i]);
        }
        return words.length > n ? sb + "…" : sb.toString();
    }

    private static String longText(int tokens) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < tokens; i++) {
            sb.append(i == 0 ? "" : " ").append(LOREM[i % LOREM.length]);
        }
        return sb.append('.').toString();
    }

    private static String compact(String json) {
        return parse(json).toString();
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String randomId(int length) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder sb = new StringBuilder(length);
        ThreadLocalRandom r = ThreadLocalRandom.current();
        for (int i = 0; i < length; i++) {
            sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        return sb.toString();
    }
}
