package ccag.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** One admin mutation: who did what to which target, when and from where. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AuditEvent(
    @JsonProperty("id") UUID id,
    @JsonProperty("at") Instant at,
    @JsonProperty("actor_user_id") UUID actorUserId,
    @JsonProperty("actor") String actor,
    @JsonProperty("action") String action,
    @JsonProperty("target_type") String targetType,
    @JsonProperty("target_id") String targetId,
    @JsonProperty("client_address") String clientAddress,
    @JsonProperty("details") Map<String, Object> details) {
}
