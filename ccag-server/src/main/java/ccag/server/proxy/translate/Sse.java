package ccag.server.proxy.translate;

import ccag.server.errors.ApiException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;

/** Server-sent event framing: {@code event: <type>\ndata: <one-line JSON>\n\n}, UTF-8 (spec §3.2). */
public final class Sse {
    private static final byte[] EVENT = "event: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DATA = "\ndata: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DATA_ONLY = "data: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "\n\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PING = event("ping", "{\"type\":\"ping\"}".getBytes(StandardCharsets.UTF_8));
    /** An SSE comment: every parser ignores it; usable as a keep-alive before {@code message_start}. */
    private static final byte[] KEEPALIVE_COMMENT = ": keepalive\n\n".getBytes(StandardCharsets.US_ASCII);

    private Sse() {
    }

    /** One event; {@code type} null or empty gives a data-only event. {@code json} must hold no line break. */
    public static byte[] event(String type, byte[] json) {
        byte[] name = type == null ? new byte[0] : safeName(type).getBytes(StandardCharsets.UTF_8);
        boolean named = name.length > 0;
        int len = (named ? EVENT.length + name.length + DATA.length : DATA_ONLY.length) + json.length + END.length;
        byte[] out = new byte[len];
        int at = 0;
        if (named) {
            System.arraycopy(EVENT, 0, out, at, EVENT.length);
            at += EVENT.length;
            System.arraycopy(name, 0, out, at, name.length);
            at += name.length;
            System.arraycopy(DATA, 0, out, at, DATA.length);
            at += DATA.length;
        } else {
            System.arraycopy(DATA_ONLY, 0, out, at, DATA_ONLY.length);
            at += DATA_ONLY.length;
        }
        System.arraycopy(json, 0, out, at, json.length);
        at += json.length;
        System.arraycopy(END, 0, out, at, END.length);
        return out;
    }

    /** {@code event: ping} with {@code {"type":"ping"}}. */
    public static byte[] ping() {
        return PING.clone();
    }

    /** {@code : keepalive} comment line. */
    public static byte[] keepAliveComment() {
        return KEEPALIVE_COMMENT.clone();
    }

    /**
     * An {@code error} event: {@code {"type":"error","error":{"type":..,"message":..},"request_id":..}}.
     *
     * @param requestId may be null (then left out)
     */
    public static byte[] error(String errorType, String message, String requestId) {
        ObjectNode body = Json.NODES.objectNode().put("type", "error");
        body.putObject("error").put("type", errorType).put("message", message);
        if (requestId != null) {
            body.put("request_id", requestId);
        }
        try {
            return event("error", Json.MAPPER.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An {@code error} event for a classified failure (its kind's type, its message). */
    public static byte[] error(ApiException failure, String requestId) {
        return error(failure.kind().type(), failure.getMessage(), requestId);
    }

    private static String safeName(String type) {
        for (int i = 0; i < type.length(); i++) {
            char c = type.charAt(i);
            if (c == '\n' || c == '\r') {
                return type.replace("\n", "").replace("\r", "");
            }
        }
        return type;
    }
}
