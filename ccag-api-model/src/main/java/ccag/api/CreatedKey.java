package ccag.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.UUID;

/** The answer to a key creation: the only time the secret {@code key} is shown. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CreatedKey(
    @JsonProperty("key") String key,
    @JsonProperty("id") UUID id,
    @JsonProperty("prefix") String prefix,
    @JsonProperty("name") String name,
    @JsonProperty("created_at") Instant createdAt,
    @JsonProperty("user_id") UUID userId,
    @JsonProperty("team_id") UUID teamId,
    @JsonProperty("rate_limit_rpm") Integer rateLimitRpm,
    @JsonProperty("expires_at") Instant expiresAt) {
    @Override
    public String toString() {
        return "CreatedKey[id=" + id + ", prefix=" + prefix + ", name=" + name + ", key=***]";
    }
}
