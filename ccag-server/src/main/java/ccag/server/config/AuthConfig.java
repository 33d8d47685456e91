package ccag.server.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;

/** Tier 1 (bootstrap admin, session tokens) settings. */
public class AuthConfig {
    @JsonProperty
    private String adminUsername = "admin";
    @JsonProperty
    private String adminPassword = "";
    @JsonProperty
    private Duration sessionTtl = Duration.hours(24);

    public String adminUsername() {
        return adminUsername == null || adminUsername.isBlank() ? "admin" : adminUsername.trim();
    }

    /** The configured admin password, or empty when none was given. */
    public String adminPassword() {
        return adminPassword == null ? "" : adminPassword;
    }

    public java.time.Duration sessionTtl() {
        return java.time.Duration.ofMillis(sessionTtl.toMilliseconds());
    }
}
