package ccag.server.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.http.async.SdkAsyncHttpResponseHandler;
import software.amazon.eventstream.HeaderValue;
import software.amazon.eventstream.Message;

/**
 * One InvokeModelWithResponseStream call read straight off the HTTP response: event-stream frames
 * are decoded by a small {@link EventStreamDecoder}, chunks handed to the listener one per
 * {@link Upstream.StreamHandle#request()}, and more of the body is read only while the listener
 * wants a chunk and none is decoded yet. Failures reach the listener once, after the chunks that
 * preceded them, classified like the SDK's (status, error code and message as the SDK reports them).
 */
final class BedrockStream implements SdkAsyncHttpResponseHandler, Subscriber<ByteBuffer>, Upstream.StreamHandle {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** An error body larger than this is cut: only its {@code message} is wanted. */
    static final int MAX_ERROR_BODY = 64 * 1024;

    private final Upstream.StreamListener listener;
    private final Function<Throwable, UpstreamException> classify;
    private final EventStreamDecoder decoder = new EventStreamDecoder();
    private final AtomicInteger wip = new AtomicInteger();

    // guarded by this
    private final ArrayDeque<byte[]> ready = new ArrayDeque<>();
    private long demand = 1; // the first chunk is delivered unasked
    private boolean pulling;
    private boolean bodyDone;
    private boolean terminated;
    private boolean cancelled;
    private UpstreamException failure;
    private int decodedChunks;
    private Subscription subscription;
    private CompletableFuture<Void> call;
    private int status;
    private SdkHttpResponse response;
    private ByteArrayOutputStream errorBody;

    BedrockStream(Upstream.StreamListener listener, Function<Throwable, UpstreamException> classify) {
        this.listener = listener;
        this.classify = classify;
    }

    /** The HTTP call, once started; cancelled at once when the stream already was. */
    void attach(CompletableFuture<Void> execution) {
        boolean cancelNow;
        synchronized (this) {
            call = execution;
            cancelNow = cancelled;
        }
        if (cancelNow) {
            execution.cancel(true);
            return;
        }
        execution.whenComplete((v, t) -> {
            if (t != null) {
                fail(t);
            }
        });
    }

    /** A failure before or outside the response body (credentials, signing, connection, timeout). */
    void fail(Throwable t) {
        synchronized (this) {
            if (failure == null && !terminated) {
                failure = reclassify(classify.apply(t));
                bodyDone = true;
            }
        }
        drain();
    }

    // --- SdkAsyncHttpResponseHandler -------------------------------------------------------------

    @Override
    public void onHeaders(SdkHttpResponse headers) {
        synchronized (this) {
            response = headers;
            status = headers.statusCode();
            if (status != 200) {
                errorBody = new ByteArrayOutputStream();
            }
        }
        if (headers.statusCode() == 200) {
            listener.onOpen(headers.firstMatchingHeader("x-amzn-RequestId").orElse(null));
        }
    }

    @Override
    public void onStream(Publisher<ByteBuffer> body) {
        body.subscribe(this);
    }

    /** A failure of the call or of its response body (both interfaces name it the same). */
    @Override
    public void onError(Throwable error) {
        fail(error);
    }

    // --- the response body -----------------------------------------------------------------------

    @Override
    public void onSubscribe(Subscription s) {
        boolean cancelNow;
        boolean readAll;
        synchronized (this) {
            subscription = s;
            cancelNow = cancelled;
            readAll = errorBody != null;
        }
        if (cancelNow) {
            s.cancel();
        } else if (readAll) {
            s.request(Long.MAX_VALUE);
        } else {
            drain();
        }
    }

    @Override
    public void onNext(ByteBuffer bytes) {
        synchronized (this) {
            pulling = false;
            if (errorBody != null) {
                int n = Math.min(bytes.remaining(), MAX_ERROR_BODY - errorBody.size());
                byte[] part = new byte[n];
                bytes.get(part);
                errorBody.writeBytes(part);
                return;
            }
            if (failure != null || cancelled) {
                return; // the rest of a failed stream is read and dropped, so the connection stays usable
            }
            try {
                decoder.feed(bytes, this::frame);
            } catch (RuntimeException corrupt) {
                failure = reclassify(classify.apply(corrupt));
                drainRest();
            }
        }
        drain();
    }

    @Override
    public void onComplete() {
        synchronized (this) {
            bodyDone = true;
            if (errorBody != null) {
                failure = httpError(status, response, errorBody.toByteArray());
            } else if (failure == null && decoder.midFrame()) {
                failure = reclassify(classify.apply(new IllegalStateException("the event stream ended inside a frame")));
            }
        }
        drain();
    }

    // one frame, under the lock
    private void frame(Message m) {
        String type = header(m, ":message-type");
        switch (type) {
            case "event" -> {
                if ("chunk".equals(header(m, ":event-type"))) {
                    ready.add(chunkBytes(m.getPayload()));
                    decodedChunks++;
                }
                // other event kinds are skipped
            }
            case "exception" -> {
                String code = header(m, ":exception-type");
                failure = new UpstreamException(code, streamExceptionStatus(code), payloadMessage(m.getPayload()),
                        UpstreamException.Transport.NONE, decodedChunks > 0, null);
                drainRest();
            }
            case "error" -> {
                failure = new UpstreamException(header(m, ":error-code"), 500, header(m, ":error-message"),
                        UpstreamException.Transport.NONE, decodedChunks > 0, null);
                drainRest();
            }
            default -> {
                // unknown message types are skipped, as the SDK does
            }
        }
    }

    private UpstreamException reclassify(UpstreamException u) {
        return new UpstreamException(u.errorCode(), u.status(), u.getMessage(), u.transport(), decodedChunks > 0, u.getCause());
    }

    // under the lock: after a failure frame, read and drop the rest of the body
    private void drainRest() {
        if (subscription != null && !bodyDone) {
            pulling = true;
            subscription.request(Long.MAX_VALUE);
        }
    }

    private static String header(Message m, String name) {
        HeaderValue v = m.getHeaders().get(name);
        return v == null ? "" : v.getString();
    }

    private static byte[] chunkBytes(byte[] payload) {
        try {
            JsonNode bytes = JSON.readTree(payload).path("bytes");
            return bytes.isTextual() ? Base64.getDecoder().decode(bytes.asText()) : new byte[0];
        } catch (IOException e) {
            throw new IllegalArgumentException("Unreadable chunk payload: " + e.getMessage(), e);
        }
    }

    private static String payloadMessage(byte[] payload) {
        try {
            JsonNode n = JSON.readTree(payload);
            JsonNode m = n == null ? null : n.has("message") ? n.get("message") : n.get("Message");
            return m == null || m.isNull() ? new String(payload, StandardCharsets.UTF_8) : m.asText();
        } catch (IOException e) {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    /** The HTTP status the SDK models for each exception member of Bedrock's response stream. */
    static int streamExceptionStatus(String exceptionType) {
        return switch (exceptionType) {
            case "throttlingException" -> 429;
            case "serviceUnavailableException" -> 503;
            case "modelTimeoutException" -> 408;
            case "validationException" -> 400;
            case "modelStreamErrorException" -> 424;
            default -> 500;
        };
    }

    /** A non-200 answer: the code from {@code x-amzn-ErrorType} (or the body's {@code __type}), the body's message. */
    static UpstreamException httpError(int status, SdkHttpResponse response, byte[] body) {
        String code = response == null ? "" : response.firstMatchingHeader("x-amzn-ErrorType").orElse("");
        String message = null;
        try {
            JsonNode n = body.length == 0 ? null : JSON.readTree(body);
            if (n != null && n.isObject()) {
                JsonNode m = n.has("message") ? n.get("message") : n.get("Message");
                message = m == null || m.isNull() ? null : m.asText();
                if (code.isEmpty()) {
                    code = n.path("__type").asText(n.path("code").asText(""));
                }
            }
        } catch (IOException e) {
            // not JSON: the status alone classifies it
        }
        int colon = code.indexOf(':');
        if (colon >= 0) {
            code = code.substring(0, colon);
        }
        int hash = code.lastIndexOf('#');
        if (hash >= 0) {
            code = code.substring(hash + 1);
        }
        if (code.isEmpty()) {
            code = "BedrockRuntimeException";
        }
        if (message == null) {
            message = "Bedrock answered HTTP " + status;
        }
        UpstreamException.Transport transport = BedrockUpstream.isCredentialProblem(code)
                ? UpstreamException.Transport.CREDENTIALS : UpstreamException.Transport.NONE;
        return new UpstreamException(code, status, message, transport, false, null);
    }

    // --- StreamHandle ----------------------------------------------------------------------------

    @Override
    public void request() {
        synchronized (this) {
            demand++;
        }
        drain();
    }

    @Override
    public void cancel() {
        Subscription s;
        CompletableFuture<Void> c;
        synchronized (this) {
            if (cancelled) {
                return;
            }
            cancelled = true;
            s = subscription;
            c = call;
            ready.clear();
            if (failure == null && !terminated) {
                failure = new UpstreamException("", 0, "cancelled", UpstreamException.Transport.CANCELLED,
                        decodedChunks > 0, new CancellationException());
            }
        }
        if (s != null) {
            s.cancel();
        }
        if (c != null) {
            c.cancel(true);
        }
        drain();
    }

    /**
     * Hands out what is ready, one signal at a time and never under the lock: chunks while the
     * listener has demand, then the end; asks the body for more only when the listener waits.
     */
    private void drain() {
        if (wip.getAndIncrement() != 0) {
            return;
        }
        int missed = 1;
        do {
            while (true) {
                byte[] chunk = null;
                UpstreamException end = null;
                boolean complete = false;
                Subscription pull = null;
                synchronized (this) {
                    if (terminated) {
                        break;
                    }
                    if (demand > 0 && !ready.isEmpty()) {
                        demand--;
                        chunk = ready.poll();
                    } else if (ready.isEmpty() && failure != null) {
                        terminated = true;
                        end = failure;
                    } else if (ready.isEmpty() && bodyDone) {
                        terminated = true;
                        complete = true;
                    } else if (demand > 0 && !pulling && subscription != null) {
                        pulling = true;
                        pull = subscription;
                    } else {
                        break;
                    }
                }
                if (chunk != null) {
                    listener.onChunk(chunk);
                } else if (end != null) {
                    listener.onError(end);
                } else if (complete) {
                    listener.onComplete();
                } else {
                    pull.request(1);
                }
            }
            missed = wip.addAndGet(-missed);
        } while (missed != 0);
    }
}
