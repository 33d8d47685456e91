package ccag.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code GET /auth/cli/login}: what the CLI needs to send the user to the browser and poll for the result. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CliLoginStart(
    @JsonProperty("session_code") String sessionCode,
    @JsonProperty("login_url") String loginUrl,
    @JsonProperty("poll_secret") String pollSecret,
    @JsonProperty("verification_code") String verificationCode,
    @JsonProperty("expires_in") Integer expiresIn,
    @JsonProperty("interval") Integer interval) {
    @Override
    public String toString() {
        return "CliLoginStart[sessionCode=" + sessionCode + ", loginUrl=" + loginUrl + ", pollSecret=***]";
    }
}
