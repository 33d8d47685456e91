package ccag.server.persistence;

import java.time.Instant;
import java.util.UUID;

/** One row of identity_providers. {@code clientSecret} is sent to the IdP, so it cannot be stored hashed. */
public record IdpRow(UUID id, String name, String issuerUrl, String audience, String clientId, String clientSecret,
                     boolean autoProvision, String defaultRole, String[] allowedDomains, boolean enabled, String source,
                     Instant createdAt) {
    @Override
    public String toString() {
        return "IdpRow[id=" + id + ", name=" + name + ", issuerUrl=" + issuerUrl + ", source=" + source + "]";
    }
}
