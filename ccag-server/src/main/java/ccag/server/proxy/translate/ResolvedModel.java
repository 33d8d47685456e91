package ccag.server.proxy.translate;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A client's model name resolved to what Bedrock is called with.
 *
 * @param requested         the {@code model} string exactly as the client sent it
 * @param clientModel       {@code requested} minus a trailing {@code [..]} suffix: echoed in responses (spec §1.11.4)
 * @param bedrockModelId    the model id of the SDK call: an inference profile id, a foundation id, or an ARN
 * @param oneMillionContext the client asked for the {@code [1m]} variant
 * @param family            the model family, for per-model rules
 * @param source            where the mapping came from
 */
public record ResolvedModel(String requested, String clientModel, String bedrockModelId, boolean oneMillionContext,
                            ModelFamily family, Source source) {
    private static final Pattern GEO_PREFIX = Pattern.compile("^[a-z]{2,}(?:-[a-z]+)?\\.(?=anthropic\\.)");

    /** Where a mapping came from, in resolution order. */
    public enum Source {
        /** The client sent a Bedrock id or an ARN, used unchanged. */
        PASSTHROUGH,
        /** An administrator's mapping (database). */
        ADMIN,
        /** The configuration file. */
        CONFIG,
        /** A discovered inference profile (ListInferenceProfiles), matched by base name. */
        DISCOVERED,
        /** The built-in seed, a row from the spec's tables. */
        SEED,
        /** The built-in seed, a row newer than the spec's tables (not verified against Bedrock). */
        SEED_UNVERIFIED
    }

    public ResolvedModel {
        Objects.requireNonNull(requested, "requested");
        Objects.requireNonNull(clientModel, "clientModel");
        Objects.requireNonNull(bedrockModelId, "bedrockModelId");
        Objects.requireNonNull(family, "family");
        Objects.requireNonNull(source, "source");
    }

    /** The model name to put in response bodies and {@code message_start}: the client's, never a Bedrock id it did not send. */
    public String responseModel() {
        return clientModel;
    }

    public boolean isArn() {
        return bedrockModelId.startsWith("arn:");
    }

    /** False for seed rows newer than the spec's tables. */
    public boolean verified() {
        return source != Source.SEED_UNVERIFIED;
    }

    /**
     * The foundation model id CountTokens accepts (spec §4.2): the geo prefix removed
     * ({@code us.anthropic.x} → {@code anthropic.x}). Empty for ARNs, whose underlying model
     * must be looked up by the caller.
     */
    public Optional<String> baseModelId() {
        if (isArn()) {
            return Optional.empty();
        }
        return Optional.of(GEO_PREFIX.matcher(bedrockModelId).replaceFirst(""));
    }
}
