package ccag.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** {@code GET /admin/idps}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record IdpList(
    @JsonProperty("idps") List<IdpView> idps) {
}
