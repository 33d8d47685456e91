package ccag.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** {@code GET /admin/teams}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TeamList(
    @JsonProperty("teams") List<TeamView> teams,
    @JsonProperty("next_offset") Integer nextOffset) {
}
