package ccag.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Size;

/** {@code PATCH /admin/users/{id}}: only the fields present change. */
public record UpdateUserRequest(
    @JsonProperty("role") Role role,
    @JsonProperty("active") Boolean active,
    @Size(max = 320) @JsonProperty("email") String email) {
}
