package ccag.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.util.List;

/** {@code POST /admin/idps}, with the fields of the auth guide plus {@code enabled} and the OAuth client used for browser logins. */
public record CreateIdpRequest(
    @NotBlank @Size(max = 200) @JsonProperty("name") String name,
    @NotBlank @Size(max = 2048) @JsonProperty("issuer_url") String issuerUrl,
    @NotBlank @Size(max = 512) @JsonProperty("audience") String audience,
    @Size(max = 512) @JsonProperty("client_id") String clientId,
    @Size(max = 2048) @JsonProperty("client_secret") String clientSecret,
    @JsonProperty("auto_provision") Boolean autoProvision,
    @JsonProperty("default_role") Role defaultRole,
    @JsonProperty("allowed_domains") List<String> allowedDomains,
    @JsonProperty("enabled") Boolean enabled) {
    @Override
    public String toString() {
        return "CreateIdpRequest[name=" + name + ", issuerUrl=" + issuerUrl + ", clientSecret=" + (clientSecret == null ? "null" : "***") + "]";
    }
}
