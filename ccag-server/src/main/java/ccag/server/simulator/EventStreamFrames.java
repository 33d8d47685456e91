package ccag.server.simulator;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.eventstream.HeaderValue;
import software.amazon.eventstream.Message;

/**
 * The {@code application/vnd.amazon.eventstream} frames of InvokeModelWithResponseStream (translation
 * spec §8.3), encoded by the {@code software.amazon.eventstream} library: prelude, string headers in
 * Bedrock's order, payload and both CRC32s.
 */
final class EventStreamFrames {
    private EventStreamFrames() {
    }

    /** A {@code chunk} event whose payload carries one Anthropic event JSON, base64-encoded. */
    static ByteBuffer chunk(String eventJson) {
        String payload = "{\"bytes\":\"" + Base64.getEncoder().encodeToString(eventJson.getBytes(StandardCharsets.UTF_8)) + "\"}";
        Map<String, HeaderValue> headers = new LinkedHashMap<>();
        headers.put(":event-type", HeaderValue.fromString("chunk"));
        headers.put(":content-type", HeaderValue.fromString("application/json"));
        headers.put(":message-type", HeaderValue.fromString("event"));
        return new Message(headers, payload.getBytes(StandardCharsets.UTF_8)).toByteBuffer();
    }

    /** A modelled exception ({@code :exception-type} is the lowerCamelCase member name, e.g. {@code throttlingException}). */
    static ByteBuffer exception(String exceptionType, String payloadJson) {
        Map<String, HeaderValue> headers = new LinkedHashMap<>();
        headers.put(":exception-type", HeaderValue.fromString(exceptionType));
        headers.put(":content-type", HeaderValue.fromString("application/json"));
        headers.put(":message-type", HeaderValue.fromString("exception"));
        return new Message(headers, payloadJson.getBytes(StandardCharsets.UTF_8)).toByteBuffer();
    }

    /** An unmodelled error frame: no payload, the code and text in headers. */
    static ByteBuffer error(String code, String message) {
        Map<String, HeaderValue> headers = new LinkedHashMap<>();
        headers.put(":message-type", HeaderValue.fromString("error"));
        headers.put(":error-code", HeaderValue.fromString(code));
        headers.put(":error-message", HeaderValue.fromString(message));
        return new Message(headers, new byte[0]).toByteBuffer();
    }

    /** The same frame with its message CRC broken, as a damaged connection would deliver it. */
    static ByteBuffer corrupt(ByteBuffer frame) {
        ByteBuffer copy = ByteBuffer.allocate(frame.remaining()).put(frame.duplicate()).flip();
        int last = copy.limit() - 1;
        copy.put(last, (byte) (copy.get(last) ^ 0x5A));
        return copy;
    }
}
