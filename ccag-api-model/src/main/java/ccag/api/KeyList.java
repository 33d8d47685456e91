package ccag.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** {@code GET /admin/keys}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record KeyList(
    @JsonProperty("keys") List<KeyView> keys,
    @JsonProperty("next_offset") Integer nextOffset) {
}
