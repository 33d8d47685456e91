package ccag.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.NotBlank;

/** {@code POST /auth/login} body. */
public record LoginRequest(
    @NotBlank @JsonProperty("username") String username,
    @NotBlank @JsonProperty("password") String password) {
    @Override
    public String toString() {
        return "LoginRequest[username=" + username + ", password=***]";
    }
}
