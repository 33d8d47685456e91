package ccag.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** {@code GET /admin/models}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelMappingList(
    @JsonProperty("models") List<ModelMappingView> models) {
}
