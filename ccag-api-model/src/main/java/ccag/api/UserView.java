package ccag.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.UUID;

/** A user as the admin API shows it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record UserView(
    @JsonProperty("id") UUID id,
    @JsonProperty("subject") String subject,
    @JsonProperty("email") String email,
    @JsonProperty("role") Role role,
    @JsonProperty("idp_id") UUID idpId,
    @JsonProperty("team_id") UUID teamId,
    @JsonProperty("active") Boolean active,
    @JsonProperty("created_at") Instant createdAt,
    @JsonProperty("last_seen_at") Instant lastSeenAt) {
}
