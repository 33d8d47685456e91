package ccag.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** {@code POST /admin/teams}. */
public record CreateTeamRequest(
    @NotBlank @Size(max = 200) @JsonProperty("name") String name) {
}
