package ccag.server.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ccag.server.simulator.BedrockErrorKind;
import ccag.server.simulator.BedrockSimulator;
import ccag.server.simulator.Behaviour;
import ccag.server.simulator.ReceivedRequest;
import ccag.server.simulator.SimulatorOptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** {@link BedrockUpstream#invokeStream} over HTTP/2 and HTTP/1.1 against the simulator. */
class BedrockUpstreamStreamTest {
    static final String MODEL = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";
    static BedrockSimulator sim;
    static BedrockUpstream h2;
    static BedrockUpstream h1;

    @BeforeAll
    static void start() throws Exception {
        sim = BedrockSimulator.start(SimulatorOptions.defaults());
        h2 = upstream(true);
        h1 = upstream(false);
    }

    static BedrockUpstream upstream(boolean http2) {
        String endpoint = sim.endpoint().toString();
        return new BedrockUpstream(new BedrockUpstream.Settings("us-east-1", endpoint, endpoint, http2, 16,
                Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofSeconds(30), true));
    }

    @AfterAll
    static void stop() throws Exception {
        h2.close();
        h1.close();
        sim.close();
    }

    @BeforeEach
    void reset() {
        sim.clearScript();
        sim.clearReceived();
    }

    static byte[] body(String text) {
        return ("{\"anthropic_version\":\"bedrock-2023-05-31\",\"max_tokens\":1024,\"messages\":[{\"role\":\"user\",\"content\":\""
                + text + "\"}]}").getBytes(StandardCharsets.UTF_8);
    }

    /** Collects a stream, asking for each next chunk as soon as one arrives. */
    static final class Collector implements Upstream.StreamListener {
        final List<String> chunks = new CopyOnWriteArrayList<>();
        final CompletableFuture<Void> done = new CompletableFuture<>();
        volatile String requestId;
        volatile Upstream.StreamHandle handle;
        final boolean autoRequest;

        Collector(boolean autoRequest) {
            this.autoRequest = autoRequest;
        }

        @Override
        public void onOpen(String id) {
            requestId = id;
        }

        @Override
        public void onChunk(byte[] eventJson) {
            chunks.add(new String(eventJson, StandardCharsets.UTF_8));
            if (autoRequest) {
                await().until(() -> handle != null);
                handle.request();
            }
        }

        @Override
        public void onComplete() {
            done.complete(null);
        }

        @Override
        public void onError(UpstreamException error) {
            done.completeExceptionally(error);
        }

        List<String> types() {
            return chunks.stream().map(c -> c.replaceAll("^\\{\"type\":\"([a-z_]+)\".*$", "$1")).toList();
        }
    }

    static Collector run(BedrockUpstream up, String text) {
        Collector c = new Collector(true);
        c.handle = up.invokeStream(MODEL, body(text), c);
        return c;
    }

    static UpstreamException failure(Collector c) {
        try {
            c.done.get(20, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            return (UpstreamException) e.getCause();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("the stream completed normally: " + c.chunks);
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void wholeStreamArrivesInOrderAndSigned(boolean http2) throws Exception {
        Collector c = run(http2 ? h2 : h1, "hello stream");
        c.done.get(20, TimeUnit.SECONDS);
        assertThat(c.types().get(0)).isEqualTo("message_start");
        assertThat(c.types().get(c.types().size() - 1)).isEqualTo("message_stop");
        assertThat(c.types()).contains("content_block_delta");
        assertThat(String.join("", c.chunks)).contains("received:").contains("amazon-bedrock-invocationMetrics");
        assertThat(c.requestId).isNotBlank();
        ReceivedRequest r = sim.received().get(0);
        assertThat(r.operation()).isEqualTo("invoke-with-response-stream");
        assertThat(r.path()).isEqualTo("/model/us.anthropic.claude-sonnet-4-5-20250929-v1%3A0/invoke-with-response-stream");
        assertThat(r.header("authorization").orElseThrow())
                .startsWith("AWS4-HMAC-SHA256 Credential=AKIDCCAGSIMULATOR/")
                .contains("/us-east-1/bedrock/aws4_request")
                .contains("x-amz-content-sha256");
        assertThat(r.header("x-amz-content-sha256").orElseThrow())
                .isEqualTo(java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(body("hello stream"))));
        assertThat(r.header("content-type")).contains("application/json");
        assertThat(r.body()).isEqualTo(new String(body("hello stream"), StandardCharsets.UTF_8));
    }

    @Test
    void nextChunkWaitsForRequest() throws Exception {
        Collector c = new Collector(false);
        c.handle = h2.invokeStream(MODEL, body("back pressure"), c);
        await().atMost(Duration.ofSeconds(10)).until(() -> c.chunks.size() == 1);
        Thread.sleep(300);
        assertThat(c.chunks).hasSize(1);
        c.handle.request();
        await().atMost(Duration.ofSeconds(10)).until(() -> c.chunks.size() == 2);
        Thread.sleep(300);
        assertThat(c.chunks).hasSize(2);
        c.handle.cancel();
    }

    @ParameterizedTest
    @ValueSource(strings = {"THROTTLING", "SERVICE_UNAVAILABLE", "INTERNAL", "MODEL_TIMEOUT", "VALIDATION", "MODEL_STREAM_ERROR"})
    void exceptionFrameAfterChunksIsAMidStreamFailure(String kindName) {
        BedrockErrorKind kind = BedrockErrorKind.valueOf(kindName);
        sim.enqueue(Behaviour.midstreamError(3, kind));
        Collector c = run(h2, "mid");
        UpstreamException e = failure(c);
        assertThat(c.chunks).hasSize(3);
        assertThat(e.midStream()).isTrue();
        assertThat(e.errorCode()).isEqualTo(kind.streamMember().orElseThrow());
        assertThat(e.status()).isEqualTo(kind.status());
        assertThat(e.getMessage()).isEqualTo(kind.defaultMessage());
        assertThat(e.transport()).isEqualTo(UpstreamException.Transport.NONE);
    }

    @Test
    void errorFrameAfterChunksIsAMidStreamFailure() {
        sim.enqueue(Behaviour.midstreamError(2, BedrockErrorKind.MODEL_ERROR));
        Collector c = run(h2, "mid");
        UpstreamException e = failure(c);
        assertThat(c.chunks).hasSize(2);
        assertThat(e.midStream()).isTrue();
        assertThat(e.errorCode()).isEqualTo("ModelErrorException");
        assertThat(e.status()).isEqualTo(500);
        assertThat(e.getMessage()).isEqualTo(BedrockErrorKind.MODEL_ERROR.defaultMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"THROTTLING", "VALIDATION", "ACCESS_DENIED", "NOT_FOUND", "SERVICE_UNAVAILABLE"})
    void httpErrorBeforeTheStreamKeepsBedrocksCodeStatusAndMessage(String kindName) {
        BedrockErrorKind kind = BedrockErrorKind.valueOf(kindName);
        sim.enqueue(Behaviour.error(kind, "custom words for " + kind));
        Collector c = run(h1, "err");
        UpstreamException e = failure(c);
        assertThat(e.errorCode()).isEqualTo(kind.code());
        assertThat(e.status()).isEqualTo(kind.status());
        assertThat(e.getMessage()).isEqualTo("custom words for " + kind);
        assertThat(e.midStream()).isFalse();
        assertThat(c.chunks).isEmpty();
    }

    @Test
    void corruptFrameIsAFailure() {
        sim.enqueue(Behaviour.corruptFrame(2));
        Collector c = run(h2, "corrupt");
        UpstreamException e = failure(c);
        assertThat(c.chunks).hasSize(2);
        assertThat(e.transport()).isEqualTo(UpstreamException.Transport.OTHER);
        assertThat(e.getMessage()).contains("Message checksum failure");
        assertThat(e.midStream()).isTrue();
    }

    @Test
    void unreachableEndpointIsAConnectFailure() {
        BedrockUpstream nowhere = new BedrockUpstream(new BedrockUpstream.Settings("us-east-1", "http://127.0.0.1:1", "http://127.0.0.1:1",
                true, 4, Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(5), true));
        try {
            Collector c = new Collector(true);
            c.handle = nowhere.invokeStream(MODEL, body("x"), c);
            UpstreamException e = failure(c);
            assertThat(e.transport()).isEqualTo(UpstreamException.Transport.CONNECT);
        } finally {
            nowhere.close();
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void cancelEndsTheBedrockStream(boolean http2) {
        sim.enqueue(Behaviour.longAnswer(5000).withTokenDelay(Duration.ofMillis(10)));
        Collector c = new Collector(false);
        c.handle = (http2 ? h2 : h1).invokeStream(MODEL, body("cancel me"), c);
        await().atMost(Duration.ofSeconds(10)).until(() -> c.chunks.size() == 1);
        await().atMost(Duration.ofSeconds(5)).until(() -> sim.openStreams() == 1);
        c.handle.cancel();
        UpstreamException e = failure(c);
        assertThat(e.transport()).isEqualTo(UpstreamException.Transport.CANCELLED);
        await().atMost(Duration.ofSeconds(3)).until(() -> sim.openStreams() == 0);
    }
}
