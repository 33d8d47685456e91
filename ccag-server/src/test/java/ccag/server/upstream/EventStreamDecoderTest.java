package ccag.server.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.eventstream.HeaderValue;
import software.amazon.eventstream.Message;

/** The incremental event-stream decoder against the format's published vectors and the library's encoder. */
class EventStreamDecoderTest {
    // translation-spec.md §8.4
    static final byte[] NO_HEADERS = hex("0000001e00000000baf2f68a7b22666f6f223a2022626172227dae7258e4");
    static final byte[] ONE_HEADER = hex("0000003e00000020405df9460c636f6e74656e742d747970650700106170706c69636174696f6e2f6a736f6e"
            + "7b22666f6f223a2022626172227d6fa2bf3b");
    static final byte[] CHUNK = hex("000000870000004b87ea2bf30b3a6576656e742d747970650700056368756e6b0d3a636f6e74656e742d74797065"
            + "0700106170706c69636174696f6e2f6a736f6e0d3a6d6573736167652d747970650700056576656e747b226279746573223a2265794a30"
            + "6558426c496a6f696257567a6332466e5a56397a64473977496e303d227dba48ab22");
    static final byte[] THROTTLING = hex("000000b0000000614f5086b30f3a657863657074696f6e2d747970650700137468726f74746c696e67457863"
            + "657074696f6e0d3a636f6e74656e742d747970650700106170706c69636174696f6e2f6a736f6e0d3a6d6573736167652d747970650700"
            + "09657863657074696f6e7b226d657373616765223a22546f6f206d616e7920746f6b656e732c20706c656173652077616974206265666f"
            + "726520747279696e6720616761696e2e227df70ae57f");

    static byte[] hex(String h) {
        return HexFormat.of().parseHex(h);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    static List<Message> decodeInPieces(EventStreamDecoder d, byte[] all, int... cuts) {
        List<Message> out = new ArrayList<>();
        int from = 0;
        for (int cut : cuts) {
            d.feed(ByteBuffer.wrap(all, from, cut - from), out::add);
            from = cut;
        }
        d.feed(ByteBuffer.wrap(all, from, all.length - from), out::add);
        return out;
    }

    @Test
    void publishedVectorsDecode() {
        List<Message> out = decodeInPieces(new EventStreamDecoder(), concat(NO_HEADERS, ONE_HEADER, CHUNK, THROTTLING));
        assertThat(out).hasSize(4);
        assertThat(new String(out.get(0).getPayload(), StandardCharsets.UTF_8)).isEqualTo("{\"foo\": \"bar\"}");
        assertThat(out.get(0).getHeaders()).isEmpty();
        assertThat(out.get(1).getHeaders().get("content-type").getString()).isEqualTo("application/json");
        assertThat(out.get(2).getHeaders().get(":event-type").getString()).isEqualTo("chunk");
        assertThat(new String(out.get(2).getPayload(), StandardCharsets.UTF_8))
                .isEqualTo("{\"bytes\":\"eyJ0eXBlIjoibWVzc2FnZV9zdG9wIn0=\"}");
        assertThat(out.get(3).getHeaders().get(":exception-type").getString()).isEqualTo("throttlingException");
    }

    @Test
    void framesSplitAtEveryByteBoundaryDecodeTheSame() {
        byte[] all = concat(CHUNK, THROTTLING, NO_HEADERS);
        for (int cut = 0; cut <= all.length; cut++) {
            EventStreamDecoder d = new EventStreamDecoder();
            List<Message> out = decodeInPieces(d, all, cut);
            assertThat(out).as("cut at %d", cut).hasSize(3);
            assertThat(out.get(0).getHeaders().get(":event-type").getString()).isEqualTo("chunk");
            assertThat(out.get(1).getHeaders().get(":message-type").getString()).isEqualTo("exception");
            assertThat(out.get(2).getPayload()).hasSize(14);
            assertThat(d.midFrame()).isFalse();
        }
    }

    @Test
    void oneByteAtATimeDecodes() {
        byte[] all = concat(CHUNK, CHUNK, ONE_HEADER);
        int[] cuts = new int[all.length - 1];
        for (int i = 0; i < cuts.length; i++) {
            cuts[i] = i + 1;
        }
        EventStreamDecoder d = new EventStreamDecoder();
        assertThat(decodeInPieces(d, all, cuts)).hasSize(3);
    }

    @Test
    void partialFrameIsReportedAsMidFrame() {
        EventStreamDecoder d = new EventStreamDecoder();
        List<Message> out = new ArrayList<>();
        d.feed(ByteBuffer.wrap(CHUNK, 0, 20), out::add);
        assertThat(out).isEmpty();
        assertThat(d.midFrame()).isTrue();
    }

    @Test
    void corruptMessageCrcIsRefused() {
        byte[] bad = CHUNK.clone();
        bad[bad.length - 30] ^= 0x01;
        assertThatThrownBy(() -> new EventStreamDecoder().feed(ByteBuffer.wrap(bad), m -> { }))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Message checksum failure");
    }

    @Test
    void corruptPreludeIsRefusedBeforeAnyBufferGrows() {
        byte[] bad = CHUNK.clone();
        bad[1] = 0x7f; // total length now ~2 GB; the prelude CRC no longer matches
        EventStreamDecoder d = new EventStreamDecoder();
        assertThatThrownBy(() -> d.feed(ByteBuffer.wrap(bad), m -> { }))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Prelude checksum failure");
        assertThat(d.capacity()).isEqualTo(EventStreamDecoder.INITIAL_CAPACITY);
    }

    @Test
    void bufferGrowsOnlyToTheLargestFrame() {
        EventStreamDecoder d = new EventStreamDecoder();
        List<Message> out = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            d.feed(ByteBuffer.wrap(CHUNK), out::add);
        }
        assertThat(out).hasSize(1000);
        assertThat(d.capacity()).isEqualTo(EventStreamDecoder.INITIAL_CAPACITY);

        Map<String, HeaderValue> headers = new LinkedHashMap<>();
        headers.put(":message-type", HeaderValue.fromString("event"));
        byte[] big = new Message(headers, new byte[5000]).toByteBuffer().array();
        byte[] bigger = new Message(headers, new byte[7000]).toByteBuffer().array();
        d.feed(ByteBuffer.wrap(concat(big, CHUNK, bigger, CHUNK)), out::add);
        assertThat(out).hasSize(1004);
        assertThat(out.get(1002).getPayload()).hasSize(7000);
        assertThat(d.capacity()).isEqualTo(bigger.length);
    }
}
