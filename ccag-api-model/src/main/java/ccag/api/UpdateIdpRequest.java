package ccag.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Size;
import java.util.List;

/** {@code PATCH /admin/idps/{id}}: only the fields present change. */
public record UpdateIdpRequest(
    @Size(max = 200) @JsonProperty("name") String name,
    @Size(max = 2048) @JsonProperty("issuer_url") String issuerUrl,
    @Size(max = 512) @JsonProperty("audience") String audience,
    @Size(max = 512) @JsonProperty("client_id") String clientId,
    @Size(max = 2048) @JsonProperty("client_secret") String clientSecret,
    @JsonProperty("auto_provision") Boolean autoProvision,
    @JsonProperty("default_role") Role defaultRole,
    @JsonProperty("allowed_domains") List<String> allowedDomains,
    @JsonProperty("enabled") Boolean enabled) {
    @Override
    public String toString() {
        return "UpdateIdpRequest[name=" + name + ", clientSecret=" + (clientSecret == null ? "null" : "***") + "]";
    }
}
