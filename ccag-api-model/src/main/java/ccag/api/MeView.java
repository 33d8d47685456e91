package ccag.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.UUID;

/** {@code GET /auth/me}: who the caller is and how it authenticated ({@code auth_method}: virtual_key, session, oidc). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MeView(
    @JsonProperty("user_id") UUID userId,
    @JsonProperty("subject") String subject,
    @JsonProperty("email") String email,
    @JsonProperty("role") Role role,
    @JsonProperty("team_id") UUID teamId,
    @JsonProperty("idp_id") UUID idpId,
    @JsonProperty("auth_method") String authMethod,
    @JsonProperty("key_id") UUID keyId,
    @JsonProperty("expires_at") Instant expiresAt) {
}
