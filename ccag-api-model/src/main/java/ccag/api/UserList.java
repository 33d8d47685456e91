package ccag.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** {@code GET /admin/users}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record UserList(
    @JsonProperty("users") List<UserView> users,
    @JsonProperty("next_offset") Integer nextOffset) {
}
