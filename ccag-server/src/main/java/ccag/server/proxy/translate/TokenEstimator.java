package ccag.server.proxy.translate;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Base64;

/**
 * The local token estimate for {@code count_tokens} when Bedrock's CountTokens is unavailable
 * (spec §4.3 step 6). Deliberately simple and conservative:
 * <ul>
 *   <li>text ÷ 3.5 (rounded up) over every text-bearing field: system texts, message text, thinking
 *       text, {@code tool_use.input} as JSON, {@code tool_result} text, tool definitions
 *       ({@code name} + {@code description} + JSON of {@code input_schema});</li>
 *   <li>per image ⌈width × height ÷ 750⌉ (at most 1,600) when PNG or GIF dimensions can be read from
 *       the base64 header, else 1,600;</li>
 *   <li>per base64 PDF 2,000 tokens per page, the page count estimated as ⌈decoded bytes ÷ 3,000⌉;
 *       text documents count as text;</li>
 *   <li>10 tokens of framing per message.</li>
 * </ul>
 * Base64 payload characters are never counted as text.
 */
public final class TokenEstimator {
    static final double CHARS_PER_TOKEN = 3.5;
    static final long IMAGE_DEFAULT = 1_600;
    static final long TOKENS_PER_PDF_PAGE = 2_000;
    static final long PDF_BYTES_PER_PAGE = 3_000;
    static final long PER_MESSAGE = 10;

    private TokenEstimator() {
    }

    /** The estimate for a client body (Anthropic shape, before translation). */
    public static long estimate(JsonNode clientBody) {
        Counter c = new Counter();
        JsonNode system = clientBody.get("system");
        if (system != null) {
            c.content(system);
        }
        JsonNode messages = clientBody.path("messages");
        for (JsonNode m : messages) {
            c.tokens += PER_MESSAGE;
            c.content(m.get("content"));
        }
        for (JsonNode t : clientBody.path("tools")) {
            c.chars += t.path("name").asText("").length() + t.path("description").asText("").length();
            JsonNode schema = t.get("input_schema");
            if (schema != null) {
                c.chars += schema.toString().length();
            }
        }
        return c.tokens + (long) Math.ceil(c.chars / CHARS_PER_TOKEN);
    }

    private static final class Counter {
        long chars;
        long tokens;

        void content(JsonNode content) {
            if (content == null || content.isNull()) {
                return;
            }
            if (content.isTextual()) {
                chars += content.asText().length();
                return;
            }
            if (content.isArray()) {
                content.forEach(this::block);
            }
        }

        void block(JsonNode b) {
            String type = b.path("type").asText("");
            switch (type) {
                case "text" -> chars += b.path("text").asText("").length();
                case "thinking" -> chars += b.path("thinking").asText("").length();
                case "tool_use", "server_tool_use" -> {
                    chars += b.path("name").asText("").length();
                    JsonNode input = b.get("input");
                    if (input != null) {
                        chars += input.toString().length();
                    }
                }
                case "tool_result" -> content(b.get("content"));
                case "image" -> tokens += image(b.path("source"));
                case "document" -> document(b.path("source"));
                default -> {
                }
            }
        }

        void document(JsonNode source) {
            String st = source.path("type").asText("");
            if (st.equals("base64")) {
                long bytes = source.path("data").asText("").length() * 3L / 4;
                tokens += Math.max(1, (bytes + PDF_BYTES_PER_PAGE - 1) / PDF_BYTES_PER_PAGE) * TOKENS_PER_PDF_PAGE;
            } else if (st.equals("text")) {
                chars += source.path("data").asText("").length();
            } else if (st.equals("content")) {
                content(source.get("content"));
            }
        }
    }

    /** Tokens for one image: from PNG/GIF dimensions when readable, else the default. */
    static long image(JsonNode source) {
        if (!"base64".equals(source.path("type").asText())) {
            return IMAGE_DEFAULT;
        }
        String data = source.path("data").asText("");
        if (data.length() < 32) {
            return IMAGE_DEFAULT;
        }
        byte[] head;
        try {
            head = Base64.getDecoder().decode(data.substring(0, 32));
        } catch (IllegalArgumentException e) {
            return IMAGE_DEFAULT;
        }
        long w;
        long h;
        if (head.length >= 24 && (head[0] & 0xff) == 0x89 && head[1] == 'P' && head[2] == 'N' && head[3] == 'G') {
            w = u32(head, 16);
            h = u32(head, 20);
        } else if (head.length >= 10 && head[0] == 'G' && head[1] == 'I' && head[2] == 'F') {
            w = (head[6] & 0xff) | (head[7] & 0xff) << 8;
            h = (head[8] & 0xff) | (head[9] & 0xff) << 8;
        } else {
            return IMAGE_DEFAULT;
        }
        if (w <= 0 || h <= 0) {
            return IMAGE_DEFAULT;
        }
        return Math.min(IMAGE_DEFAULT, (w * h + 749) / 750);
    }

    private static long u32(byte[] b, int at) {
        return ((long) (b[at] & 0xff) << 24) | ((b[at + 1] & 0xff) << 16) | ((b[at + 2] & 0xff) << 8) | (b[at + 3] & 0xff);
    }
}
