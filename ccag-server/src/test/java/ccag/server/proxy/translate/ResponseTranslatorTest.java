package ccag.server.proxy.translate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ccag.server.errors.ErrorKind;
import ccag.server.errors.UpstreamFailure;
import ccag.server.spend.Usage;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ResponseTranslatorTest {
    private final ResolvedModel model = Fixtures.catalog().resolve("claude-sonnet-4-5[1m]");

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void modelIsTheClientsNameMetricsGoAndMissingCacheCountersAreZero() throws Exception {
        ResponseTranslator.Result r = ResponseTranslator.translate(bytes("{\"id\":\"msg_bdrk_1\",\"type\":\"message\",\"role\":\"assistant\","
                + "\"model\":\"claude-sonnet-4-5-20250929\",\"content\":[{\"type\":\"text\",\"text\":\"hi\"}],\"stop_reason\":\"end_turn\","
                + "\"stop_sequence\":null,\"usage\":{\"input_tokens\":12,\"output_tokens\":3},"
                + "\"amazon-bedrock-invocationMetrics\":{\"inputTokenCount\":12},\"future_field\":{\"a\":1}}"), model);

        JsonNode out = Fixtures.MAPPER.readTree(r.body());
        assertThat(out.get("model").asText()).isEqualTo("claude-sonnet-4-5");
        assertThat(out.has("amazon-bedrock-invocationMetrics")).isFalse();
        assertThat(out.get("usage")).isEqualTo(Fixtures.json("{\"input_tokens\":12,\"output_tokens\":3,"
                + "\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0}"));
        assertThat(out.get("future_field").get("a").asInt()).isEqualTo(1);
        assertThat(r.usage()).isEqualTo(Usage.of(12, 3, 0, 0));
        assertThat(r.messageId()).isEqualTo("msg_bdrk_1");
        assertThat(r.stopReason()).isEqualTo("end_turn");
    }

    @Test
    void everyStopReasonAndEmptyContentPassUntouched() throws Exception {
        // spec §9.1, §9.2
        for (String reason : new String[] {"refusal", "pause_turn", "model_context_window_exceeded", "some_future_reason"}) {
            ResponseTranslator.Result r = ResponseTranslator.translate(bytes("{\"type\":\"message\",\"model\":\"m\",\"content\":[],"
                    + "\"stop_reason\":\"" + reason + "\",\"usage\":{\"input_tokens\":1,\"output_tokens\":0}}"), model);
            JsonNode out = Fixtures.MAPPER.readTree(r.body());
            assertThat(out.get("stop_reason").asText()).isEqualTo(reason);
            assertThat(out.get("content")).isEmpty();
        }
    }

    @Test
    void cacheUsageAndItsTtlBreakdownAreRead() {
        ResponseTranslator.Result r = ResponseTranslator.translate(bytes("{\"type\":\"message\",\"usage\":{\"input_tokens\":5,\"output_tokens\":7,"
                + "\"cache_creation_input_tokens\":100,\"cache_read_input_tokens\":2000,"
                + "\"cache_creation\":{\"ephemeral_5m_input_tokens\":40,\"ephemeral_1h_input_tokens\":60}}}"), model);

        assertThat(r.usage()).isEqualTo(new Usage(5, 7, 100, 2000, 40, 60));
    }

    @Test
    void anUnparseableBodyIsABadGateway() {
        assertThatThrownBy(() -> ResponseTranslator.translate(bytes("<html>oops"), model))
                .isInstanceOfSatisfying(UpstreamFailure.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.BAD_GATEWAY))
                .hasMessage("Failed to parse upstream response");
        assertThatThrownBy(() -> ResponseTranslator.translate(bytes("[]"), model)).isInstanceOf(UpstreamFailure.class);
    }
}
