package ccag.server.config;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.core.Configuration;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;

/** The gateway's configuration: one nested section per concern, read only by the composition root. */
public class CcagConfiguration extends Configuration {
    /** The URL users reach the gateway at; used for redirects and generated scripts. Empty: derived from the request (dev). */
    @JsonProperty
    private String publicUrl = "";
    /** Where dev mode keeps its embedded database and generated admin password. Empty: ~/.ccag. */
    @JsonProperty
    private String dataDir = "";

    @Valid
    @NotNull
    @JsonProperty
    private DatabaseConfig database = new DatabaseConfig();

    @Valid
    @NotNull
    @JsonProperty
    private UpstreamConfig upstream = new UpstreamConfig();

    @Valid
    @NotNull
    @JsonProperty
    private ProxyConfig proxy = new ProxyConfig();

    @Valid
    @NotNull
    @JsonProperty
    private AuthConfig auth = new AuthConfig();

    @Valid
    @NotNull
    @JsonProperty
    private OidcConfig oidc = new OidcConfig();

    @JsonIgnore
    private RunMode runMode = RunMode.SERVER;

    public String publicUrl() {
        return publicUrl == null ? "" : publicUrl.trim().replaceAll("/+$", "");
    }

    public Path dataDir() {
        if (dataDir == null || dataDir.isBlank()) {
            return Path.of(System.getProperty("user.home"), ".ccag");
        }
        return Path.of(dataDir.trim());
    }

    public DatabaseConfig database() {
        return database;
    }

    public UpstreamConfig upstream() {
        return upstream;
    }

    public ProxyConfig proxy() {
        return proxy;
    }

    public AuthConfig auth() {
        return auth;
    }

    public OidcConfig oidc() {
        return oidc;
    }

    public RunMode runMode() {
        return runMode;
    }

    public void runMode(RunMode mode) {
        this.runMode = mode;
    }
}
