package ccag.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/** A session token issued by {@code POST /auth/login} or a browser login. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LoginResponse(
    @JsonProperty("token") String token,
    @JsonProperty("expires_at") Instant expiresAt) {
    @Override
    public String toString() {
        return "LoginResponse[token=***, expiresAt=" + expiresAt + "]";
    }
}
