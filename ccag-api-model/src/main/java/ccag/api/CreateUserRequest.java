package ccag.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.util.UUID;

/** {@code POST /admin/users}. Without {@code idp_id} the user belongs to the primary identity provider. */
public record CreateUserRequest(
    @NotBlank @Size(max = 255) @JsonProperty("subject") String subject,
    @Size(max = 320) @JsonProperty("email") String email,
    @JsonProperty("role") Role role,
    @JsonProperty("idp_id") UUID idpId,
    @JsonProperty("team_id") UUID teamId) {
}
