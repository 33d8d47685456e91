package ccag.server.proxy.translate;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code POST /v1/messages/count_tokens} (spec §4): the body is translated with the same rules as
 * Messages ({@link RequestTranslator#translateForCountTokens}), and Bedrock's CountTokens is called
 * with the <b>base foundation model id</b> (inference-profile ids and ARNs are refused by it) and
 * {@code input.invokeModel.body} = that InvokeModel body (the SDK base64-encodes it). The local
 * {@link TokenEstimator estimate} is the fallback when CountTokens is unavailable for the model.
 */
public final class CountTokens {
    private final RequestTranslator translator;

    public CountTokens(RequestTranslator translator) {
        this.translator = Objects.requireNonNull(translator);
    }

    /**
     * @param baseModelId      the model id for CountTokens ({@code anthropic.…}); empty for ARNs
     *                         (look the underlying model up, or use the estimate)
     * @param profileModelId   the id Messages would call, for the one retry the spec allows
     * @param request          the translated request; its {@code bodyBytes()} go in {@code invokeModel.body}
     * @param localEstimate    the fallback count
     */
    public record Call(Optional<String> baseModelId, String profileModelId, BedrockRequest request, long localEstimate) {
    }

    public Call prepare(ObjectNode clientBody, List<String> betaHeaders, ResolvedModel model) {
        BedrockRequest request = translator.translateForCountTokens(clientBody, betaHeaders, model);
        return new Call(model.baseModelId(), model.bedrockModelId(), request, TokenEstimator.estimate(clientBody));
    }

    /** {@code {"input_tokens": N}}. */
    public static ObjectNode responseBody(long inputTokens) {
        return Json.NODES.objectNode().put("input_tokens", inputTokens);
    }
}
