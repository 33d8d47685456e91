package ccag.server.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ccag.server.simulator.BedrockErrorKind;
import ccag.server.simulator.BedrockSimulator;
import ccag.server.simulator.Behaviour;
import ccag.server.simulator.ReceivedRequest;
import ccag.server.simulator.SimulatorOptions;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.DefaultRetryStrategy;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;

/**
 * {@link BedrockUpstream#invoke} (a SigV4-signed InvokeModel on the SDK's Netty client, without the
 * SDK's request pipeline) against the simulator: the request Bedrock receives, the answer, and every
 * error classified exactly as the SDK's own client reports it.
 */
class BedrockUpstreamInvokeTest {
    static final String MODEL = BedrockUpstreamStreamTest.MODEL;
    static BedrockSimulator sim;
    static BedrockUpstream h2;
    static BedrockUpstream h1;
    static BedrockRuntimeAsyncClient sdk;

    @BeforeAll
    static void start() throws Exception {
        sim = BedrockSimulator.start(SimulatorOptions.defaults());
        h2 = upstream(sim, true, Duration.ofSeconds(30));
        h1 = upstream(sim, false, Duration.ofSeconds(30));
        sdk = BedrockRuntimeAsyncClient.builder()
                .region(Region.US_EAST_1)
                .endpointOverride(URI.create(sim.endpoint().toString()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "secret")))
                .overrideConfiguration(o -> o.retryStrategy(DefaultRetryStrategy.doNotRetry()))
                .build();
    }

    static BedrockUpstream upstream(BedrockSimulator at, boolean http2, Duration callTimeout) {
        String endpoint = at.endpoint().toString();
        return new BedrockUpstream(new BedrockUpstream.Settings("us-east-1", endpoint, endpoint, http2, 16,
                Duration.ofSeconds(5), Duration.ofSeconds(30), callTimeout, true));
    }

    @AfterAll
    static void stop() throws Exception {
        h2.close();
        h1.close();
        sdk.close();
        sim.close();
    }

    @BeforeEach
    void reset() {
        sim.clearScript();
        sim.clearReceived();
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void theAnswerComesBackWithBedrocksMeteringAndTheRequestArrivesSigned(boolean http2) throws Exception {
        byte[] body = BedrockUpstreamStreamTest.body("hello invoke");
        Upstream.Reply reply = (http2 ? h2 : h1).invoke(MODEL, body).get(20, TimeUnit.SECONDS);

        assertThat(new String(reply.body(), StandardCharsets.UTF_8)).contains("\"type\":\"message\"").contains("hello invoke");
        assertThat(reply.requestId()).isNotBlank();
        assertThat(reply.inputTokens()).isPositive();
        assertThat(reply.outputTokens()).isPositive();
        ReceivedRequest r = sim.received().get(0);
        assertThat(r.operation()).isEqualTo("invoke");
        assertThat(r.path()).isEqualTo("/model/us.anthropic.claude-sonnet-4-5-20250929-v1%3A0/invoke");
        assertThat(r.header("authorization").orElseThrow())
                .startsWith("AWS4-HMAC-SHA256 Credential=AKIDCCAGSIMULATOR/")
                .contains("/us-east-1/bedrock/aws4_request");
        assertThat(r.header("x-amz-content-sha256").orElseThrow())
                .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body)));
        assertThat(r.header("accept")).contains("application/json");
        assertThat(r.body()).isEqualTo(new String(body, StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @EnumSource(value = BedrockErrorKind.class, names = {"THROTTLING", "SERVICE_UNAVAILABLE", "INTERNAL", "MODEL_TIMEOUT",
            "VALIDATION", "MODEL_NOT_READY", "MODEL_ERROR", "ACCESS_DENIED", "NOT_FOUND", "SERVICE_QUOTA"})
    void anErrorKeepsTheCodeStatusAndMessageTheSdksOwnClientReports(BedrockErrorKind kind) {
        sim.enqueue(Behaviour.error(kind));
        AwsServiceException bySdk = sdkFailure();
        sim.enqueue(Behaviour.error(kind));
        UpstreamException ours = failure(h2);

        assertThat(ours.errorCode()).isEqualTo(bySdk.awsErrorDetails().errorCode()).isEqualTo(kind.code());
        assertThat(ours.status()).isEqualTo(bySdk.statusCode()).isEqualTo(kind.status());
        assertThat(ours.getMessage()).isEqualTo(bySdk.awsErrorDetails().errorMessage());
        assertThat(ours.transport()).isEqualTo(UpstreamException.Transport.NONE);
        assertThat(ours.midStream()).isFalse();
    }

    @Test
    void bedrocksOwnWordingPassesThrough() {
        sim.enqueue(Behaviour.error(BedrockErrorKind.VALIDATION, "prompt is too long: 250000 tokens > 200000 maximum"));
        assertThat(failure(h1).getMessage()).isEqualTo("prompt is too long: 250000 tokens > 200000 maximum");
    }

    @Test
    void anAnswerSlowerThanTheCallTimeoutIsATimeout() throws Exception {
        try (BedrockSimulator slow = BedrockSimulator.start(SimulatorOptions.defaults().withTtfb(Duration.ofSeconds(3)))) {
            BedrockUpstream up = upstream(slow, true, Duration.ofMillis(300));
            try {
                long t0 = System.nanoTime();
                UpstreamException e = failure(up);
                assertThat(e.transport()).isEqualTo(UpstreamException.Transport.TIMEOUT);
                assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isLessThan(2_500);
            } finally {
                up.close();
            }
        }
    }

    @Test
    void anUnreachableEndpointIsAConnectFailure() {
        BedrockUpstream nowhere = new BedrockUpstream(new BedrockUpstream.Settings("us-east-1", "http://127.0.0.1:1",
                "http://127.0.0.1:1", false, 4, Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(5), true));
        try {
            assertThat(failure(nowhere).transport()).isEqualTo(UpstreamException.Transport.CONNECT);
        } finally {
            nowhere.close();
        }
    }

    @Test
    void aCallPreparedForOneOperationCannotBeSentAsTheOther() {
        Upstream.Prepared streaming = h2.prepare(MODEL, BedrockUpstreamStreamTest.body("x"), true);
        assertThatThrownBy(() -> h2.invoke(streaming)).isInstanceOf(IllegalArgumentException.class);
        assertThat(sim.received()).isEmpty();
    }

    private static UpstreamException failure(BedrockUpstream up) {
        try {
            Upstream.Reply r = up.invoke(MODEL, BedrockUpstreamStreamTest.body("x")).get(20, TimeUnit.SECONDS);
            throw new AssertionError("the call succeeded: " + new String(r.body(), StandardCharsets.UTF_8));
        } catch (java.util.concurrent.ExecutionException e) {
            return (UpstreamException) e.getCause();
        } catch (InterruptedException | java.util.concurrent.TimeoutException e) {
            throw new AssertionError(e);
        }
    }

    private static AwsServiceException sdkFailure() {
        try {
            sdk.invokeModel(b -> b.modelId(MODEL).contentType("application/json").accept("application/json")
                    .body(SdkBytes.fromByteArray(BedrockUpstreamStreamTest.body("x")))).join();
            throw new AssertionError("the SDK's call succeeded");
        } catch (CompletionException e) {
            return (AwsServiceException) e.getCause();
        }
    }
}
