package ccag.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** An identity provider; {@code source} is env (read-only, from OIDC_ISSUER) or admin. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record IdpView(
    @JsonProperty("id") UUID id,
    @JsonProperty("name") String name,
    @JsonProperty("issuer_url") String issuerUrl,
    @JsonProperty("audience") String audience,
    @JsonProperty("client_id") String clientId,
    @JsonProperty("auto_provision") Boolean autoProvision,
    @JsonProperty("default_role") Role defaultRole,
    @JsonProperty("allowed_domains") List<String> allowedDomains,
    @JsonProperty("enabled") Boolean enabled,
    @JsonProperty("source") String source,
    @JsonProperty("created_at") Instant createdAt) {
}
