package ccag.server.proxy.translate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * A translated request, ready for InvokeModel / InvokeModelWithResponseStream. Treat {@link #body()}
 * as read-only: it shares unchanged subtrees with the client's body.
 */
public final class BedrockRequest {
    private final ResolvedModel model;
    private final boolean stream;
    private final ObjectNode body;
    private final List<String> forwardedBetas;
    private final Map<String, BetaPolicy.Reason> droppedBetas;
    private final List<String> unknownFields;
    private final List<String> removedFields;
    private final List<String> removedTools;
    private final Source source;
    private final boolean retry;
    private byte[] bytes;

    /** What the request was translated from, kept so a rejection can be retried from scratch. */
    record Source(ObjectNode clientBody, List<String> betaHeaders, boolean countTokens) {
    }

    BedrockRequest(ResolvedModel model, boolean stream, ObjectNode body, List<String> forwardedBetas,
                   Map<String, BetaPolicy.Reason> droppedBetas, List<String> unknownFields, List<String> removedFields,
                   List<String> removedTools, Source source, boolean retry) {
        this.model = model;
        this.stream = stream;
        this.body = body;
        this.forwardedBetas = List.copyOf(forwardedBetas);
        this.droppedBetas = java.util.Collections.unmodifiableMap(droppedBetas);
        this.unknownFields = List.copyOf(unknownFields);
        this.removedFields = List.copyOf(removedFields);
        this.removedTools = List.copyOf(removedTools);
        this.source = source;
        this.retry = retry;
    }

    /** The resolved model; {@code model().bedrockModelId()} is the SDK call's model id. */
    public ResolvedModel model() {
        return model;
    }

    public String modelId() {
        return model.bedrockModelId();
    }

    /** True: InvokeModelWithResponseStream; false: InvokeModel. */
    public boolean stream() {
        return stream;
    }

    /** The Bedrock body (no {@code model}, no {@code stream}). Read-only. */
    public ObjectNode body() {
        return body;
    }

    /** The body as UTF-8 JSON bytes, serialised once. Compare its length with the body limit before calling. */
    public synchronized byte[] bodyBytes() {
        if (bytes == null) {
            try {
                bytes = Json.MAPPER.writeValueAsBytes(body);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("a JSON tree always serialises", e);
            }
        }
        return bytes;
    }

    /** The betas in {@code anthropic_beta}, in order. */
    public List<String> forwardedBetas() {
        return forwardedBetas;
    }

    /** The betas the client sent that were not forwarded, with the reason. */
    public Map<String, BetaPolicy.Reason> droppedBetas() {
        return droppedBetas;
    }

    /** Top-level fields of the client body that no rule knows (names only; log at debug). */
    public List<String> unknownFields() {
        return unknownFields;
    }

    /**
     * Known fields removed on purpose, as paths ({@code context_management}, {@code thinking.display},
     * {@code tools[].defer_loading}, {@code messages[1]} for a folded system message, ...).
     */
    public List<String> removedFields() {
        return removedFields;
    }

    /** Names (or types) of tools removed because Bedrock does not run them (web search, code execution, ...). */
    public List<String> removedTools() {
        return removedTools;
    }

    /** True for the one retry produced by learning from a rejection. */
    public boolean isRetry() {
        return retry;
    }

    Source source() {
        return source;
    }
}
