package ccag.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.UUID;

/** {@code POST /admin/keys}. {@code rate_limit_rpm} absent or 0 means unlimited. */
public record CreateKeyRequest(
    @NotBlank @Size(max = 200) @JsonProperty("name") String name,
    @PositiveOrZero @Max(1_000_000) @JsonProperty("rate_limit_rpm") Integer rateLimitRpm,
    @JsonProperty("user_id") UUID userId,
    @JsonProperty("team_id") UUID teamId,
    @JsonProperty("expires_at") Instant expiresAt) {
}
