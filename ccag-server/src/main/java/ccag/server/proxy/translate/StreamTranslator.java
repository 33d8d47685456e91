package ccag.server.proxy.translate;

import ccag.server.errors.ErrorKind;
import ccag.server.errors.UpstreamFailure;
import ccag.server.spend.Usage;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Optional;

/**
 * One Bedrock stream → Anthropic SSE, one event per chunk (spec §3.4). Create one per stream; not
 * thread-safe (feed it from the single subscriber that receives the chunks, in order).
 *
 * <ul>
 *   <li>{@code message_start}: {@code message.model} set to the client's model; missing
 *       {@code usage.cache_*} counters inserted as 0; id and usage remembered.</li>
 *   <li>{@code message_delta}: usage accumulated (later values win); missing cache counters are
 *       filled with the values {@code message_start} gave. They are not set to 0: SDK accumulators
 *       copy every counter present in {@code message_delta} over the start's, so a 0 would erase the
 *       cache figures Claude Code shows.</li>
 *   <li>{@code amazon-bedrock-invocationMetrics} removed from any event (kept for logs).</li>
 *   <li>Everything else, unknown types included, forwarded byte for byte.</li>
 * </ul>
 */
public final class StreamTranslator {
    private final String responseModel;
    private Usage usage = Usage.ZERO;
    private String messageId;
    private String stopReason;
    private boolean started;
    private boolean stopped;
    private boolean errored;
    private int events;
    private JsonNode metrics;

    public StreamTranslator(ResolvedModel model) {
        this.responseModel = model.responseModel();
    }

    /**
     * Translates one chunk ({@code PayloadPart.bytes()}: one Anthropic event JSON) into SSE bytes.
     * The result is a new array; the chunk array is not kept.
     *
     * @throws UpstreamFailure 502 {@code api_error} when the chunk is not a JSON object; end the stream
     *                         with {@link Sse#error(ccag.server.errors.ApiException, String)}
     */
    public byte[] translate(byte[] chunk) {
        JsonNode tree;
        try {
            tree = Json.MAPPER.readTree(chunk);
        } catch (IOException e) {
            throw new UpstreamFailure(ErrorKind.BAD_GATEWAY, "Failed to parse upstream stream event", null, true, e);
        }
        if (!(tree instanceof ObjectNode event)) {
            throw new UpstreamFailure(ErrorKind.BAD_GATEWAY, "Failed to parse upstream stream event", null, true, null);
        }
        events++;
        String type = event.path("type").asText("");
        boolean changed = false;
        JsonNode m = event.remove(ResponseTranslator.METRICS);
        if (m != null) {
            metrics = m;
            changed = true;
        }
        switch (type) {
            case "message_start" -> {
                started = true;
                if (event.get("message") instanceof ObjectNode msg) {
                    msg.put("model", responseModel);
                    changed = true;
                    if (msg.get("id") != null && msg.get("id").isTextual()) {
                        messageId = msg.get("id").asText();
                    }
                    if (msg.get("usage") instanceof ObjectNode u) {
                        UsageReader.ensureCacheFields(u, 0, 0);
                        usage = UsageReader.merge(usage, u);
                    }
                }
            }
            case "message_delta" -> {
                JsonNode sr = event.path("delta").get("stop_reason");
                if (sr != null && sr.isTextual()) {
                    stopReason = sr.asText();
                }
                if (event.get("usage") instanceof ObjectNode u) {
                    usage = UsageReader.merge(usage, u);
                    changed |= UsageReader.ensureCacheFields(u, usage.cacheCreationInputTokens(), usage.cacheReadInputTokens());
                }
            }
            case "message_stop" -> stopped = true;
            case "error" -> errored = true;
            default -> {
            }
        }
        byte[] json = changed || hasLineBreak(chunk) ? write(event) : trim(chunk);
        return Sse.event(type, json);
    }

    /**
     * The {@code error} event to send when the upstream ended without {@code message_stop} (spec §3.11),
     * or empty when the stream ended properly (or already carried an error event).
     */
    public Optional<byte[]> endOfStream(String requestId) {
        if (stopped || errored) {
            return Optional.empty();
        }
        return Optional.of(Sse.error("api_error", "upstream stream ended before message_stop", requestId));
    }

    /** Usage so far: input and cache counts from {@code message_start}, output from the last {@code message_delta}. */
    public Usage usage() {
        return usage;
    }

    public boolean sawMessageStart() {
        return started;
    }

    public boolean sawMessageStop() {
        return stopped;
    }

    /** True when an upstream event of type {@code error} was forwarded. */
    public boolean sawError() {
        return errored;
    }

    /** Number of chunks translated. */
    public int eventCount() {
        return events;
    }

    public String messageId() {
        return messageId;
    }

    public String stopReason() {
        return stopReason;
    }

    /** The {@code amazon-bedrock-invocationMetrics} Bedrock attached (to {@code message_stop}), for logs. */
    public Optional<JsonNode> invocationMetrics() {
        return Optional.ofNullable(metrics);
    }

    private static byte[] write(JsonNode event) {
        try {
            return Json.MAPPER.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }

    private static boolean hasLineBreak(byte[] b) {
        int start = 0;
        int end = b.length;
        while (start < end && isSpace(b[start])) {
            start++;
        }
        while (end > start && isSpace(b[end - 1])) {
            end--;
        }
        for (int i = start; i < end; i++) {
            if (b[i] == '\n' || b[i] == '\r') {
                return true;
            }
        }
        return false;
    }

    private static byte[] trim(byte[] b) {
        int start = 0;
        int end = b.length;
        while (start < end && isSpace(b[start])) {
            start++;
        }
        while (end > start && isSpace(b[end - 1])) {
            end--;
        }
        return start == 0 && end == b.length ? b : java.util.Arrays.copyOfRange(b, start, end);
    }

    private static boolean isSpace(byte c) {
        return c == ' ' || c == '\n' || c == '\r' || c == '\t';
    }
}
