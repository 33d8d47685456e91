package ccag.server.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.bedrock.BedrockClient;
import software.amazon.awssdk.services.bedrock.model.InferenceProfileSummary;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.model.BedrockRuntimeException;
import software.amazon.awssdk.services.bedrockruntime.model.CountTokensInput;
import software.amazon.awssdk.services.bedrockruntime.model.CountTokensRequest;
import software.amazon.awssdk.services.bedrockruntime.model.InternalServerException;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelRequest;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelResponse;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelTokensRequest;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelWithResponseStreamRequest;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelWithResponseStreamResponse;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelWithResponseStreamResponseHandler;
import software.amazon.awssdk.services.bedrockruntime.model.ModelStreamErrorException;
import software.amazon.awssdk.services.bedrockruntime.model.ModelTimeoutException;
import software.amazon.awssdk.services.bedrockruntime.model.ServiceUnavailableException;
import software.amazon.awssdk.services.bedrockruntime.model.ThrottlingException;
import software.amazon.awssdk.services.bedrockruntime.model.ValidationException;

/** The real AWS SDK for Java v2 (async over HTTP/2 and HTTP/1.1, sync over url-connection) against the simulator. */
class BedrockSimulatorSdkTest {
    static final String MODEL = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";
    static final ObjectMapper JSON = new ObjectMapper();
    static BedrockSimulator sim;
    static BedrockRuntimeAsyncClient h2;
    static BedrockRuntimeAsyncClient h1;
    static BedrockRuntimeClient sync;

    @BeforeAll
    static void start() throws Exception {
        sim = BedrockSimulator.start(SimulatorOptions.defaults());
        h2 = SdkClients.asyncHttp2(sim.endpoint());
        h1 = SdkClients.asyncHttp1(sim.endpoint());
        sync = SdkClients.sync(sim.endpoint());
    }

    @AfterAll
    static void stop() throws Exception {
        h2.close();
        h1.close();
        sync.close();
        sim.close();
    }

    @BeforeEach
    void reset() {
        sim.clearScript();
        sim.clearReceived();
    }

    static String body(String userText) {
        return "{\"anthropic_version\":\"bedrock-2023-05-31\",\"max_tokens\":1024,\"messages\":[{\"role\":\"user\",\"content\":"
                + "[{\"type\":\"text\",\"text\":" + JSON.valueToTree(userText) + "}]}]}";
    }

    record Streamed(List<JsonNode> events, AtomicReference<InvokeModelWithResponseStreamResponse> initial, CompletableFuture<Void> done) {
        InvokeModelWithResponseStreamResponse response() {
            return initial.get();
        }

        List<String> types() {
            return events.stream().map(e -> e.path("type").asText()).toList();
        }

        String text(String deltaType, String field) {
            return events.stream().filter(e -> e.path("delta").path("type").asText().equals(deltaType))
                    .map(e -> e.path("delta").path(field).asText()).collect(Collectors.joining());
        }
    }

    static Streamed stream(BedrockRuntimeAsyncClient client, String modelId, String body) {
        List<JsonNode> events = new CopyOnWriteArrayList<>();
        AtomicReference<InvokeModelWithResponseStreamResponse> response = new AtomicReference<>();
        InvokeModelWithResponseStreamResponseHandler handler = InvokeModelWithResponseStreamResponseHandler.builder()
                .onResponse(response::set)
                .subscriber(InvokeModelWithResponseStreamResponseHandler.Visitor.builder().onChunk(p -> {
                    try {
                        events.add(JSON.readTree(p.bytes().asUtf8String()));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }).build())
                .build();
        CompletableFuture<Void> done = client.invokeModelWithResponseStream(InvokeModelWithResponseStreamRequest.builder()
                .modelId(modelId).contentType("application/json").body(SdkBytes.fromUtf8String(body)).build(), handler);
        return new Streamed(events, response, done);
    }

    static Streamed streamAndWait(BedrockRuntimeAsyncClient client, String modelId, String body) throws Exception {
        Streamed s = stream(client, modelId, body);
        s.done().get(30, TimeUnit.SECONDS);
        return s;
    }

    static InvokeModelResponse invoke(String modelId, String body) {
        return sync.invokeModel(InvokeModelRequest.builder().modelId(modelId).contentType("application/json")
                .accept("application/json").body(SdkBytes.fromUtf8String(body)).build());
    }

    @Test
    void streamedInvokeOverHttp2IsDecodedByTheSdkVisitor() throws Exception {
        Streamed s = streamAndWait(h2, MODEL, body("hello simulator, how are you"));
        assertThat(s.types().get(0)).isEqualTo("message_start");
        assertThat(s.types()).containsSubsequence("content_block_start", "content_block_delta", "content_block_stop",
                "message_delta", "message_stop");
        assertThat(s.types().get(s.types().size() - 1)).isEqualTo("message_stop");
        assertThat(s.text("text_delta", "text")).contains(MODEL).contains("hello simulator, how are you");
        JsonNode start = s.events().get(0).path("message");
        assertThat(start.path("id").asText()).startsWith("msg_bdrk_");
        assertThat(start.path("model").asText()).isEqualTo("claude-sonnet-4-5-20250929");
        assertThat(start.path("usage").path("input_tokens").asInt()).isPositive();
        assertThat(start.path("usage").has("cache_read_input_tokens")).isTrue();
        JsonNode metrics = s.events().get(s.events().size() - 1).path("amazon-bedrock-invocationMetrics");
        assertThat(metrics.path("inputTokenCount").asInt()).isEqualTo(start.path("usage").path("input_tokens").asInt());
        assertThat(metrics.path("outputTokenCount").asInt()).isPositive();
        assertThat(s.response().contentType()).isEqualTo("application/json");
        assertThat(s.response().responseMetadata().requestId()).isNotBlank();
    }

    @Test
    void streamedInvokeOverHttp1IsDecodedToo() throws Exception {
        Streamed s = streamAndWait(h1, MODEL, body("over http one"));
        assertThat(s.text("text_delta", "text")).contains("over http one");
        assertThat(s.types().get(s.types().size() - 1)).isEqualTo("message_stop");
    }

    @Test
    void invokeAnswersAMessageWithUsageAndBedrockHeaders() throws Exception {
        InvokeModelResponse r = invoke(MODEL, body("a plain invoke"));
        JsonNode message = JSON.readTree(r.body().asUtf8String());
        assertThat(message.path("type").asText()).isEqualTo("message");
        assertThat(message.path("content").path(0).path("text").asText()).contains("a plain invoke");
        assertThat(message.path("stop_reason").asText()).isEqualTo("end_turn");
        assertThat(message.path("usage").path("output_tokens").asInt()).isPositive();
        assertThat(r.contentType()).isEqualTo("application/json");
        assertThat(r.sdkHttpResponse().firstMatchingHeader("X-Amzn-Bedrock-Input-Token-Count"))
                .contains(message.path("usage").path("input_tokens").asText());
    }

    @Test
    void modelIdsArrivePercentEncodedAndAreDecoded() {
        invoke(MODEL, body("ids"));
        ReceivedRequest r = sim.received().get(0);
        assertThat(r.path()).isEqualTo("/model/us.anthropic.claude-sonnet-4-5-20250929-v1%3A0/invoke");
        assertThat(r.modelId()).isEqualTo(MODEL);
        assertThat(r.operation()).isEqualTo("invoke");
    }

    @Test
    void applicationInferenceProfileArnsAreAccepted() throws Exception {
        String arn = "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc123def456";
        JsonNode message = JSON.readTree(invoke(arn, body("via an arn")).body().asUtf8String());
        assertThat(message.path("content").path(0).path("text").asText()).contains("via an arn");
        assertThat(sim.received().get(0).modelId()).isEqualTo(arn);
    }

    @Test
    void receivedLogKeepsWhatTheSdkSent() {
        String b = body("record me");
        invoke(MODEL, b);
        ReceivedRequest r = sim.received().get(0);
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.body()).isEqualTo(b);
        assertThat(r.header("authorization")).hasValueSatisfying(v -> assertThat(v).startsWith("AWS4-HMAC-SHA256 Credential=AKIAFAKEFAKEFAKE/"));
        assertThat(r.header("x-amz-date")).isPresent();
        assertThat(r.header("content-type")).contains("application/json");
    }

    @Test
    void receivedLogIsBounded() throws Exception {
        try (BedrockSimulator small = BedrockSimulator.start(SimulatorOptions.defaults().withReceivedCapacity(2));
             BedrockRuntimeClient c = SdkClients.sync(small.endpoint())) {
            for (String word : List.of("one", "two", "three")) {
                c.invokeModel(InvokeModelRequest.builder().modelId(MODEL).body(SdkBytes.fromUtf8String(body(word))).build());
            }
            assertThat(small.received()).extracting(ReceivedRequest::body)
                    .containsExactly(body("two"), body("three"));
        }
    }

    @Test
    void countTokensAnswersForABaseModelId() {
        long tokens = sync.countTokens(CountTokensRequest.builder().modelId("anthropic.claude-sonnet-4-5-20250929-v1:0")
                .input(CountTokensInput.fromInvokeModel(InvokeModelTokensRequest.builder()
                        .body(SdkBytes.fromUtf8String(body("count these words please"))).build())).build()).inputTokens();
        assertThat(tokens).isPositive();
        assertThat(sim.received().get(0).invokeBody()).isEqualTo(body("count these words please"));
    }

    @Test
    void countTokensRefusesAnInferenceProfileId() {
        assertThatThrownBy(() -> sync.countTokens(CountTokensRequest.builder().modelId(MODEL)
                .input(CountTokensInput.fromInvokeModel(InvokeModelTokensRequest.builder()
                        .body(SdkBytes.fromUtf8String(body("x"))).build())).build()))
                .isInstanceOfSatisfying(ValidationException.class, e ->
                        assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("The provided model doesn't support counting tokens."));
    }

    @Test
    void throttlingSurfacesAsThrottlingException() {
        sim.enqueue(Behaviour.error(BedrockErrorKind.THROTTLING));
        assertThatThrownBy(() -> invoke(MODEL, body("x")))
                .isInstanceOfSatisfying(ThrottlingException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(429);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ThrottlingException");
                    assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Too many requests, please wait before trying again.");
                });
    }

    @Test
    void throttlingBeforeAStreamFailsTheAsyncCallWithThrottlingException() {
        sim.enqueue(Behaviour.error(BedrockErrorKind.THROTTLING));
        Streamed s = stream(h2, MODEL, body("x"));
        assertThatThrownBy(() -> s.done().join()).isInstanceOf(CompletionException.class).hasCauseInstanceOf(ThrottlingException.class);
        assertThat(s.events()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(value = BedrockErrorKind.class, names = {"SERVICE_UNAVAILABLE", "INTERNAL", "MODEL_TIMEOUT", "VALIDATION"})
    void eachErrorKindSurfacesAsItsModelledException(BedrockErrorKind kind) {
        Class<? extends BedrockRuntimeException> expected = switch (kind) {
            case SERVICE_UNAVAILABLE -> ServiceUnavailableException.class;
            case INTERNAL -> InternalServerException.class;
            case MODEL_TIMEOUT -> ModelTimeoutException.class;
            default -> ValidationException.class;
        };
        sim.enqueue(Behaviour.error(kind));
        assertThatThrownBy(() -> invoke(MODEL, body("x"))).isInstanceOfSatisfying(expected, e -> {
            assertThat(e.statusCode()).isEqualTo(kind.status());
            assertThat(e.awsErrorDetails().errorMessage()).isEqualTo(kind.defaultMessage());
        });
    }

    @Test
    void midStreamExceptionFrameSurfacesAsModelStreamErrorAfterTheEarlierChunks() {
        sim.enqueue(Behaviour.midstreamError(3));
        Streamed s = stream(h2, MODEL, body("x"));
        assertThatThrownBy(() -> s.done().join()).hasCauseInstanceOf(ModelStreamErrorException.class);
        assertThat(s.events()).hasSize(3);
    }

    @Test
    void midStreamThrottlingSurfacesAsThrottlingException() {
        sim.enqueue(Behaviour.midstreamError(2, BedrockErrorKind.THROTTLING));
        Streamed s = stream(h1, MODEL, body("x"));
        assertThatThrownBy(() -> s.done().join()).cause().isInstanceOfSatisfying(ThrottlingException.class,
                e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("throttlingException"));
        assertThat(s.events()).hasSize(2);
    }

    @Test
    void aCorruptedFrameFailsTheStreamWithAChecksumError() {
        sim.enqueue(Behaviour.corruptFrame(2));
        Streamed s = stream(h2, MODEL, body("x"));
        assertThatThrownBy(() -> s.done().join()).isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(SdkClientException.class).hasStackTraceContaining("checksum");
        assertThat(s.events()).hasSize(2);
    }

    @Test
    void aTruncatedStreamEndsWithoutMessageStop() throws Exception {
        sim.enqueue(Behaviour.truncate(4));
        Streamed s = streamAndWait(h2, MODEL, body("x"));
        assertThat(s.events()).hasSize(4);
        assertThat(s.types()).doesNotContain("message_stop");
    }

    @Test
    void toolUseStreamsItsInputAsJsonDeltas() throws Exception {
        Streamed s = streamAndWait(h2, MODEL, body("read it [[sim:tool_use name=Read input={\"file_path\":\"/tmp/x.txt\"}]]"));
        JsonNode start = s.events().stream().filter(e -> e.path("content_block").path("type").asText().equals("tool_use"))
                .findFirst().orElseThrow().path("content_block");
        assertThat(start.path("name").asText()).isEqualTo("Read");
        assertThat(start.path("id").asText()).startsWith("toolu_bdrk_");
        assertThat(JSON.readTree(s.text("input_json_delta", "partial_json")))
                .isEqualTo(JSON.readTree("{\"file_path\":\"/tmp/x.txt\"}"));
        assertThat(s.events().stream().filter(e -> e.path("type").asText().equals("message_delta")).findFirst().orElseThrow()
                .path("delta").path("stop_reason").asText()).isEqualTo("tool_use");
    }

    @Test
    void aToolResultComingBackIsAcknowledged() throws Exception {
        String history = """
                {"anthropic_version":"bedrock-2023-05-31","max_tokens":1024,"messages":[
                 {"role":"user","content":"read it"},
                 {"role":"assistant","content":[{"type":"tool_use","id":"toolu_bdrk_1","name":"Read","input":{"file_path":"x"}}]},
                 {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_bdrk_1","content":"file body"}]}]}""";
        JsonNode message = JSON.readTree(invoke(MODEL, history).body().asUtf8String());
        assertThat(message.path("content").path(0).path("text").asText()).contains("tool_result for toolu_bdrk_1 came back");
    }

    @Test
    void thinkingStreamsASignatureThatIsAcceptedBackUnchangedAndRefusedWhenAltered() throws Exception {
        Streamed s = streamAndWait(h2, MODEL, body("think first [[sim:thinking]]"));
        assertThat(s.events().get(1).path("content_block").path("type").asText()).isEqualTo("thinking");
        String thinking = s.text("thinking_delta", "thinking");
        String signature = s.text("signature_delta", "signature");
        assertThat(thinking).isNotBlank();
        assertThat(signature).isNotBlank();

        ObjectNode history = (ObjectNode) JSON.readTree(body("think first"));
        ObjectNode assistant = history.withArray("messages").addObject().put("role", "assistant");
        assistant.putArray("content").addObject().put("type", "thinking").put("thinking", thinking).put("signature", signature);
        assistant.withArray("content").addObject().put("type", "text").put("text", "ok");
        history.withArray("messages").addObject().put("role", "user").put("content", "and now?");
        assertThat(invoke(MODEL, history.toString()).body().asUtf8String()).contains("and now?");

        ((ObjectNode) assistant.withArray("content").get(0)).put("thinking", thinking + " (edited)");
        assertThatThrownBy(() -> invoke(MODEL, history.toString())).isInstanceOfSatisfying(ValidationException.class,
                e -> assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("messages.1.content.0: Invalid `signature` in `thinking` block"));
    }

    @Test
    void longAnswersHaveAboutTheAskedNumberOfTokens() throws Exception {
        Streamed s = streamAndWait(h2, MODEL, body("[[sim:long tokens=300]]"));
        JsonNode delta = s.events().stream().filter(e -> e.path("type").asText().equals("message_delta")).findFirst().orElseThrow();
        assertThat(delta.path("usage").path("output_tokens").asInt()).isEqualTo(300);
    }

    @Test
    void answersStopAtMaxTokens() throws Exception {
        String b = body("[[sim:long tokens=300]]").replace("\"max_tokens\":1024", "\"max_tokens\":20");
        JsonNode message = JSON.readTree(invoke(MODEL, b).body().asUtf8String());
        assertThat(message.path("stop_reason").asText()).isEqualTo("max_tokens");
        assertThat(message.path("usage").path("output_tokens").asInt()).isEqualTo(20);
    }

    @Test
    void directiveErrorsTriggerTheErrorThroughTheSdk() {
        assertThatThrownBy(() -> invoke(MODEL, body("[[sim:error throttling]]"))).isInstanceOf(ThrottlingException.class);
    }

    @Test
    void timeToFirstByteIsReportedInTheInvocationMetrics() throws Exception {
        Streamed s = streamAndWait(h2, MODEL, body("[[sim:ttfb ms=150]]"));
        JsonNode metrics = s.events().get(s.events().size() - 1).path("amazon-bedrock-invocationMetrics");
        assertThat(metrics.path("firstByteLatency").asLong()).isGreaterThanOrEqualTo(150);
    }

    @Test
    void promptCachingWritesThenReadsTheCachedPrefix() throws Exception {
        String b = """
                {"anthropic_version":"bedrock-2023-05-31","max_tokens":64,
                 "system":[{"type":"text","text":"%s","cache_control":{"type":"ephemeral"}}],
                 "messages":[{"role":"user","content":"cache me"}]}""".formatted("You are a careful assistant. ".repeat(200));
        JsonNode first = JSON.readTree(invoke(MODEL, b).body().asUtf8String()).path("usage");
        JsonNode second = JSON.readTree(invoke(MODEL, b).body().asUtf8String()).path("usage");
        assertThat(first.path("cache_creation_input_tokens").asInt()).isGreaterThan(1000);
        assertThat(first.path("cache_read_input_tokens").asInt()).isZero();
        assertThat(second.path("cache_read_input_tokens").asInt()).isEqualTo(first.path("cache_creation_input_tokens").asInt());
        assertThat(second.path("cache_creation_input_tokens").asInt()).isZero();
    }

    @Test
    void listInferenceProfilesPagesThroughTheCatalogue() {
        try (BedrockClient control = SdkClients.control(sim.endpoint())) {
            List<InferenceProfileSummary> all = control.listInferenceProfilesPaginator(r -> r.maxResults(10))
                    .inferenceProfileSummaries().stream().toList();
            assertThat(all).extracting(InferenceProfileSummary::inferenceProfileId)
                    .contains(MODEL, "global.anthropic.claude-opus-4-6-v1", "us.anthropic.claude-haiku-4-5-20251001-v1:0",
                            "eu.anthropic.claude-sonnet-5-5")
                    .doesNotHaveDuplicates();
            InferenceProfileSummary one = all.stream().filter(p -> p.inferenceProfileId().equals(MODEL)).findFirst().orElseThrow();
            assertThat(one.statusAsString()).isEqualTo("ACTIVE");
            assertThat(one.typeAsString()).isEqualTo("SYSTEM_DEFINED");
            assertThat(one.models().get(0).modelArn()).endsWith("foundation-model/anthropic.claude-sonnet-4-5-20250929-v1:0");
            assertThat(one.createdAt()).isNotNull();
            assertThat(sim.received()).extracting(ReceivedRequest::operation).containsOnly("list-inference-profiles").hasSizeGreaterThan(1);
        }
    }

    @Test
    void listFoundationModelsNamesEachModel() {
        try (BedrockClient control = SdkClients.control(sim.endpoint())) {
            assertThat(control.listFoundationModels(r -> { }).modelSummaries())
                    .anySatisfy(m -> assertThat(m.modelId()).isEqualTo("anthropic.claude-sonnet-4-5-20250929-v1:0"));
        }
    }

    @Test
    void requestsWithoutAuthorizationGetMissingAuthenticationToken() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(sim.endpoint() + "/model/" + URLEncoder.encode(MODEL, StandardCharsets.UTF_8) + "/invoke"))
                .POST(HttpRequest.BodyPublishers.ofString(body("x"))).header("content-type", "application/json").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.headers().firstValue("x-amzn-ErrorType")).contains("MissingAuthenticationTokenException");
        assertThat(JSON.readTree(r.body())).isEqualTo(JSON.readTree("{\"message\":\"Missing Authentication Token\"}"));
        assertThat(r.headers().firstValue("x-amzn-RequestId")).isPresent();
    }

    @Test
    void unknownOperationsAreRefused() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(sim.endpoint() + "/nowhere"))
                .header("Authorization", "AWS4-HMAC-SHA256 Credential=a/b, SignedHeaders=host, Signature=00")
                .header("X-Amz-Date", "20261124T004318Z").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.headers().firstValue("x-amzn-ErrorType")).hasValueSatisfying(v -> assertThat(v).startsWith("UnknownOperationException"));
    }

    @Test
    void queuedBehavioursAreUsedInOrderThenTheDefaultReturns() throws Exception {
        sim.enqueue(2, Behaviour.text("scripted"));
        assertThat(invoke(MODEL, body("a")).body().asUtf8String()).contains("scripted");
        assertThat(invoke(MODEL, body("b")).body().asUtf8String()).contains("scripted");
        assertThat(invoke(MODEL, body("c")).body().asUtf8String()).doesNotContain("scripted").contains("\\\"c\\\"");
    }

    @Test
    void aSlowStreamStillDeliversEveryToken() throws Exception {
        Streamed s = streamAndWait(h2, MODEL, body("[[sim:long tokens=20]] [[sim:token_delay ms=5]]"));
        assertThat(s.types().stream().filter(t -> t.equals("content_block_delta")).count()).isEqualTo(20);
        assertThat(Duration.ofMillis(s.events().get(s.events().size() - 1).path("amazon-bedrock-invocationMetrics")
                .path("invocationLatency").asLong())).isGreaterThanOrEqualTo(Duration.ofMillis(100));
    }
}
