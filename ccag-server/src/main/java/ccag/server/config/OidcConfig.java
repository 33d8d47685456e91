package ccag.server.config;

import ccag.api.Role;
import ccag.server.auth.oidc.Idp;
import ccag.server.auth.oidc.IssuerPolicy;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

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
    /** Display name on login buttons; empty: derived from the issuer (Okta, Entra ID, Google, …). */
    @JsonProperty
    private String name = "";
    /** Comma-separated e-mail domains allowed to sign in through the primary IdP; empty allows all. */
    @JsonProperty
    private String allowedDomains = "";
    /** Accept http:// issuers on a loopback address outside dev mode (local test IdPs only). */
    @JsonProperty
    private boolean allowHttpLoopback = false;
    /** Signing keys and discovery documents are re-fetched when older than this. */
    @JsonProperty
    private Duration jwksRefresh = Duration.hours(1);
    /** Tolerance on exp/nbf for clocks that drift between the IdP and the gateway. */
    @JsonProperty
    private Duration clockSkew = Duration.seconds(30);
    /** Least time between two key fetches from one IdP when tokens name an unknown kid. */
    @JsonProperty
    private Duration jwksMinRefresh = Duration.seconds(5);

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

    public List<String> allowedDomains() {
        return allowedDomains == null ? List.of() : Arrays.stream(allowedDomains.split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    public java.time.Duration jwksRefresh() {
        return java.time.Duration.ofMillis(jwksRefresh.toMilliseconds());
    }

    public java.time.Duration clockSkew() {
        return java.time.Duration.ofMillis(clockSkew.toMilliseconds());
    }

    public java.time.Duration jwksMinRefresh() {
        return java.time.Duration.ofMillis(jwksMinRefresh.toMilliseconds());
    }

    /** http:// loopback issuers are accepted in dev mode, or with the explicit flag. */
    public IssuerPolicy issuerPolicy(RunMode mode) {
        return new IssuerPolicy(allowHttpLoopback || mode == RunMode.DEV);
    }

    /** The well-known id of the environment's IdP (its row in identity_providers), the same on every instance. */
    public static final UUID PRIMARY_IDP_ID = UUID.fromString("00000000-0000-0000-0000-000000000002");

    /**
     * The primary IdP, or empty when OIDC_ISSUER is unset. Checks it at startup, so a typo is one
     * clear line instead of every login failing later.
     */
    public Optional<Idp> buildPrimary(RunMode mode, Instant now) {
        if (!isConfigured()) {
            return Optional.empty();
        }
        try {
            issuerPolicy(mode).checkIssuer(issuer());
        } catch (IllegalArgumentException e) {
            throw new StartupException("OIDC_ISSUER: " + e.getMessage().replace("issuer_url ", ""));
        }
        if (audience().isEmpty()) {
            throw new StartupException("OIDC_AUDIENCE is required when OIDC_ISSUER is set");
        }
        Role role;
        try {
            role = Role.fromWire(defaultRole());
        } catch (IllegalArgumentException e) {
            throw new StartupException("OIDC_DEFAULT_ROLE: " + e.getMessage());
        }
        return Optional.of(new Idp(PRIMARY_IDP_ID, name == null ? "" : name.trim(), issuer(), audience(),
                clientId(), clientSecret(), autoProvision, role, allowedDomains(), true, Idp.Source.ENV, now));
    }
}
