package ccag.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** {@code PUT /admin/models/{model}}. */
public record SetModelMappingRequest(
    @NotBlank @Size(max = 2048) @JsonProperty("bedrock_model_id") String bedrockModelId) {
}
