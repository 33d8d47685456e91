package ccag.server.proxy.translate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ccag.server.errors.ErrorKind;
import ccag.server.errors.UpstreamFailure;
import ccag.server.spend.Usage;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StreamTranslatorTest {
    private final ResolvedModel model = Fixtures.catalog().resolve("claude-opus-4-7[1m]");

    private static final String START = "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_bdrk_01\",\"type\":\"message\","
            + "\"role\":\"assistant\",\"content\":[],\"model\":\"claude-opus-4-7\",\"stop_reason\":null,\"stop_sequence\":null,"
            + "\"usage\":{\"input_tokens\":25,\"cache_creation_input_tokens\":300,\"cache_read_input_tokens\":4000,\"output_tokens\":1}}}";
    private static final String DELTA_TEXT = "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hé \\\"x\\\"\"}}";
    private static final String MESSAGE_DELTA = "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\",\"stop_sequence\":null},"
            + "\"usage\":{\"output_tokens\":42}}";
    private static final String STOP = "{\"type\":\"message_stop\",\"amazon-bedrock-invocationMetrics\":{\"inputTokenCount\":25,"
            + "\"outputTokenCount\":42,\"invocationLatency\":900,\"firstByteLatency\":300}}";

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String s(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    /** Splits one SSE event into its name and parsed data. */
    private static JsonNode data(byte[] event, String expectedName) throws Exception {
        String text = s(event);
        assertThat(text).startsWith("event: " + expectedName + "\ndata: ").endsWith("\n\n");
        String json = text.substring(("event: " + expectedName + "\ndata: ").length(), text.length() - 2);
        assertThat(json).doesNotContain("\n");
        return Fixtures.MAPPER.readTree(json);
    }

    @Test
    void aWholeStreamBecomesOneSseEventPerChunkWithModelRewrittenAndMetricsRemoved() throws Exception {
        StreamTranslator t = new StreamTranslator(model);
        List<byte[]> out = new ArrayList<>();
        for (String chunk : List.of(START, "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}",
                DELTA_TEXT, "{\"type\":\"content_block_stop\",\"index\":0}", MESSAGE_DELTA, STOP)) {
            out.add(t.translate(b(chunk)));
        }

        JsonNode start = data(out.get(0), "message_start");
        assertThat(start.at("/message/model").asText()).isEqualTo("claude-opus-4-7");
        assertThat(s(out.get(2))).isEqualTo("event: content_block_delta\ndata: " + DELTA_TEXT + "\n\n");
        JsonNode stop = data(out.get(5), "message_stop");
        assertThat(stop).isEqualTo(Fixtures.json("{\"type\":\"message_stop\"}"));
        assertThat(t.invocationMetrics().orElseThrow().get("outputTokenCount").asInt()).isEqualTo(42);
        assertThat(t.sawMessageStart()).isTrue();
        assertThat(t.sawMessageStop()).isTrue();
        assertThat(t.endOfStream("req_1")).isEmpty();
        assertThat(t.usage()).isEqualTo(Usage.of(25, 42, 300, 4000));
        assertThat(t.stopReason()).isEqualTo("tool_use");
        assertThat(t.messageId()).isEqualTo("msg_bdrk_01");
        assertThat(t.eventCount()).isEqualTo(6);
    }

    @Test
    void messageStartGainsMissingCacheCountersAsZero() throws Exception {
        StreamTranslator t = new StreamTranslator(model);

        JsonNode start = data(t.translate(b("{\"type\":\"message_start\",\"message\":{\"model\":\"x\",\"usage\":{\"input_tokens\":3,\"output_tokens\":1}}}")),
                "message_start");

        assertThat(start.at("/message/usage/cache_creation_input_tokens").asInt()).isZero();
        assertThat(start.at("/message/usage/cache_read_input_tokens").asInt()).isZero();
    }

    @Test
    void messageDeltaCarriesTheStartsCacheCountersInsteadOfZeros() throws Exception {
        StreamTranslator t = new StreamTranslator(model);
        t.translate(b(START));

        JsonNode delta = data(t.translate(b(MESSAGE_DELTA)), "message_delta");

        assertThat(delta.get("usage")).isEqualTo(Fixtures.json("{\"output_tokens\":42,\"cache_creation_input_tokens\":300,"
                + "\"cache_read_input_tokens\":4000}"));
    }

    @Test
    void laterUsageValuesWin() {
        StreamTranslator t = new StreamTranslator(model);
        t.translate(b(START));
        t.translate(b("{\"type\":\"message_delta\",\"delta\":{},\"usage\":{\"output_tokens\":10}}"));
        t.translate(b("{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},\"usage\":{\"input_tokens\":30,"
                + "\"cache_read_input_tokens\":4100,\"output_tokens\":50}}"));

        assertThat(t.usage()).isEqualTo(Usage.of(30, 50, 300, 4100));
    }

    @Test
    void unknownEventTypesPingsAndPrettyPrintedChunksAreForwarded() throws Exception {
        StreamTranslator t = new StreamTranslator(model);

        assertThat(s(t.translate(b("{\"type\":\"future_event\",\"x\":1}")))).isEqualTo("event: future_event\ndata: {\"type\":\"future_event\",\"x\":1}\n\n");
        assertThat(s(t.translate(b("{\"type\": \"ping\"}")))).isEqualTo("event: ping\ndata: {\"type\": \"ping\"}\n\n");
        JsonNode pretty = data(t.translate(b("{\n  \"type\": \"content_block_stop\",\n  \"index\": 1\n}\n")), "content_block_stop");
        assertThat(pretty.get("index").asInt()).isEqualTo(1);
    }

    @Test
    void aStreamThatEndsWithoutMessageStopGetsAnErrorEvent() throws Exception {
        // spec §9.18
        StreamTranslator t = new StreamTranslator(model);
        t.translate(b(START));
        t.translate(b(DELTA_TEXT));

        JsonNode err = data(t.endOfStream("req_9").orElseThrow(), "error");

        assertThat(err).isEqualTo(Fixtures.json("{\"type\":\"error\",\"error\":{\"type\":\"api_error\","
                + "\"message\":\"upstream stream ended before message_stop\"},\"request_id\":\"req_9\"}"));
        assertThat(t.sawMessageStop()).isFalse();
    }

    @Test
    void anUpstreamErrorEventIsForwardedAndNeedsNoSecondOne() {
        StreamTranslator t = new StreamTranslator(model);
        t.translate(b("{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}"));

        assertThat(t.sawError()).isTrue();
        assertThat(t.endOfStream("r")).isEmpty();
    }

    @Test
    void aChunkThatIsNotJsonFailsTheStream() {
        StreamTranslator t = new StreamTranslator(model);

        assertThatThrownBy(() -> t.translate(b("not json")))
                .isInstanceOfSatisfying(UpstreamFailure.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.BAD_GATEWAY));
    }

    @Test
    void pingAndErrorHelpersRenderAnthropicEvents() throws Exception {
        assertThat(s(Sse.ping())).isEqualTo("event: ping\ndata: {\"type\":\"ping\"}\n\n");
        assertThat(s(Sse.keepAliveComment())).isEqualTo(": keepalive\n\n");
        JsonNode err = data(Sse.error(new UpstreamFailure(ErrorKind.OVERLOADED, "Too many tokens\nwait", null, true, null), "req_2"), "error");
        assertThat(err.at("/error/type").asText()).isEqualTo("overloaded_error");
        assertThat(err.at("/error/message").asText()).isEqualTo("Too many tokens\nwait");
        assertThat(err.get("request_id").asText()).isEqualTo("req_2");
    }
}
