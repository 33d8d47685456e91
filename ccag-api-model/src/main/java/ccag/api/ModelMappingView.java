package ccag.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** How a model name a client sends maps to a Bedrock model id; {@code source} is admin, config, discovery or builtin. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelMappingView(
    @JsonProperty("model") String model,
    @JsonProperty("bedrock_model_id") String bedrockModelId,
    @JsonProperty("source") String source,
    @JsonProperty("verified") Boolean verified) {
}
