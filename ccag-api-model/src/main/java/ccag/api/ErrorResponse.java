package ccag.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** Every error of the gateway: {@code {"type":"error","error":{...},"request_id":"..."}}, the same outer shape as Anthropic's errors. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ErrorResponse(
    @JsonProperty("type") String type,
    @JsonProperty("error") ErrorDetail error,
    @JsonProperty("request_id") String requestId) {
    public static ErrorResponse of(String errorType, String message, String field, String requestId) {
        return new ErrorResponse("error", new ErrorDetail(errorType, message, field), requestId);
    }
}
