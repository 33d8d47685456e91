package ccag.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** {@code PATCH /admin/teams/{id}}. */
public record UpdateTeamRequest(
    @NotBlank @Size(max = 200) @JsonProperty("name") String name) {
}
