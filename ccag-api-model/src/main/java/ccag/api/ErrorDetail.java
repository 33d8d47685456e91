package ccag.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** The inner part of an error response: a machine-readable type, a human message, and the offending field where there is one. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ErrorDetail(
    @JsonProperty("type") String type,
    @JsonProperty("message") String message,
    @JsonProperty("field") String field) {
}
