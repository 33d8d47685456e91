package ccag.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.UUID;

/** {@code PUT /admin/users/{id}/team}; a null {@code team_id} removes the user from its team. */
public record SetTeamRequest(
    @JsonProperty("team_id") UUID teamId) {
}
