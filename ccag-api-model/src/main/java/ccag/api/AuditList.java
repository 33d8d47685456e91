package ccag.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** {@code GET /admin/audit}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AuditList(
    @JsonProperty("events") List<AuditEvent> events,
    @JsonProperty("next_offset") Integer nextOffset) {
}
