package ccag.server.upstream;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The model provider as the proxy sees it: Bedrock Runtime's InvokeModel, its streaming variant and
 * CountTokens, plus the inference-profile listing used for model discovery. Failures complete the
 * futures (or reach the listener) as {@link UpstreamException}.
 */
public interface Upstream extends AutoCloseable {

    /** A whole answer (InvokeModel): the response body and Bedrock's metering headers. */
    record Reply(byte[] body, String requestId, Long inputTokens, Long outputTokens, Long latencyMs) {
    }

    /** Receives a streamed answer, one Bedrock chunk (Anthropic SSE event JSON) at a time. */
    interface StreamListener {
        /** Called once when Bedrock accepted the call and the event stream begins. */
        void onOpen(String requestId);

        /** One chunk; the next is delivered only after {@link StreamHandle#request()} is called. */
        void onChunk(byte[] eventJson);

        /** The stream ended normally. */
        void onComplete();

        /** The call failed, before or during the stream. */
        void onError(UpstreamException error);
    }

    /** A running stream: ask for the next chunk, or cancel the upstream call. */
    interface StreamHandle {
        void request();

        void cancel();
    }

    /**
     * A call built and signed but not sent: preparing (SigV4 hashes the whole body) can overlap other
     * work of the request, and nothing reaches Bedrock before {@link #invoke(Prepared)} or
     * {@link #invokeStream(Prepared, StreamListener)}. Send it soon: its signature is valid for minutes.
     */
    interface Prepared {
    }

    /** Builds and signs InvokeModel ({@code stream} false) or InvokeModelWithResponseStream. */
    Prepared prepare(String modelId, byte[] body, boolean stream);

    CompletableFuture<Reply> invoke(Prepared call);

    StreamHandle invokeStream(Prepared call, StreamListener listener);

    default CompletableFuture<Reply> invoke(String modelId, byte[] body) {
        return invoke(prepare(modelId, body, false));
    }

    default StreamHandle invokeStream(String modelId, byte[] body, StreamListener listener) {
        return invokeStream(prepare(modelId, body, true), listener);
    }

    /** Bedrock CountTokens for an InvokeModel-shaped body. */
    CompletableFuture<Long> countTokens(String modelId, byte[] invokeBody);

    /** Inference-profile ids (and ARNs) visible to the gateway's credentials. */
    CompletableFuture<List<String>> listInferenceProfiles();

    /** A short description for logs and the health check. */
    String describe();

    @Override
    void close();
}
