package ccag.server.proxy;

import ccag.server.auth.principal.Caller;
import ccag.server.catalog.ModelDirectory;
import ccag.server.errors.ApiException;
import ccag.server.errors.UpstreamFailure;
import ccag.server.proxy.translate.BedrockErrorMapping;
import ccag.server.proxy.translate.BedrockRequest;
import ccag.server.proxy.translate.CountTokens;
import ccag.server.proxy.translate.RequestTranslator;
import ccag.server.proxy.translate.ResolvedModel;
import ccag.server.proxy.translate.ResponseTranslator;
import ccag.server.proxy.translate.Sse;
import ccag.server.proxy.translate.StreamTranslator;
import ccag.server.proxy.translate.TokenEstimator;
import ccag.server.spend.SpendLedger;
import ccag.server.spend.Usage;
import ccag.server.upstream.Upstream;
import ccag.server.upstream.UpstreamException;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code /v1/messages} request: parse → resolve the model → translate → admit → open the
 * ledger row → call Bedrock (retrying throttling and 5xx, and once after a learnable rejection,
 * only before anything reached the client) → answer or stream → settle the ledger row.
 */
public final class ProxyService {
    private static final Logger LOG = LoggerFactory.getLogger(ProxyService.class);

    /** Retry and streaming policy. */
    public record Policy(int maxAttempts, Duration retryBackoff, Duration firstEventTimeout, Duration pingInterval) {
    }

    /**
     * Timers of the stages of a {@code /v1/messages} request, published on the admin port's
     * {@code /metrics} (names {@code ccag.proxy.*}): where a request's time goes, in production as in
     * the benchmark. {@code dispatch}: from Jetty's parse of the request line to the resource
     * (filters, routing, authentication); {@code jsonAnswer}: from there to the JSON answer built.
     */
    public record Stages(Timer dispatch, Timer translate, Timer admission, Timer ledgerOpen, Timer upstream,
                         Timer upstreamFirstEvent, Timer jsonAnswer) {
        public static Stages in(MetricRegistry registry) {
            return new Stages(registry.timer("ccag.proxy.dispatch"), registry.timer("ccag.proxy.translate"),
                    registry.timer("ccag.proxy.admission"), registry.timer("ccag.proxy.ledger-open-wait"),
                    registry.timer("ccag.proxy.upstream"), registry.timer("ccag.proxy.upstream-first-event"),
                    registry.timer("ccag.proxy.json-answer"));
        }
    }

    public Stages stages() {
        return stages;
    }

    /** What the resource sends back. */
    public sealed interface Answer permits Json, Stream {
    }

    /** A whole JSON body. */
    public record Json(byte[] body) implements Answer {
    }

    /** An SSE stream, written by {@link #writeTo}. */
    public static final class Stream implements Answer {
        private final StreamWriter writer;

        Stream(StreamWriter writer) {
            this.writer = writer;
        }

        public void writeTo(OutputStream out) throws IOException {
            writer.write(out);
        }
    }

    @FunctionalInterface
    interface StreamWriter {
        void write(OutputStream out) throws IOException;
    }

    private final RequestTranslator translator;
    private final CountTokens countTokens;
    private final BedrockErrorMapping errors;
    private final ModelDirectory models;
    private final Upstream upstream;
    private final Admission admission;
    private final SpendLedger ledger;
    private final Policy policy;
    private final Stages stages;

    public ProxyService(RequestTranslator translator, BedrockErrorMapping errors, ModelDirectory models, Upstream upstream,
                        Admission admission, SpendLedger ledger, Policy policy, Stages stages) {
        this.translator = translator;
        this.countTokens = new CountTokens(translator);
        this.errors = errors;
        this.models = models;
        this.upstream = upstream;
        this.admission = admission;
        this.ledger = ledger;
        this.policy = policy;
        this.stages = stages;
    }

    public Answer messages(Caller caller, String requestId, byte[] raw, List<String> betaHeaders) {
        long t0 = System.nanoTime();
        ObjectNode body = RequestTranslator.parse(raw);
        String requested = RequestTranslator.requestedModel(body);
        ResolvedModel model = models.resolve(requested);
        BedrockRequest request = translator.translate(body, betaHeaders, model);
        if (!request.unknownFields().isEmpty() && LOG.isDebugEnabled()) {
            LOG.debug("dropped unknown fields {}", request.unknownFields());
        }
        long t1 = System.nanoTime();
        stages.translate().update(t1 - t0, TimeUnit.NANOSECONDS);
        admission.admit(caller);
        long t2 = System.nanoTime();
        stages.admission().update(t2 - t1, TimeUnit.NANOSECONDS);
        CompletableFuture<Void> opened = ledger.openAsync(new SpendLedger.Opening(requestId, caller.userId(), caller.keyId(),
                caller.teamId(), caller.method().wire(), requested, request.modelId(), request.stream(), TokenEstimator.estimate(body)));
        // Serialise the Bedrock body and sign the call while the ledger row commits; nothing goes
        // upstream before the commit.
        Upstream.Prepared call = upstream.prepare(request.modelId(), request.bodyBytes(), request.stream());
        long t3 = System.nanoTime();
        SpendLedger.awaitCommitted(opened);
        long start = System.nanoTime();
        stages.ledgerOpen().update(start - t3, TimeUnit.NANOSECONDS);
        return request.stream()
                ? stream(requestId, requested, model, request, call, start)
                : invoke(requestId, requested, model, request, call, start);
    }

    private Json invoke(String requestId, String requested, ResolvedModel model, BedrockRequest first, Upstream.Prepared call,
                        long start) {
        Attempts attempts = new Attempts(first, call);
        while (true) {
            BedrockRequest current = attempts.request;
            try {
                long sent = System.nanoTime();
                Upstream.Reply reply = await(upstream.invoke(attempts.call(upstream)));
                stages.upstream().update(System.nanoTime() - sent, TimeUnit.NANOSECONDS);
                ResponseTranslator.Result result = ResponseTranslator.translate(reply.body(), model);
                translator.recordSuccess(current);
                long ms = millisSince(start);
                ledger.settle(new SpendLedger.Settlement(requestId, current.modelId(), "ok", 200, null, result.usage(), ms, ms));
                return new Json(result.body());
            } catch (UpstreamException e) {
                afterFailure(attempts, e, requestId, requested, start);
            } catch (ApiException e) {
                settleError(requestId, current.modelId(), e, start, Usage.ZERO);
                throw e;
            }
        }
    }

    private Stream stream(String requestId, String requested, ResolvedModel model, BedrockRequest first, Upstream.Prepared call,
                          long start) {
        Attempts attempts = new Attempts(first, call);
        while (true) {
            BedrockRequest current = attempts.request;
            StreamRelay relay = new StreamRelay();
            long sentAt = System.nanoTime();
            relay.attach(upstream.invokeStream(attempts.call(upstream), relay));
            UpstreamException e;
            try {
                e = relay.awaitStart(policy.firstEventTimeout());
                stages.upstreamFirstEvent().update(System.nanoTime() - sentAt, TimeUnit.NANOSECONDS);
            } catch (InterruptedException ie) {
                relay.cancel();
                Thread.currentThread().interrupt();
                throw fail(requestId, requested, current,
                        new UpstreamException("", 0, "interrupted", UpstreamException.Transport.CANCELLED, false, ie), start);
            }
            if (e == null) {
                // Keep only what the end of the stream needs: the request bodies would otherwise stay
                // reachable for as long as the stream is open (minutes, for each of thousands of streams).
                Sent sent = new Sent(current.modelId(), current.forwardedBetas());
                return new Stream(out -> relayStream(requestId, model, sent, relay, out, start));
            }
            afterFailure(attempts, e, requestId, requested, start);
        }
    }

    /** The state of one request's attempts: the request to send next, and what has been spent. */
    private static final class Attempts {
        BedrockRequest request;
        /** The first attempt's call, prepared while the ledger row committed; later attempts sign anew. */
        Upstream.Prepared prepared;
        int made = 1;
        boolean learned;

        Attempts(BedrockRequest first, Upstream.Prepared call) {
            this.request = first;
            this.prepared = call;
        }

        Upstream.Prepared call(Upstream upstream) {
            Upstream.Prepared c = prepared;
            prepared = null;
            return c != null ? c : upstream.prepare(request.modelId(), request.bodyBytes(), request.stream());
        }
    }

    /**
     * After a failed attempt, before anything reached the client: send a corrected request once when
     * Bedrock's rejection is learnable, retry throttling and 5xx after a pause, or give up by throwing
     * the mapped failure (and settling the ledger row).
     */
    private void afterFailure(Attempts a, UpstreamException e, String requestId, String requested, long start) {
        if (!a.learned && BedrockErrorMapping.isLearnable(e.errorCode(), e.status(), e.getMessage())) {
            Optional<BedrockRequest> fixed = translator.retryAfterRejection(a.request, e.getMessage());
            if (fixed.isPresent()) {
                a.request = fixed.get();
                a.learned = true;
                return;
            }
        }
        if (retryable(e) && a.made < policy.maxAttempts()) {
            backoff(a.made);
            a.made++;
            return;
        }
        throw fail(requestId, requested, a.request, e, start);
    }

    /** What a running stream remembers of its request. */
    private record Sent(String modelId, List<String> forwardedBetas) {
    }

    private void relayStream(String requestId, ResolvedModel model, Sent sent, StreamRelay relay, OutputStream out,
                             long start) throws IOException {
        StreamTranslator st = new StreamTranslator(model);
        StreamRelay.EventWriter writer = new StreamRelay.EventWriter() {
            @Override
            public byte[] event(byte[] chunkJson) {
                return st.translate(chunkJson);
            }

            @Override
            public byte[] ping() {
                return Sse.ping();
            }

            @Override
            public byte[] error(UpstreamException e) {
                UpstreamFailure f = e.status() == 0 && e.errorCode().isEmpty()
                        ? errors.clientFailure(e.transport() == UpstreamException.Transport.TIMEOUT, e.getMessage(), e)
                        : errors.midStream(e.errorCode(), e.getMessage());
                return Sse.error(f, requestId);
            }

            @Override
            public byte[] error(RuntimeException e) {
                ApiException f = e instanceof ApiException a ? a
                        : errors.clientFailure(false, "Failed to relay the upstream stream", e);
                return Sse.error(f, requestId);
            }
        };
        StreamRelay.Outcome outcome;
        try {
            outcome = relay.pump(out, writer, policy.pingInterval());
        } catch (InterruptedException ie) {
            relay.cancel();
            Thread.currentThread().interrupt();
            outcome = StreamRelay.Outcome.CLIENT_GONE;
        }
        if (outcome == StreamRelay.Outcome.COMPLETED) {
            Optional<byte[]> missingStop = st.endOfStream(requestId);
            if (missingStop.isPresent()) {
                try {
                    out.write(missingStop.get());
                    out.flush();
                } catch (IOException gone) {
                    outcome = StreamRelay.Outcome.CLIENT_GONE;
                }
            } else {
                translator.recordSuccess(sent.modelId(), sent.forwardedBetas());
            }
        }
        long ms = millisSince(start);
        Long ttfb = relay.firstChunkNanos() == 0 ? null : TimeUnit.NANOSECONDS.toMillis(relay.firstChunkNanos() - start);
        String status = switch (outcome) {
            case COMPLETED -> st.sawMessageStop() && !st.sawError() ? "ok" : "error";
            case UPSTREAM_ERROR -> "error";
            case CLIENT_GONE -> "cancelled";
        };
        String errorType = switch (outcome) {
            case COMPLETED -> st.sawMessageStop() && !st.sawError() ? null : "incomplete_stream";
            case UPSTREAM_ERROR -> relay.failure() == null ? "stream_error" : relay.failure().errorCode();
            case CLIENT_GONE -> "client_disconnected";
        };
        ledger.settle(new SpendLedger.Settlement(requestId, sent.modelId(), status, 200, errorType, st.usage(), ms, ttfb));
    }

    /**
     * {@code POST /v1/messages/count_tokens}: Bedrock CountTokens, with a local estimate when it is
     * unavailable. A call that reaches Bedrock gets its ledger row ({@code operation count_tokens},
     * no tokens billed, cost 0), opened before the call like every other.
     */
    public byte[] countTokens(Caller caller, String requestId, byte[] raw, List<String> betaHeaders) {
        ObjectNode body = RequestTranslator.parse(raw);
        String requested = RequestTranslator.requestedModel(body);
        ResolvedModel model = models.resolve(requested);
        CountTokens.Call call = countTokens.prepare(body, betaHeaders, model);
        long tokens = call.localEstimate();
        if (call.baseModelId().isPresent()) {
            String baseModelId = call.baseModelId().get();
            ledger.open(new SpendLedger.Opening(requestId, caller.userId(), caller.keyId(), caller.teamId(),
                    caller.method().wire(), requested, baseModelId, false, tokens, SpendLedger.COUNT_TOKENS));
            long start = System.nanoTime();
            try {
                tokens = await(upstream.countTokens(baseModelId, call.request().bodyBytes()));
                long ms = millisSince(start);
                ledger.settle(new SpendLedger.Settlement(requestId, baseModelId, "ok", 200, null, Usage.ZERO, ms, ms));
            } catch (UpstreamException e) {
                boolean unavailable = e.status() == 400 || e.status() == 403 || e.status() == 404 || e.status() == 0;
                ledger.settle(new SpendLedger.Settlement(requestId, baseModelId, "error", e.status() == 0 ? null : e.status(),
                        e.errorCode().isEmpty() ? e.transport().name().toLowerCase(java.util.Locale.ROOT) : e.errorCode(),
                        Usage.ZERO, millisSince(start), null));
                if (!unavailable) {
                    throw map(e, model.requested());
                }
                LOG.debug("CountTokens unavailable for {} ({}), using the local estimate", baseModelId, e.getMessage());
            }
        }
        return CountTokens.responseBody(tokens).toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** {@code GET /v1/models}. */
    public ObjectNode models() {
        return models.modelsList();
    }

    private UpstreamFailure fail(String requestId, String requested, BedrockRequest current, UpstreamException e, long start) {
        UpstreamFailure f = map(e, requested);
        settleError(requestId, current.modelId(), f, start, Usage.ZERO);
        return f;
    }

    private void settleError(String requestId, String modelId, ApiException f, long start, Usage usage) {
        ledger.settle(new SpendLedger.Settlement(requestId, modelId, "error", f.kind().status(), f.kind().type(), usage,
                millisSince(start), null));
    }

    UpstreamFailure map(UpstreamException e, String requested) {
        if (e.status() == 0 && e.errorCode().isEmpty()) {
            return errors.clientFailure(e.transport() == UpstreamException.Transport.TIMEOUT, e.getMessage(), e);
        }
        return errors.fromBedrock(e.errorCode(), e.status(), e.getMessage(), requested);
    }

    static boolean retryable(UpstreamException e) {
        if (e.transport() == UpstreamException.Transport.CONNECT) {
            return true;
        }
        if (e.transport() != UpstreamException.Transport.NONE) {
            return false;
        }
        String code = BedrockErrorMapping.normalisedCode(e.errorCode());
        return switch (code) {
            case "throttling", "serviceunavailable", "modelnotready", "internalserver" -> true;
            default -> e.status() >= 500 && !code.equals("modeltimeout");
        };
    }

    private void backoff(int attempt) {
        try {
            Thread.sleep(policy.retryBackoff().toMillis() << (attempt - 1));
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        }
    }

    private static <T> T await(java.util.concurrent.CompletableFuture<T> f) {
        try {
            return f.get();
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof UpstreamException u) {
                throw u;
            }
            if (c instanceof java.util.concurrent.CompletionException ce && ce.getCause() instanceof UpstreamException u) {
                throw u;
            }
            throw new UpstreamException("", 0, String.valueOf(c), UpstreamException.Transport.OTHER, false, c);
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            throw new UpstreamException("", 0, "interrupted", UpstreamException.Transport.CANCELLED, false, e);
        }
    }

    private static long millisSince(long start) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

}
