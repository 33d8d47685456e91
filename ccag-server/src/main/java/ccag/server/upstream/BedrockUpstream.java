package ccag.server.upstream;

import java.net.ConnectException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.Protocol;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.async.AsyncExecuteRequest;
import software.amazon.awssdk.http.async.SdkHttpContentPublisher;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.utils.http.SdkHttpUtils;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.DefaultRetryStrategy;
import software.amazon.awssdk.services.bedrock.BedrockAsyncClient;
import software.amazon.awssdk.services.bedrock.model.InferenceProfileSummary;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;

/**
 * {@link Upstream} on the AWS SDK for Java v2: the async Bedrock Runtime client on Netty (HTTP/2
 * or HTTP/1.1), with the SDK's own retries off — the proxy retries only before the first byte
 * reaches the client, since a retried stream would repeat events.
 */
public final class BedrockUpstream implements Upstream {

    /** Connection settings; {@code endpoint}/{@code controlEndpoint} empty for AWS's own endpoints. */
    public record Settings(String region, String endpoint, String controlEndpoint, boolean http2, int maxConnections,
                           Duration connectTimeout, Duration readTimeout, Duration callTimeout, boolean simulatorCredentials) {
    }

    private final BedrockRuntimeAsyncClient runtime;
    private final BedrockAsyncClient control;
    private final SdkAsyncHttpClient http;
    private final Settings settings;
    private final AwsCredentialsProvider credentials;
    private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();
    /** Scheme, host and port of Bedrock Runtime (the override or AWS's regional endpoint). */
    private final URI runtimeEndpoint;
    /** The override's own path prefix, if any, without a trailing slash. */
    private final String runtimeBasePath;

    public BedrockUpstream(Settings s) {
        this.settings = s;
        this.http = NettyNioAsyncHttpClient.builder()
                .protocol(s.http2() ? Protocol.HTTP2 : Protocol.HTTP1_1)
                .maxConcurrency(s.maxConnections())
                // Streams may stay silent for minutes while the model thinks; the idle read limit must exceed that.
                .readTimeout(s.readTimeout())
                .writeTimeout(Duration.ofSeconds(60))
                .connectionTimeout(s.connectTimeout())
                .connectionAcquisitionTimeout(Duration.ofSeconds(30))
                .build();
        this.credentials = s.simulatorCredentials()
                // The simulator checks that requests are SigV4-signed, not who signed them.
                ? StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDCCAGSIMULATOR", "ccag-simulator-secret"))
                : DefaultCredentialsProvider.builder().build();
        var runtimeBuilder = BedrockRuntimeAsyncClient.builder()
                .region(Region.of(s.region()))
                .credentialsProvider(credentials)
                .httpClient(http)
                .overrideConfiguration(o -> o.retryStrategy(DefaultRetryStrategy.doNotRetry()));
        if (!s.endpoint().isEmpty()) {
            runtimeBuilder.endpointOverride(URI.create(s.endpoint()));
        }
        this.runtime = runtimeBuilder.build();
        var controlBuilder = BedrockAsyncClient.builder()
                .region(Region.of(s.region()))
                .credentialsProvider(credentials)
                .httpClient(http)
                .overrideConfiguration(o -> o.retryStrategy(DefaultRetryStrategy.standardStrategyBuilder().maxAttempts(3).build()));
        if (!s.controlEndpoint().isEmpty()) {
            controlBuilder.endpointOverride(URI.create(s.controlEndpoint()));
        }
        this.control = controlBuilder.build();
        URI endpoint = URI.create(s.endpoint().isEmpty() ? "https://bedrock-runtime." + s.region() + ".amazonaws.com" : s.endpoint());
        this.runtimeEndpoint = URI.create(endpoint.getScheme() + "://" + endpoint.getRawAuthority());
        String base = endpoint.getRawPath() == null ? "" : endpoint.getRawPath();
        this.runtimeBasePath = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    /** A signed request and its body, or why it could not be signed. */
    private record Signed(software.amazon.awssdk.http.SdkHttpRequest request, byte[] body, boolean stream, Throwable failure) implements Prepared {
    }

    /**
     * Builds and SigV4-signs the call (same credentials as the SDK client, service name
     * {@code bedrock}, payload hash signed). Both operations are sent without the SDK's request
     * pipeline: the streaming one because the SDK's event-stream decoder holds a 2 MiB buffer per open
     * stream, InvokeModel because the pipeline (interceptors, metrics, a copy of the body, a hand-off to
     * its completion executor) cost ~0.2 ms of CPU per call and could not be split from the sending,
     * whereas this preparation runs while the request's ledger row commits.
     */
    @Override
    public Prepared prepare(String modelId, byte[] body, boolean stream) {
        SdkHttpFullRequest.Builder unsigned = SdkHttpFullRequest.builder()
                .method(SdkHttpMethod.POST)
                .uri(runtimeEndpoint)
                .encodedPath(runtimeBasePath + "/model/" + SdkHttpUtils.urlEncode(modelId)
                        + (stream ? "/invoke-with-response-stream" : "/invoke"))
                .putHeader("content-type", "application/json")
                .putHeader("content-length", Integer.toString(body.length));
        if (stream) {
            // what the SDK sends for InvokeModelWithResponseStream's accept: the chunks' content type
            unsigned.putHeader("x-amzn-bedrock-accept", "application/json");
        } else {
            unsigned.putHeader("accept", "application/json");
        }
        SdkHttpFullRequest request = unsigned.build();
        try {
            var identity = credentials.resolveIdentity().join();
            software.amazon.awssdk.http.SdkHttpRequest signed = signer.sign(r -> r.identity(identity)
                    .request(request)
                    .payload(ContentStreamProvider.fromByteArrayUnsafe(body))
                    .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "bedrock")
                    .putProperty(AwsV4HttpSigner.REGION_NAME, settings.region())
                    .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, true)).request();
            return new Signed(signed, body, stream, null);
        } catch (RuntimeException e) {
            return new Signed(null, body, stream, e);
        }
    }

    /** InvokeModel with the prepared call; the call timeout ({@code callTimeout}) applies. */
    @Override
    public CompletableFuture<Reply> invoke(Prepared call) {
        Signed s = (Signed) call;
        if (s.stream()) {
            throw new IllegalArgumentException("a call prepared for streaming");
        }
        BedrockReply reply = new BedrockReply(t -> classify(t, false));
        if (s.failure() != null) {
            reply.fail(s.failure());
            return reply.result();
        }
        CompletableFuture<Void> execution = http.execute(AsyncExecuteRequest.builder()
                .request(s.request())
                .requestContentPublisher(new BodyPublisher(s.body()))
                .responseHandler(reply)
                .build());
        execution.whenComplete((v, t) -> {
            if (t != null) {
                reply.fail(t);
            }
        });
        CompletableFuture<Reply> result = reply.result();
        result.orTimeout(settings.callTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((r, t) -> {
                    if (t != null) {
                        execution.cancel(true);
                    }
                });
        return result.exceptionallyCompose(t -> CompletableFuture.failedFuture(classify(t, false)));
    }

    /**
     * InvokeModelWithResponseStream with the prepared call, its frames decoded by {@link BedrockStream}.
     * No retries, no call timeout: a stream may legitimately last many minutes; the idle read timeout
     * still applies.
     */
    @Override
    public StreamHandle invokeStream(Prepared call, StreamListener listener) {
        Signed s = (Signed) call;
        if (!s.stream()) {
            throw new IllegalArgumentException("a call prepared for InvokeModel");
        }
        BedrockStream stream = new BedrockStream(listener, t -> classify(t, false));
        if (s.failure() != null) {
            stream.fail(s.failure());
            return stream;
        }
        stream.attach(http.execute(AsyncExecuteRequest.builder()
                .request(s.request())
                .requestContentPublisher(new BodyPublisher(s.body()))
                .responseHandler(stream)
                .build()));
        return stream;
    }

    /** The request body, one buffer. */
    private record BodyPublisher(byte[] body) implements SdkHttpContentPublisher {
        @Override
        public Optional<Long> contentLength() {
            return Optional.of((long) body.length);
        }

        @Override
        public void subscribe(Subscriber<? super ByteBuffer> s) {
            AtomicBoolean sent = new AtomicBoolean();
            s.onSubscribe(new Subscription() {
                @Override
                public void request(long n) {
                    if (n <= 0) {
                        if (sent.compareAndSet(false, true)) {
                            s.onError(new IllegalArgumentException("non-positive request: " + n));
                        }
                    } else if (sent.compareAndSet(false, true)) {
                        s.onNext(ByteBuffer.wrap(body).asReadOnlyBuffer());
                        s.onComplete();
                    }
                }

                @Override
                public void cancel() {
                    sent.set(true);
                }
            });
        }
    }

    @Override
    public CompletableFuture<Long> countTokens(String modelId, byte[] invokeBody) {
        return runtime.countTokens(b -> b.modelId(modelId)
                        .input(i -> i.invokeModel(m -> m.body(SdkBytes.fromByteArrayUnsafe(invokeBody))))
                        .overrideConfiguration(o -> o.apiCallTimeout(Duration.ofSeconds(30))))
                .handle((r, t) -> {
                    if (t != null) {
                        throw classify(t, false);
                    }
                    return r.inputTokens() == null ? 0L : r.inputTokens().longValue();
                });
    }

    @Override
    public CompletableFuture<List<String>> listInferenceProfiles() {
        List<String> ids = new ArrayList<>();
        return control.listInferenceProfilesPaginator(b -> b.maxResults(1000))
                .subscribe(page -> {
                    for (InferenceProfileSummary p : page.inferenceProfileSummaries()) {
                        ids.add(p.inferenceProfileId());
                    }
                })
                .handle((v, t) -> {
                    if (t != null) {
                        throw classify(t, false);
                    }
                    return List.copyOf(ids);
                });
    }

    @Override
    public String describe() {
        return "Amazon Bedrock in " + settings.region()
                + (settings.endpoint().isEmpty() ? "" : " via " + settings.endpoint())
                + (settings.http2() ? " (HTTP/2)" : " (HTTP/1.1)");
    }

    /** SDK failure → {@link UpstreamException}, with Bedrock's own code, status and message. */
    static UpstreamException classify(Throwable thrown, boolean midStream) {
        Throwable t = unwrap(thrown);
        if (t instanceof UpstreamException u) {
            return u;
        }
        if (t instanceof AwsServiceException aws) {
            String code = aws.awsErrorDetails() == null ? "" : aws.awsErrorDetails().errorCode();
            String message = aws.awsErrorDetails() == null || aws.awsErrorDetails().errorMessage() == null
                    ? aws.getMessage() : aws.awsErrorDetails().errorMessage();
            if (code == null || code.isEmpty()) {
                code = aws.getClass().getSimpleName();
            }
            UpstreamException.Transport transport = isCredentialProblem(code)
                    ? UpstreamException.Transport.CREDENTIALS : UpstreamException.Transport.NONE;
            return new UpstreamException(code, aws.statusCode(), message, transport, midStream, aws);
        }
        if (t instanceof ApiCallTimeoutException || t instanceof ApiCallAttemptTimeoutException || hasTimeoutCause(t)) {
            return new UpstreamException("", 0, "Bedrock did not answer in time", UpstreamException.Transport.TIMEOUT, midStream, t);
        }
        if (t instanceof CancellationException) {
            return new UpstreamException("", 0, "cancelled", UpstreamException.Transport.CANCELLED, midStream, t);
        }
        if (hasCause(t, ConnectException.class)) {
            return new UpstreamException("", 0, "Cannot connect to Bedrock: " + rootMessage(t), UpstreamException.Transport.CONNECT, midStream, t);
        }
        if (t instanceof SdkClientException && String.valueOf(t.getMessage()).contains("credentials")) {
            return new UpstreamException("", 0, "AWS credentials unavailable: " + t.getMessage(),
                    UpstreamException.Transport.CREDENTIALS, midStream, t);
        }
        return new UpstreamException("", 0, "Bedrock call failed: " + rootMessage(t), UpstreamException.Transport.OTHER, midStream, t);
    }

    static boolean isCredentialProblem(String code) {
        return switch (code) {
            case "UnrecognizedClientException", "InvalidSignatureException", "IncompleteSignature",
                 "IncompleteSignatureException", "ExpiredTokenException", "MissingAuthenticationTokenException",
                 "InvalidClientTokenId", "SignatureDoesNotMatch" -> true;
            default -> false;
        };
    }

    private static Throwable unwrap(Throwable t) {
        Throwable c = t;
        while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
            c = c.getCause();
        }
        return c;
    }

    private static boolean hasTimeoutCause(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            String name = c.getClass().getName();
            if (name.endsWith("ReadTimeoutException") || name.endsWith("TimeoutException")
                    || c instanceof java.net.SocketTimeoutException) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable t) {
        Throwable r = t;
        while (r.getCause() != null && r.getCause() != r) {
            r = r.getCause();
        }
        return r.getMessage() == null ? r.getClass().getSimpleName() : r.getMessage();
    }

    @Override
    public void close() {
        runtime.close();
        control.close();
        http.close();
    }
}
