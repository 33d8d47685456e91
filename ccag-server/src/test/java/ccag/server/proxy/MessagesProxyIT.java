package ccag.server.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ccag.server.CcagApplication;
import ccag.server.config.CcagConfiguration;
import ccag.server.persistence.LedgerRow;
import ccag.server.simulator.BedrockErrorKind;
import ccag.server.simulator.BedrockSimulator;
import ccag.server.simulator.Behaviour;
import ccag.server.simulator.ReceivedRequest;
import ccag.server.testing.Api;
import ccag.server.testing.CcagTestApp;
import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.ContentBlockParam;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCountTokensParams;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.ToolResultBlockParam;
import com.anthropic.models.messages.ToolUseBlock;
import com.anthropic.models.models.ModelInfo;
import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The /v1 surface through the official Anthropic Java SDK and raw HTTP, against the simulator. */
@ExtendWith(DropwizardExtensionsSupport.class)
class MessagesProxyIT {
    static final DropwizardAppExtension<CcagConfiguration> APP = CcagTestApp.create();
    static Api api;
    static String key;
    static AnthropicClient client;

    @BeforeAll
    static void createKey() {
        api = new Api(APP.getLocalPort());
        String admin = api.adminToken();
        Api.Reply created = api.post("/admin/keys", admin, Map.of("name", "proxy-it"));
        assertThat(created.status()).isEqualTo(201);
        key = created.json().path("key").asText();
        client = AnthropicOkHttpClient.builder()
                .baseUrl(api.base())
                .apiKey(key)
                .maxRetries(0)
                .build();
    }

    @BeforeEach
    void reset() {
        simulator().clearScript();
        simulator().clearReceived();
    }

    static BedrockSimulator simulator() {
        return ((CcagApplication) APP.getApplication()).simulator().orElseThrow();
    }

    static LedgerRow ledgerRow(String requestId) {
        return await().atMost(Duration.ofSeconds(5)).until(
                () -> ((CcagApplication) APP.getApplication()).proxyWiring().ledger().find(requestId)
                        .filter(r -> !r.status().equals("open")).orElse(null),
                r -> r != null);
    }

    private static MessageCreateParams.Builder params(String text) {
        return MessageCreateParams.builder().model("claude-sonnet-4-5").maxTokens(512).addUserMessage(text);
    }

    @Test
    void nonStreamingAnswerComesBackThroughTheSdkAndIsMetered() {
        var raw = client.messages().withRawResponse().create(params("Tell me about gateways").build());
        Message m = raw.parse();
        assertThat(m.model().asString()).isEqualTo("claude-sonnet-4-5");
        assertThat(m.content()).isNotEmpty();
        assertThat(m.content().get(0).text().orElseThrow().text()).contains("Tell me about gateways");
        assertThat(m.usage().inputTokens()).isPositive();
        String requestId = raw.headers().values("request-id").get(0);
        assertThat(raw.headers().values("x-ccag-upstream")).containsExactly("simulator");

        LedgerRow row = ledgerRow(requestId);
        assertThat(row.status()).isEqualTo("ok");
        assertThat(row.modelRequested()).isEqualTo("claude-sonnet-4-5");
        assertThat(row.bedrockModelId()).isEqualTo("us.anthropic.claude-sonnet-4-5-20250929-v1:0");
        assertThat(row.inputTokens()).isEqualTo(m.usage().inputTokens());
        assertThat(row.outputTokens()).isEqualTo(m.usage().outputTokens());
        assertThat(row.costMicroUsd()).isPositive();
        assertThat(row.keyId()).isNotNull();
        assertThat(row.streaming()).isFalse();
    }

    @Test
    void streamedAnswerArrivesEventByEventAndIsMetered() {
        MessageAccumulator acc = MessageAccumulator.create();
        List<String> types = new ArrayList<>();
        try (StreamResponse<RawMessageStreamEvent> stream = client.messages().createStreaming(params("Stream me a poem").build())) {
            stream.stream().forEach(e -> {
                acc.accumulate(e);
                types.add(e.isMessageStart() ? "message_start" : e.isMessageStop() ? "message_stop"
                        : e.isContentBlockDelta() ? "delta" : "other");
            });
        }
        Message m = acc.message();
        assertThat(types.get(0)).isEqualTo("message_start");
        assertThat(types.get(types.size() - 1)).isEqualTo("message_stop");
        assertThat(types).contains("delta");
        assertThat(m.model().asString()).isEqualTo("claude-sonnet-4-5");
        assertThat(m.content().get(0).text().orElseThrow().text()).contains("Stream me a poem");

        LedgerRow row = ((CcagApplication) APP.getApplication()).proxyWiring().ledger().latest(1).get(0);
        LedgerRow settled = ledgerRow(row.requestId());
        assertThat(settled.streaming()).isTrue();
        assertThat(settled.status()).isEqualTo("ok");
        assertThat(settled.outputTokens()).isEqualTo(m.usage().outputTokens());
        assertThat(settled.ttfbMs()).isNotNull();
    }

    @Test
    void toolUseRoundTripReachesBedrockAndBack() {
        simulator().enqueue(Behaviour.toolUse("Read", "{\"file_path\":\"/tmp/probe.txt\"}"));
        Message first = client.messages().create(params("What does probe.txt say?").build());
        assertThat(first.stopReason().orElseThrow().asString()).isEqualTo("tool_use");
        ToolUseBlock use = first.content().stream().filter(ContentBlock::isToolUse).findFirst().orElseThrow().asToolUse();
        assertThat(use.name()).isEqualTo("Read");

        Message second = client.messages().create(params("What does probe.txt say?")
                .addMessage(first)
                .addUserMessageOfContentBlockParams(List.of(ContentBlockParam.ofToolResult(ToolResultBlockParam.builder()
                        .toolUseId(use.id()).content("probe content: MANGO-7").build())))
                .build());
        assertThat(second.content().get(0).text().orElseThrow().text()).containsIgnoringCase("tool_result");
    }

    @Test
    void thinkingBlocksKeepTheirSignatureWhenStreamed() {
        simulator().enqueue(Behaviour.thinking());
        MessageAccumulator acc = MessageAccumulator.create();
        try (StreamResponse<RawMessageStreamEvent> stream = client.messages().createStreaming(params("Think first").build())) {
            stream.stream().forEach(acc::accumulate);
        }
        ContentBlock thinking = acc.message().content().stream().filter(ContentBlock::isThinking).findFirst().orElseThrow();
        assertThat(thinking.asThinking().signature()).isNotBlank();
        assertThat(thinking.asThinking().thinking()).isNotBlank();
    }

    @Test
    void countTokensAnswersFromBedrockAndLeavesAFreeLedgerRow() {
        var raw = client.messages().withRawResponse().countTokens(MessageCountTokensParams.builder()
                .model("claude-sonnet-4-5").addUserMessage("How many tokens is this?").build());
        assertThat(raw.parse().inputTokens()).isPositive();

        LedgerRow row = ledgerRow(raw.headers().values("request-id").get(0));
        assertThat(row.operation()).isEqualTo("count_tokens");
        assertThat(row.status()).isEqualTo("ok");
        assertThat(row.bedrockModelId()).isEqualTo("anthropic.claude-sonnet-4-5-20250929-v1:0");
        assertThat(row.inputTokens()).isZero();
        assertThat(row.costMicroUsd()).isZero();
    }

    @Test
    void modelsListOffersClaudeCodesDefaults() {
        List<String> ids = new ArrayList<>();
        for (ModelInfo m : client.models().list().autoPager()) {
            ids.add(m.id());
        }
        assertThat(ids).contains("claude-opus-5-5", "claude-sonnet-5-5", "claude-haiku-5-5", "claude-sonnet-4-5");
    }

    @Test
    void claudeCodeFirstTurnReachesBedrockCleaned() throws Exception {
        JsonNode capture = Api.JSON.readTree(MessagesProxyIT.class.getResourceAsStream("/claude-code/first-turn.json"));
        JsonNode body = capture.has("body") ? capture.get("body") : capture;
        String betas = capture.path("headers").path("anthropic-beta").asText(
                "claude-code-20250219,interleaved-thinking-2025-05-14,context-management-2025-06-27");
        Api.Reply r = api.call("POST", "/v1/messages?beta=true", null, Api.JSON.writeValueAsString(body),
                "x-api-key", key, "anthropic-beta", betas, "anthropic-version", "2023-06-01");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.header("content-type")).startsWith("text/event-stream");
        assertThat(r.raw().body()).contains("event: message_start").contains("event: message_stop")
                .doesNotContain("amazon-bedrock-invocationMetrics");

        ReceivedRequest received = simulator().received().get(simulator().received().size() - 1);
        assertThat(received.headers().toString()).doesNotContain(key);
        JsonNode sent = Api.JSON.readTree(received.body());
        assertThat(sent.path("anthropic_version").asText()).isEqualTo("bedrock-2023-05-31");
        assertThat(sent.has("model")).isFalse();
        assertThat(sent.has("stream")).isFalse();
        for (JsonNode msg : sent.path("messages")) {
            assertThat(msg.path("role").asText()).isIn("user", "assistant");
        }
    }

    @Test
    void bedrockThrottlingIsA429WithRetryAfter() {
        simulator().enqueue(3, Behaviour.error(BedrockErrorKind.THROTTLING));
        Api.Reply r = api.call("POST", "/v1/messages", null,
                "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                "x-api-key", key);
        assertThat(r.status()).isEqualTo(429);
        assertThat(r.errorType()).isEqualTo("rate_limit_error");
        assertThat(r.header("retry-after")).isNotNull();
        assertThat(r.json().path("request_id").asText()).isEqualTo(r.header("request-id"));
    }

    @Test
    void oneThrottleIsRetriedBeforeAnythingReachesTheClient() {
        simulator().enqueue(Behaviour.error(BedrockErrorKind.THROTTLING));
        Message m = client.messages().create(params("retry me").build());
        assertThat(m.content()).isNotEmpty();
    }

    @Test
    void midStreamFailureBecomesAnSseErrorEvent() {
        simulator().enqueue(Behaviour.midstreamError(3));
        Api.Reply r = api.call("POST", "/v1/messages", null,
                "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":100,\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                "x-api-key", key);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.raw().body()).contains("event: message_start").contains("event: error").doesNotContain("event: message_stop");
    }

    @Test
    void malformedJsonIsAnInvalidRequest() {
        Api.Reply r = api.call("POST", "/v1/messages", null, "{\"model\": ", "x-api-key", key);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.errorType()).isEqualTo("invalid_request_error");
    }

    @Test
    void missingMessagesIsNamed() {
        Api.Reply r = api.call("POST", "/v1/messages", null, "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":10}", "x-api-key", key);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().path("error").path("message").asText()).contains("messages");
    }

    @Test
    void unknownModelIsNotFound() {
        Api.Reply r = api.call("POST", "/v1/messages", null,
                "{\"model\":\"claude-imaginary-9\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                "x-api-key", key);
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.errorType()).isEqualTo("not_found_error");
        assertThat(r.json().path("error").path("message").asText()).contains("claude-imaginary-9");
    }

    @Test
    void wrongContentTypeIsRefused() {
        Api.Reply r = api.call("POST", "/v1/messages", null, null, "x-api-key", key, "content-type", "text/plain");
        assertThat(r.status()).isEqualTo(415);
        assertThat(r.errorType()).isEqualTo("invalid_request_error");
    }

    @Test
    void bodyOverTheLimitIsRefusedWithoutCallingBedrock() {
        String big = "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\""
                + "x".repeat(25 * 1024 * 1024) + "\"}]}";
        Api.Reply r = api.call("POST", "/v1/messages", null, big, "x-api-key", key);
        assertThat(r.status()).isEqualTo(413);
        assertThat(r.errorType()).isEqualTo("request_too_large");
        assertThat(simulator().received()).isEmpty();
    }

    @Test
    void requestWithoutCredentialsIsRefused() {
        Api.Reply r = api.call("POST", "/v1/messages", null,
                "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.errorType()).isEqualTo("authentication_error");
        assertThat(simulator().received()).isEmpty();
    }

    @Test
    void connectivityProbeAnswersWithoutCredentials() {
        assertThat(api.call("HEAD", "/api/hello", null, null).status()).isEqualTo(200);
        assertThat(api.get("/", null).status()).isEqualTo(200);
    }

    /** Sends a streamed request over a raw socket and reads until the first text delta; returns what was read. */
    private static String startStreamAndReadUntilFirstDelta(Socket s, String body) throws java.io.IOException {
        String req = "POST /v1/messages HTTP/1.1\r\nHost: 127.0.0.1\r\ncontent-type: application/json\r\nx-api-key: " + key
                + "\r\ncontent-length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
        s.getOutputStream().write(req.getBytes(StandardCharsets.UTF_8));
        s.getOutputStream().flush();
        InputStream in = s.getInputStream();
        byte[] buf = new byte[8192];
        StringBuilder seen = new StringBuilder();
        while (!seen.toString().contains("content_block_delta")) {
            int n = in.read(buf);
            assertThat(n).isPositive();
            seen.append(new String(buf, 0, n, StandardCharsets.UTF_8));
        }
        return seen.toString();
    }

    @Test
    void clientThatHangsUpCancelsTheUpstreamStream() throws Exception {
        simulator().enqueue(Behaviour.longAnswer(5000).withTokenDelay(Duration.ofMillis(20)));
        String body = "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":8000,\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"long\"}]}";
        String requestId;
        try (Socket s = new Socket("127.0.0.1", APP.getLocalPort())) {
            String seen = startStreamAndReadUntilFirstDelta(s, body);
            requestId = seen.lines().filter(l -> l.toLowerCase().startsWith("request-id:"))
                    .findFirst().orElseThrow().substring("request-id:".length()).trim();
        }
        LedgerRow row = await().atMost(Duration.ofSeconds(3)).until(
                () -> ((CcagApplication) APP.getApplication()).proxyWiring().ledger().find(requestId)
                        .filter(r -> !r.status().equals("open")).orElse(null), r -> r != null);
        assertThat(row.status()).isEqualTo("cancelled");
        assertThat(row.outputTokens()).isLessThan(5000);
    }

    @Test
    void abandonedStreamsLeaveNoBedrockStreamOpen() throws Exception {
        int clients = 3;
        simulator().enqueue(clients, Behaviour.longAnswer(5000).withTokenDelay(Duration.ofMillis(20)));
        String body = "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":8000,\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"long\"}]}";
        List<Socket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < clients; i++) {
                Socket s = new Socket("127.0.0.1", APP.getLocalPort());
                sockets.add(s);
                startStreamAndReadUntilFirstDelta(s, body);
            }
            assertThat(simulator().openStreams()).isEqualTo(clients);
        } finally {
            for (Socket s : sockets) {
                s.close();
            }
        }
        await().atMost(Duration.ofSeconds(3)).until(() -> simulator().openStreams() == 0);
    }
}
