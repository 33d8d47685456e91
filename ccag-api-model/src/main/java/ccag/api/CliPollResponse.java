package ccag.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/** {@code GET /auth/cli/poll}: {@code status} is pending, complete (with the token, once) or expired. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CliPollResponse(
    @JsonProperty("status") String status,
    @JsonProperty("token") String token,
    @JsonProperty("expires_at") Instant expiresAt) {
    @Override
    public String toString() {
        return "CliPollResponse[status=" + status + ", token=" + (token == null ? "null" : "***") + "]";
    }
}
