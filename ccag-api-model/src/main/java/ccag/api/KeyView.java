package ccag.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.UUID;

/** A virtual key as listed and shown: never the secret. {@code status} is active, revoked or expired. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record KeyView(
    @JsonProperty("id") UUID id,
    @JsonProperty("prefix") String prefix,
    @JsonProperty("name") String name,
    @JsonProperty("status") String status,
    @JsonProperty("user_id") UUID userId,
    @JsonProperty("team_id") UUID teamId,
    @JsonProperty("rate_limit_rpm") Integer rateLimitRpm,
    @JsonProperty("created_at") Instant createdAt,
    @JsonProperty("expires_at") Instant expiresAt,
    @JsonProperty("revoked_at") Instant revokedAt,
    @JsonProperty("last_used_at") Instant lastUsedAt) {
}
