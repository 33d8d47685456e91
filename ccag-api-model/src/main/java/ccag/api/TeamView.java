package ccag.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.UUID;

/** A team. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TeamView(
    @JsonProperty("id") UUID id,
    @JsonProperty("name") String name,
    @JsonProperty("member_count") Integer memberCount,
    @JsonProperty("created_at") Instant createdAt) {
}
