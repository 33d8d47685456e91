package ccag.server.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;

/**
 * Input tokens estimated from the body the way a tokenizer roughly counts them: about 4 characters of
 * JSON per token, except base64 media, which counts per item (an image ~1,600 tokens, a PDF ~2,000
 * per 3,000 bytes) and never by its characters.
 */
final class TokenEstimate {
    private TokenEstimate() {
    }

    static int inputTokens(JsonNode body) {
        long[] acc = new long[2]; // [0] characters, [1] media tokens
        walk(body, acc);
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, acc[0] / 4 + acc[1]));
    }

    static int ofText(String text) {
        return Math.max(1, (text.length() + 3) / 4);
    }

    private static void walk(JsonNode node, long[] acc) {
        if (node == null) {
            return;
        }
        if (node.isObject()) {
            if ("base64".equals(node.path("type").asText()) && node.path("data").isTextual()) {
                String mediaType = node.path("media_type").asText("");
                long bytes = node.path("data").asText().length() * 3L / 4;
                acc[1] += mediaType.equals("application/pdf") ? Math.max(1, bytes / 3000) * 2000 : 1600;
                return;
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                acc[0] += e.getKey().length() + 4;
                walk(e.getValue(), acc);
            }
        } else if (node.isArray()) {
            for (JsonNode n : node) {
                acc[0] += 1;
                walk(n, acc);
            }
        } else {
            acc[0] += node.isTextual() ? node.asText().length() + 2 : node.asText().length();
        }
    }
}
