package ccag.server.upstream;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.http.async.SdkAsyncHttpResponseHandler;

/**
 * One InvokeModel answer read straight off the HTTP response: the whole body on 200, otherwise
 * Bedrock's error (code from {@code x-amzn-ErrorType} or the body, message from the body) classified
 * as {@link BedrockStream} does for streams. Completes {@link #result()} on the thread that delivers
 * the end of the body (Netty's), so no executor sits between Bedrock's answer and the waiting request.
 */
final class BedrockReply implements SdkAsyncHttpResponseHandler, Subscriber<ByteBuffer> {
    private final CompletableFuture<Upstream.Reply> result = new CompletableFuture<>();
    private final Function<Throwable, UpstreamException> classify;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private volatile SdkHttpResponse response;

    BedrockReply(Function<Throwable, UpstreamException> classify) {
        this.classify = classify;
    }

    CompletableFuture<Upstream.Reply> result() {
        return result;
    }

    /** A failure outside the response body (credentials, connection, timeout, cancellation). */
    void fail(Throwable t) {
        if (!result.isDone()) {
            result.completeExceptionally(classify.apply(t));
        }
    }

    @Override
    public void onHeaders(SdkHttpResponse headers) {
        response = headers;
    }

    @Override
    public void onStream(Publisher<ByteBuffer> stream) {
        stream.subscribe(this);
    }

    @Override
    public void onError(Throwable error) {
        fail(error);
    }

    @Override
    public void onSubscribe(Subscription s) {
        s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(ByteBuffer bytes) {
        synchronized (body) {
            if (response.statusCode() == 200) {
                byte[] part = new byte[bytes.remaining()];
                bytes.get(part);
                body.writeBytes(part);
            } else {
                int n = Math.min(bytes.remaining(), BedrockStream.MAX_ERROR_BODY - body.size());
                byte[] part = new byte[Math.max(n, 0)];
                bytes.get(part);
                body.writeBytes(part);
            }
        }
    }

    @Override
    public void onComplete() {
        SdkHttpResponse r = response;
        byte[] bytes;
        synchronized (body) {
            bytes = body.toByteArray();
        }
        if (r.statusCode() != 200) {
            result.completeExceptionally(BedrockStream.httpError(r.statusCode(), r, bytes));
            return;
        }
        result.complete(new Upstream.Reply(bytes, r.firstMatchingHeader("x-amzn-RequestId").orElse(null),
                longHeader(r, "X-Amzn-Bedrock-Input-Token-Count"), longHeader(r, "X-Amzn-Bedrock-Output-Token-Count"),
                longHeader(r, "X-Amzn-Bedrock-Invocation-Latency")));
    }

    private static Long longHeader(SdkHttpResponse r, String name) {
        String v = r.firstMatchingHeader(name).orElse(null);
        try {
            return v == null ? null : Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
