package ccag.server.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Blocker;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/** Routes Bedrock Runtime (and the two control-plane listings) and answers as Bedrock does. */
final class SimulatorHandler extends Handler.Abstract {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final String ERROR_NAMESPACE = ":http://internal.amazon.com/coral/com.amazon.bedrock/";
    private static final String ACCOUNT = "000000000000";

    private final SimulatorOptions options;
    private final ModelCatalog catalog;
    private final ValidationRules rules;
    private final ThinkingSignatures signatures;
    private final Answers answers;
    private final PromptCache cache = new PromptCache();
    private final Supplier<Behaviour> script;
    private final java.util.function.Consumer<ReceivedRequest> recorder;
    private final java.util.concurrent.atomic.AtomicInteger openStreams;

    SimulatorHandler(SimulatorOptions options, ModelCatalog catalog, ValidationRules rules, ThinkingSignatures signatures,
                     Supplier<Behaviour> script, java.util.function.Consumer<ReceivedRequest> recorder,
                     java.util.concurrent.atomic.AtomicInteger openStreams) {
        this.options = options;
        this.catalog = catalog;
        this.rules = rules;
        this.signatures = signatures;
        this.answers = new Answers(signatures);
        this.script = script;
        this.recorder = recorder;
        this.openStreams = openStreams;
    }

    /** A refusal answered in Bedrock's error shape. */
    private static final class Refusal extends Exception {
        final BedrockErrorKind kind;

        Refusal(BedrockErrorKind kind, String message) {
            super(message, null, false, false);
            this.kind = kind;
        }
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        try {
            serve(request, response);
            callback.succeeded();
        } catch (Throwable t) {
            callback.failed(t);
        }
        return true;
    }

    private void serve(Request request, Response response) throws IOException, InterruptedException {
        String requestId = UUID.randomUUID().toString();
        response.getHeaders().put("x-amzn-RequestId", requestId);
        String rawPath = request.getHttpURI().getPath();
        List<String> segments = segments(rawPath);
        String method = request.getMethod();
        String operation = operation(method, segments);
        String modelId = segments.size() == 3 && segments.get(0).equals("model") ? percentDecode(segments.get(1)) : "";
        byte[] bodyBytes = readBody(request);
        String body = new String(bodyBytes, StandardCharsets.UTF_8);
        recorder.accept(new ReceivedRequest(Instant.now(), method, rawPath, operation, modelId, headers(request), body));
        try {
            authenticate(request);
            switch (operation) {
                case "invoke" -> generate(response, ValidationRules.Operation.INVOKE, modelId, body);
                case "invoke-with-response-stream" -> generate(response, ValidationRules.Operation.STREAM, modelId, body);
                case "count-tokens" -> countTokens(response, modelId, body);
                case "list-inference-profiles" -> listInferenceProfiles(request, response);
                case "list-foundation-models" -> listFoundationModels(response);
                default -> throw new Refusal(BedrockErrorKind.UNKNOWN_OPERATION, BedrockErrorKind.UNKNOWN_OPERATION.defaultMessage());
            }
        } catch (Refusal r) {
            sendError(response, r.kind, r.getMessage());
        }
    }

    private static String operation(String method, List<String> segments) {
        if (method.equals("POST") && segments.size() == 3 && segments.get(0).equals("model")) {
            return switch (segments.get(2)) {
                case "invoke", "invoke-with-response-stream", "count-tokens" -> segments.get(2);
                default -> "unknown";
            };
        }
        if (method.equals("GET") && segments.equals(List.of("inference-profiles"))) {
            return "list-inference-profiles";
        }
        if (method.equals("GET") && segments.equals(List.of("foundation-models"))) {
            return "list-foundation-models";
        }
        return "unknown";
    }

    /**
     * Bedrock requires a signed request. The SDK signs with SigV4 (and Bedrock API keys travel as a
     * Bearer token); the signature itself is not verified: the simulator has no secret keys.
     */
    private static void authenticate(Request request) throws Refusal {
        String auth = request.getHeaders().get("Authorization");
        if (auth == null || auth.isBlank()) {
            throw new Refusal(BedrockErrorKind.MISSING_AUTHENTICATION, BedrockErrorKind.MISSING_AUTHENTICATION.defaultMessage());
        }
        if (auth.startsWith("Bearer ") && auth.length() > 7) {
            return;
        }
        if (!auth.startsWith("AWS4-HMAC-SHA256 ")) {
            throw new Refusal(BedrockErrorKind.INCOMPLETE_SIGNATURE,
                    "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. "
                            + "Authorization header requires 'SignedHeaders' parameter.");
        }
        for (String part : List.of("Credential", "SignedHeaders", "Signature")) {
            if (!auth.contains(part + "=")) {
                throw new Refusal(BedrockErrorKind.INCOMPLETE_SIGNATURE, "Authorization header requires '" + part + "' parameter.");
            }
        }
        if (request.getHeaders().get("X-Amz-Date") == null && request.getHeaders().get("Date") == null) {
            throw new Refusal(BedrockErrorKind.INCOMPLETE_SIGNATURE,
                    "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
        }
    }

    private static JsonNode parseOrNull(String body) {
        try {
            JsonNode n = JSON.readTree(body);
            return n == null || n.isMissingNode() ? null : n;
        } catch (IOException e) {
            return null;
        }
    }

    private ValidationRules.Subject validate(ValidationRules.Operation op, String modelId, JsonNode body) throws Refusal {
        ValidationRules.Subject subject = new ValidationRules.Subject(op, modelId, catalog.resolve(modelId), body,
                ValidationRules.betas(body != null && body.isObject() ? body : null), signatures);
        Optional<ValidationRules.Violation> v = rules.check(subject);
        if (v.isPresent()) {
            throw new Refusal(BedrockErrorKind.VALIDATION, v.get().message());
        }
        return subject;
    }

    private void generate(Response response, ValidationRules.Operation op, String modelId, String rawBody)
            throws Refusal, IOException, InterruptedException {
        JsonNode body = parseOrNull(rawBody);
        ValidationRules.Subject subject = validate(op, modelId, body);
        Behaviour behaviour = script.get();
        if (behaviour == null) {
            try {
                behaviour = Directives.fromRequest(body).orElse(Behaviour.echo());
            } catch (Directives.Invalid e) {
                throw new Refusal(BedrockErrorKind.VALIDATION, e.getMessage());
            }
        }
        Duration ttfb = behaviour.ttfb().orElse(options.ttfb());
        Duration tokenDelay = behaviour.tokenDelay().orElse(options.tokenDelay());
        long started = System.nanoTime();
        if (behaviour.kind() == Behaviour.Kind.ERROR
                || (behaviour.kind() == Behaviour.Kind.MIDSTREAM_ERROR && op == ValidationRules.Operation.INVOKE)) {
            sleep(ttfb);
            throw new Refusal(behaviour.error(), behaviour.text());
        }
        ModelCatalog.Model model = subject.m();
        PromptCache.Usage usage = cache.account(model.foundationId(), body);
        Answers.Planned plan = answers.plan(behaviour, body, model, modelId, usage);
        if (op == ValidationRules.Operation.INVOKE) {
            sleep(ttfb);
            sleep(tokenDelay.multipliedBy(plan.outputTokens()));
            byte[] out = JSON.writeValueAsBytes(plan.message());
            if (behaviour.kind() == Behaviour.Kind.TRUNCATE) {
                out = java.util.Arrays.copyOf(out, out.length / 2);
            }
            response.setStatus(200);
            response.getHeaders().put("Content-Type", "application/json");
            response.getHeaders().put("X-Amzn-Bedrock-Input-Token-Count", Integer.toString(usage.inputTokens()));
            response.getHeaders().put("X-Amzn-Bedrock-Output-Token-Count", Integer.toString(plan.outputTokens()));
            response.getHeaders().put("X-Amzn-Bedrock-Cache-Read-Input-Token-Count", Integer.toString(usage.cacheRead()));
            response.getHeaders().put("X-Amzn-Bedrock-Cache-Write-Input-Token-Count", Integer.toString(usage.cacheCreation()));
            response.getHeaders().put("X-Amzn-Bedrock-Invocation-Latency", Long.toString(millisSince(started)));
            write(response, true, ByteBuffer.wrap(out));
            return;
        }
        openStreams.incrementAndGet();
        try {
            stream(response, behaviour, plan, usage, ttfb, tokenDelay, started);
        } finally {
            openStreams.decrementAndGet();
        }
    }

    private void stream(Response response, Behaviour behaviour, Answers.Planned plan, PromptCache.Usage usage,
                        Duration ttfb, Duration tokenDelay, long started) throws IOException, InterruptedException {
        response.setStatus(200);
        response.getHeaders().put("Content-Type", "application/vnd.amazon.eventstream");
        response.getHeaders().put("X-Amzn-Bedrock-Content-Type", "application/json");
        write(response, false, ByteBuffer.allocate(0)); // commit the headers: Bedrock accepted the request
        sleep(ttfb);
        long firstByte = millisSince(started);
        List<Answers.Event> events = plan.events();
        for (int i = 0; i < events.size(); i++) {
            if (i == behaviour.count()) {
                switch (behaviour.kind()) {
                    case MIDSTREAM_ERROR -> {
                        write(response, false, failureFrame(behaviour.error(), behaviour.text()));
                        return;
                    }
                    case TRUNCATE -> {
                        return;
                    }
                    default -> {
                    }
                }
            }
            Answers.Event event = events.get(i);
            if (event.delta()) {
                sleep(tokenDelay);
            }
            ObjectNode json = event.json();
            if ("message_stop".equals(json.path("type").asText())) {
                json = json.deepCopy();
                ObjectNode metrics = json.putObject("amazon-bedrock-invocationMetrics");
                metrics.put("inputTokenCount", usage.inputTokens()).put("outputTokenCount", plan.outputTokens())
                        .put("invocationLatency", millisSince(started)).put("firstByteLatency", firstByte)
                        .put("cacheReadInputTokenCount", usage.cacheRead()).put("cacheWriteInputTokenCount", usage.cacheCreation());
            }
            ByteBuffer frame = EventStreamFrames.chunk(json.toString());
            if (behaviour.kind() == Behaviour.Kind.CORRUPT_FRAME && i == behaviour.count()) {
                write(response, false, EventStreamFrames.corrupt(frame));
                return;
            }
            write(response, false, frame);
        }
    }

    private static ByteBuffer failureFrame(BedrockErrorKind kind, String message) {
        if (kind.streamMember().isEmpty()) {
            return EventStreamFrames.error(kind.code(), message);
        }
        ObjectNode payload = F.objectNode().put("message", message);
        if (kind == BedrockErrorKind.MODEL_STREAM_ERROR) {
            payload.put("originalStatusCode", 500).put("originalMessage", "Internal server error");
        }
        return EventStreamFrames.exception(kind.streamMember().get(), payload.toString());
    }

    private void countTokens(Response response, String modelId, String rawBody) throws Refusal, IOException {
        JsonNode envelope = parseOrNull(rawBody);
        JsonNode input = envelope == null ? F.missingNode() : envelope.path("input");
        int tokens;
        if (input.path("converse").isObject()) {
            catalog.resolve(modelId).orElseThrow(() -> new Refusal(BedrockErrorKind.VALIDATION, "The provided model identifier is invalid."));
            tokens = TokenEstimate.inputTokens(input.path("converse"));
        } else {
            String encoded = input.path("invokeModel").path("body").asText(null);
            JsonNode inner = null;
            if (encoded != null) {
                try {
                    inner = parseOrNull(new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8));
                } catch (IllegalArgumentException e) {
                    inner = null;
                }
            }
            validate(ValidationRules.Operation.COUNT_TOKENS, modelId, inner);
            tokens = TokenEstimate.inputTokens(inner);
        }
        sendJson(response, 200, F.objectNode().put("inputTokens", tokens));
    }

    private void listInferenceProfiles(Request request, Response response) throws Refusal, IOException {
        Fields query = Request.extractQueryParameters(request);
        int max = parseInt(query.getValue("maxResults"), 1000);
        if (max < 1 || max > 1000) {
            throw new Refusal(BedrockErrorKind.VALIDATION, "1 validation error detected: Value '" + max
                    + "' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 1000");
        }
        int offset = 0;
        String token = query.getValue("nextToken");
        if (token != null && !token.isEmpty()) {
            try {
                offset = Integer.parseInt(new String(Base64.getDecoder().decode(token), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw new Refusal(BedrockErrorKind.VALIDATION, "The pagination token is invalid.");
            }
        }
        String type = query.getValue("type");
        List<ObjectNode> all = new ArrayList<>();
        if (type == null || type.equals("SYSTEM_DEFINED")) {
            for (ModelCatalog.Model m : catalog.models()) {
                for (String geo : ModelCatalog.GEOS) {
                    if (m.geos().contains(geo)) {
                        all.add(profileSummary(m, geo));
                    }
                }
            }
        }
        ObjectNode out = F.objectNode();
        ArrayNode page = out.putArray("inferenceProfileSummaries");
        for (int i = offset; i < Math.min(all.size(), offset + max); i++) {
            page.add(all.get(i));
        }
        if (offset + max < all.size()) {
            out.put("nextToken", Base64.getEncoder().encodeToString(Integer.toString(offset + max).getBytes(StandardCharsets.UTF_8)));
        }
        sendJson(response, 200, out);
    }

    private ObjectNode profileSummary(ModelCatalog.Model m, String geo) {
        String id = geo + "." + m.foundationId();
        String geoName = geo.equals("global") ? "Global" : geo.toUpperCase(Locale.ROOT);
        ObjectNode s = F.objectNode()
                .put("inferenceProfileName", geoName + " Anthropic " + m.displayName())
                .put("description", "Routes requests to Anthropic " + m.displayName() + " across " + geoName + " regions.")
                .put("createdAt", "2025-10-01T00:00:00Z")
                .put("updatedAt", "2025-10-01T00:00:00Z")
                .put("inferenceProfileArn", "arn:aws:bedrock:" + options.region() + ":" + ACCOUNT + ":inference-profile/" + id)
                .put("inferenceProfileId", id)
                .put("status", "ACTIVE")
                .put("type", "SYSTEM_DEFINED");
        s.putArray("models").addObject().put("modelArn", "arn:aws:bedrock:" + options.region() + "::foundation-model/" + m.foundationId());
        return s;
    }

    private void listFoundationModels(Response response) throws IOException {
        ObjectNode out = F.objectNode();
        ArrayNode list = out.putArray("modelSummaries");
        for (ModelCatalog.Model m : catalog.models()) {
            ObjectNode s = list.addObject()
                    .put("modelArn", "arn:aws:bedrock:" + options.region() + "::foundation-model/" + m.foundationId())
                    .put("modelId", m.foundationId())
                    .put("modelName", m.displayName())
                    .put("providerName", "Anthropic")
                    .put("responseStreamingSupported", true);
            s.putArray("inputModalities").add("TEXT").add("IMAGE");
            s.putArray("outputModalities").add("TEXT");
            s.putArray("customizationsSupported");
            s.putArray("inferenceTypesSupported").add(m.onDemand() ? "ON_DEMAND" : "INFERENCE_PROFILE");
            s.putObject("modelLifecycle").put("status", "ACTIVE");
        }
        sendJson(response, 200, out);
    }

    private static void sendError(Response response, BedrockErrorKind kind, String message) throws IOException {
        // The SDK reads the error code from x-amzn-ErrorType (text before ':'); the message from the body.
        response.getHeaders().put("x-amzn-ErrorType", kind == BedrockErrorKind.MISSING_AUTHENTICATION
                ? kind.code() : kind.code() + ERROR_NAMESPACE);
        sendJson(response, kind.status(), F.objectNode().put("message", message));
    }

    private static void sendJson(Response response, int status, JsonNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        response.setStatus(status);
        response.getHeaders().put("Content-Type", "application/json");
        response.getHeaders().put("Content-Length", Integer.toString(bytes.length));
        write(response, true, ByteBuffer.wrap(bytes));
    }

    private static void write(Response response, boolean last, ByteBuffer buffer) throws IOException {
        try (Blocker.Callback cb = Blocker.callback()) {
            response.write(last, buffer, cb);
            cb.block();
        }
    }

    private static byte[] readBody(Request request) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (var in = Content.Source.asInputStream(request)) {
            in.transferTo(out);
        }
        return out.toByteArray();
    }

    private static Map<String, List<String>> headers(Request request) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (HttpField f : request.getHeaders()) {
            out.computeIfAbsent(f.getLowerCaseName(), k -> new ArrayList<>()).add(f.getValue());
        }
        out.replaceAll((k, v) -> List.copyOf(v));
        return out;
    }

    private static List<String> segments(String rawPath) {
        List<String> out = new ArrayList<>();
        for (String s : (rawPath == null ? "" : rawPath).split("/")) {
            if (!s.isEmpty()) {
                out.add(s);
            }
        }
        return out;
    }

    /** Percent-decoding of one path segment ({@code %3A} → {@code :}, {@code %2F} → {@code /}); '+' stays '+'. */
    static String percentDecode(String segment) {
        byte[] raw = segment.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length);
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] == '%' && i + 2 < raw.length) {
                int hi = Character.digit(raw[i + 1], 16);
                int lo = Character.digit(raw[i + 2], 16);
                if (hi >= 0 && lo >= 0) {
                    out.write(hi * 16 + lo);
                    i += 2;
                    continue;
                }
            }
            out.write(raw[i]);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static int parseInt(String s, int fallback) {
        if (s == null || s.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }

    private static void sleep(Duration d) throws InterruptedException {
        if (!d.isZero() && !d.isNegative()) {
            Thread.sleep(d);
        }
    }
}
