package ccag.server.auth.oidc;

import ccag.api.Role;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;

/**
 * One identity provider as the gateway trusts it: where its tokens come from ({@code issuer}), whom
 * they must be meant for ({@code audience}), the OAuth client used for browser logins, and what
 * happens on a first login.
 *
 * @param clientSecret empty for a public client (PKCE alone)
 * @param allowedDomains lower-case e-mail domains; empty allows every domain
 */
public record Idp(UUID id, String name, String issuer, String audience, String clientId, String clientSecret,
                  boolean autoProvision, Role defaultRole, List<String> allowedDomains, boolean enabled,
                  Source source, Instant createdAt) {

    /** Where an IdP is configured: the environment (read-only) or the admin API. */
    public enum Source {
        ENV("env"), ADMIN("admin");

        private final String wire;

        Source(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }

        public static Source fromWire(String value) {
            return "env".equals(value) ? ENV : ADMIN;
        }
    }

    public Idp {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(audience, "audience");
        Objects.requireNonNull(defaultRole, "defaultRole");
        Objects.requireNonNull(source, "source");
        name = name == null || name.isBlank() ? deriveName(issuer) : name;
        clientId = clientId == null || clientId.isBlank() ? audience : clientId;
        clientSecret = clientSecret == null ? "" : clientSecret;
        allowedDomains = allowedDomains == null ? List.of() : allowedDomains.stream()
                .map(Idp::normalizeDomain).filter(d -> !d.isEmpty()).distinct().toList();
    }

    /** A display name from the issuer, for an IdP configured without one. */
    public static String deriveName(String issuer) {
        String i = issuer.toLowerCase(Locale.ROOT);
        if (i.contains("okta.com")) {
            return "Okta";
        }
        if (i.contains("login.microsoftonline.com")) {
            return "Entra ID";
        }
        if (i.contains("accounts.google.com")) {
            return "Google";
        }
        if (i.contains("auth0.com")) {
            return "Auth0";
        }
        if (i.contains("/realms/")) {
            return "Keycloak";
        }
        return "SSO";
    }

    /** {@code "@Example.com "} and {@code "example.com"} name the same domain. */
    public static String normalizeDomain(String domain) {
        if (domain == null) {
            return "";
        }
        String d = domain.trim().toLowerCase(Locale.ROOT);
        return d.startsWith("@") ? d.substring(1) : d;
    }

    /** Whether an e-mail address may sign in through this IdP: always when no domain is listed, else an exact domain match. */
    public boolean allowsEmail(String email) {
        if (allowedDomains.isEmpty()) {
            return true;
        }
        if (email == null) {
            return false;
        }
        int at = email.lastIndexOf('@');
        if (at < 1 || at == email.length() - 1) {
            return false;
        }
        return allowedDomains.contains(email.substring(at + 1).trim().toLowerCase(Locale.ROOT));
    }

    public boolean isPublicClient() {
        return clientSecret.isEmpty();
    }

    @Override
    public String toString() {
        return "Idp[id=" + id + ", name=" + name + ", issuer=" + issuer + ", audience=" + audience
                + ", clientSecret=" + (clientSecret.isEmpty() ? "none" : "***") + ", source=" + source.wire() + "]";
    }
}
