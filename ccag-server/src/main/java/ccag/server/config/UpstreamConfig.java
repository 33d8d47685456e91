package ccag.server.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import java.util.Locale;

/**
 * Which Bedrock the gateway talks to. {@code mode}: {@code auto} (dev → the built-in simulator
 * unless an endpoint is set; server → Amazon Bedrock), {@code bedrock}, or {@code simulator}.
 */
public class UpstreamConfig {
    @JsonProperty
    private String mode = "auto";
    @JsonProperty
    private String region = "us-east-1";
    /** Endpoint override for the runtime API (VPC endpoint, proxy, emulator); the SDK's AWS_ENDPOINT_URL_BEDROCK_RUNTIME. */
    @JsonProperty
    private String endpoint = "";
    /** Endpoint override for the control-plane API (ListInferenceProfiles); AWS_ENDPOINT_URL_BEDROCK. */
    @JsonProperty
    private String controlEndpoint = "";
    /** Added latency of the built-in simulator, so demos and benchmarks look like real streams: time to first byte. */
    @JsonProperty
    private Duration simulatorTtfb = Duration.milliseconds(0);
    /** Added latency of the built-in simulator: delay before each streamed token. */
    @JsonProperty
    private Duration simulatorTokenDelay = Duration.milliseconds(0);

    public enum Kind { BEDROCK, SIMULATOR }

    public Kind resolve(RunMode runMode) {
        String m = mode == null ? "auto" : mode.trim().toLowerCase(Locale.ROOT);
        return switch (m) {
            case "", "auto" -> runMode == RunMode.DEV && endpoint().isEmpty() ? Kind.SIMULATOR : Kind.BEDROCK;
            case "bedrock" -> Kind.BEDROCK;
            case "simulator" -> Kind.SIMULATOR;
            default -> throw new StartupException("CCAG_UPSTREAM must be bedrock or simulator, got '" + mode + "'");
        };
    }

    public String region() {
        return region == null || region.isBlank() ? "us-east-1" : region.trim();
    }

    public String endpoint() {
        return endpoint == null ? "" : endpoint.trim();
    }

    public void useEndpoint(String endpoint) {
        this.endpoint = endpoint;
    }

    /** Points both the runtime and the control-plane API at one endpoint (the in-process simulator). */
    public void useEndpoints(String endpoint) {
        this.endpoint = endpoint;
        this.controlEndpoint = endpoint;
    }

    public java.time.Duration simulatorTtfb() {
        return simulatorTtfb == null ? java.time.Duration.ZERO : simulatorTtfb.toJavaDuration();
    }

    public java.time.Duration simulatorTokenDelay() {
        return simulatorTokenDelay == null ? java.time.Duration.ZERO : simulatorTokenDelay.toJavaDuration();
    }

    public String controlEndpoint() {
        return controlEndpoint == null || controlEndpoint.isBlank() ? endpoint() : controlEndpoint.trim();
    }
}
