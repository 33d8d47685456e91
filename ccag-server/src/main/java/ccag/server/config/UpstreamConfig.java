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

    /** {@code h2} (the SDK's default for Bedrock) or {@code http1.1}. */
    @JsonProperty
    private String httpProtocol = "h2";
    @JsonProperty
    /**
     * Concurrent Bedrock calls (HTTP/2 streams or HTTP/1.1 connections). A streamed answer holds one
     * for minutes, so this bounds the number of simultaneous Claude Code turns per instance.
     */
    private int maxConnections = 4096;
    @JsonProperty
    private io.dropwizard.util.Duration connectTimeout = io.dropwizard.util.Duration.seconds(10);
    /** Longest silence inside a stream; a model may think for minutes before its next event. */
    @JsonProperty
    private io.dropwizard.util.Duration readTimeout = io.dropwizard.util.Duration.minutes(10);
    /** Whole-call limit for non-streaming calls. */
    @JsonProperty
    private io.dropwizard.util.Duration callTimeout = io.dropwizard.util.Duration.minutes(10);

    public enum Kind { BEDROCK, SIMULATOR }

    public boolean http2() {
        String p = httpProtocol == null ? "h2" : httpProtocol.trim().toLowerCase(Locale.ROOT);
        return switch (p) {
            case "", "h2", "http2", "http/2" -> true;
            case "http1.1", "http/1.1", "http1", "h1" -> false;
            default -> throw new StartupException("BEDROCK_HTTP_PROTOCOL must be h2 or http1.1, got '" + httpProtocol + "'");
        };
    }

    public int maxConnections() {
        return maxConnections;
    }

    public java.time.Duration connectTimeout() {
        return java.time.Duration.ofMillis(connectTimeout.toMilliseconds());
    }

    public java.time.Duration readTimeout() {
        return java.time.Duration.ofMillis(readTimeout.toMilliseconds());
    }

    public java.time.Duration callTimeout() {
        return java.time.Duration.ofMillis(callTimeout.toMilliseconds());
    }

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
