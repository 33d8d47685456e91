package ccag.server.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.eventstream.HeaderValue;
import software.amazon.eventstream.Message;

/** The frames against the hex test vectors of translation-spec §8.4. */
class EventStreamFramesTest {
    private static String hex(ByteBuffer b) {
        byte[] bytes = new byte[b.remaining()];
        b.duplicate().get(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static String vector(String spaced) {
        return spaced.replace(" ", "");
    }

    @Test
    void frameWithoutHeadersMatchesVector1() {
        ByteBuffer frame = new Message(Map.of(), "{\"foo\": \"bar\"}".getBytes(StandardCharsets.UTF_8)).toByteBuffer();
        assertThat(hex(frame)).isEqualTo(vector("0000001e 00000000 baf2f68a 7b22666f6f223a2022626172227d ae7258e4"));
    }

    @Test
    void frameWithOneStringHeaderMatchesVector2() {
        Map<String, HeaderValue> headers = new LinkedHashMap<>();
        headers.put("content-type", HeaderValue.fromString("application/json"));
        ByteBuffer frame = new Message(headers, "{\"foo\": \"bar\"}".getBytes(StandardCharsets.UTF_8)).toByteBuffer();
        assertThat(hex(frame)).isEqualTo(vector("0000003e 00000020 405df946 0c636f6e74656e742d74797065 07 0010 "
                + "6170706c69636174696f6e2f6a736f6e 7b22666f6f223a2022626172227d 6fa2bf3b"));
    }

    @Test
    void messageStopChunkMatchesVector3() {
        assertThat(hex(EventStreamFrames.chunk("{\"type\":\"message_stop\"}"))).isEqualTo(
                "000000870000004b87ea2bf30b3a6576656e742d747970650700056368756e6b0d3a636f6e74656e742d747970650700106170706c69"
                        + "636174696f6e2f6a736f6e0d3a6d6573736167652d747970650700056576656e747b226279746573223a2265794a30655842"
                        + "6c496a6f696257567a6332466e5a56397a64473977496e303d227dba48ab22");
    }

    @Test
    void throttlingExceptionFrameMatchesVector4() {
        assertThat(hex(EventStreamFrames.exception("throttlingException",
                "{\"message\":\"Too many tokens, please wait before trying again.\"}"))).isEqualTo(
                "000000b0000000614f5086b30f3a657863657074696f6e2d747970650700137468726f74746c696e67457863657074696f6e0d3a636f"
                        + "6e74656e742d747970650700106170706c69636174696f6e2f6a736f6e0d3a6d6573736167652d74797065070009657863657074"
                        + "696f6e7b226d657373616765223a22546f6f206d616e7920746f6b656e732c20706c656173652077616974206265666f7265207472"
                        + "79696e6720616761696e2e227df70ae57f");
    }

    @Test
    void errorFrameCarriesCodeAndMessageInHeaders() {
        Message m = Message.decode(EventStreamFrames.error("InternalFailure", "boom"));
        assertThat(m.getHeaders().get(":message-type").getString()).isEqualTo("error");
        assertThat(m.getHeaders().get(":error-code").getString()).isEqualTo("InternalFailure");
        assertThat(m.getHeaders().get(":error-message").getString()).isEqualTo("boom");
        assertThat(m.getPayload()).isEmpty();
    }

    @Test
    void corruptedFrameFailsTheMessageChecksum() {
        ByteBuffer bad = EventStreamFrames.corrupt(EventStreamFrames.chunk("{\"type\":\"ping\"}"));
        assertThatThrownBy(() -> Message.decode(bad)).hasMessageContaining("Message checksum failure");
    }
}
