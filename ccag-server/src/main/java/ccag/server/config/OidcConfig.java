package ccag.server.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The primary identity provider, from OIDC_* environment variables; more come from /admin/idps. */
public class OidcConfig {
    @JsonProperty
    private String issuer = "";
    @JsonProperty
    private String audience = "";
    @JsonProperty
    private String clientId = "";
    @JsonProperty
    private String clientSecret = "";
    @JsonProperty
    private boolean autoProvision = true;
    @JsonProperty
    private String defaultRole = "member";

    public String issuer() {
        return issuer == null ? "" : issuer.trim();
    }

    public String audience() {
        return audience == null ? "" : audience.trim();
    }

    public String clientId() {
        return clientId == null || clientId.isBlank() ? audience() : clientId.trim();
    }

    public String clientSecret() {
        return clientSecret == null ? "" : clientSecret;
    }

    public boolean autoProvision() {
        return autoProvision;
    }

    public String defaultRole() {
        return defaultRole == null || defaultRole.isBlank() ? "member" : defaultRole.trim();
    }

    public boolean isConfigured() {
        return !issuer().isEmpty();
    }
}
