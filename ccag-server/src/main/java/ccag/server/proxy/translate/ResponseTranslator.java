package ccag.server.proxy.translate;

import ccag.server.errors.ErrorKind;
import ccag.server.errors.UpstreamFailure;
import ccag.server.spend.Usage;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * Bedrock InvokeModel response body → Anthropic Message body (spec §2.1). The Bedrock body already
 * is an Anthropic {@code Message}; this sets {@code model} to the client's name, inserts missing
 * {@code usage.cache_*} counters as 0, removes {@code amazon-bedrock-invocationMetrics}, and keeps
 * everything else (unknown fields, every {@code stop_reason}) as it is. Stateless.
 */
public final class ResponseTranslator {
    static final String METRICS = "amazon-bedrock-invocationMetrics";

    /**
     * @param body       the Anthropic Message JSON for the client
     * @param usage      the request's usage, for the ledger
     * @param messageId  {@code id} of the message, or null
     * @param stopReason {@code stop_reason}, or null
     */
    public record Result(byte[] body, Usage usage, String messageId, String stopReason) {
    }

    private ResponseTranslator() {
    }

    /**
     * @throws UpstreamFailure 502 {@code api_error} "Failed to parse upstream response" when the body is not a JSON object
     */
    public static Result translate(byte[] bedrockBody, ResolvedModel model) {
        JsonNode tree;
        try {
            tree = Json.MAPPER.readTree(bedrockBody);
        } catch (IOException e) {
            throw new UpstreamFailure(ErrorKind.BAD_GATEWAY, "Failed to parse upstream response", null, true, e);
        }
        if (!(tree instanceof ObjectNode msg)) {
            throw new UpstreamFailure(ErrorKind.BAD_GATEWAY, "Failed to parse upstream response", null, true, null);
        }
        msg.remove(METRICS);
        if (msg.has("model") || "message".equals(msg.path("type").asText())) {
            msg.put("model", model.responseModel());
        }
        Usage usage = Usage.ZERO;
        if (msg.get("usage") instanceof ObjectNode u) {
            UsageReader.ensureCacheFields(u, 0, 0);
            usage = UsageReader.merge(Usage.ZERO, u);
        }
        try {
            return new Result(Json.MAPPER.writeValueAsBytes(msg), usage, text(msg, "id"), text(msg, "stop_reason"));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v != null && v.isTextual() ? v.asText() : null;
    }
}
