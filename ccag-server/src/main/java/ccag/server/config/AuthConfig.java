package ccag.server.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/** Tier 1 (bootstrap admin, session tokens), login brute-force protection, and change propagation. */
public class AuthConfig {
    @JsonProperty
    private String adminUsername = "admin";
    @JsonProperty
    private String adminPassword = "";
    @JsonProperty
    private Duration sessionTtl = Duration.hours(24);
    /** Failed logins for one username within loginWindow before it is locked. */
    @Min(1)
    @Max(1000)
    @JsonProperty
    private int loginMaxFailures = 5;
    /** Failed logins from one client address within loginWindow before it is locked (higher: offices share an address). */
    @Min(1)
    @Max(100000)
    @JsonProperty
    private int loginMaxAddressFailures = 20;
    @JsonProperty
    private Duration loginWindow = Duration.minutes(15);
    /** First lockout; each further failure doubles it up to loginMaxLockout. */
    @JsonProperty
    private Duration loginLockout = Duration.minutes(1);
    @JsonProperty
    private Duration loginMaxLockout = Duration.minutes(15);
    /** Extra delay per failed login after the first, up to 3 s: slows guessing before the lockout. */
    @JsonProperty
    private Duration loginSlowdown = Duration.milliseconds(500);
    /** How often each instance compares change versions with the database: heals a lost notification within this time. */
    @JsonProperty
    private Duration changePollInterval = Duration.seconds(2);

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

    public int loginMaxFailures() {
        return loginMaxFailures;
    }

    public int loginMaxAddressFailures() {
        return loginMaxAddressFailures;
    }

    public java.time.Duration loginWindow() {
        return java.time.Duration.ofMillis(loginWindow.toMilliseconds());
    }

    public java.time.Duration loginLockout() {
        return java.time.Duration.ofMillis(loginLockout.toMilliseconds());
    }

    public java.time.Duration loginMaxLockout() {
        return java.time.Duration.ofMillis(loginMaxLockout.toMilliseconds());
    }

    public java.time.Duration loginSlowdown() {
        return java.time.Duration.ofMillis(loginSlowdown.toMilliseconds());
    }

    public java.time.Duration changePollInterval() {
        long ms = Math.max(100, Math.min(changePollInterval.toMilliseconds(), 5000));
        return java.time.Duration.ofMillis(ms);
    }
}
