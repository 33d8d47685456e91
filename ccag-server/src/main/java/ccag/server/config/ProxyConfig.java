package ccag.server.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.DataSize;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/** The /v1 proxy: body limit, streaming keep-alive and the pre-commit retry policy. */
public class ProxyConfig {
    /** Bodies over this are refused with 413 before anything is sent to Bedrock. */
    @JsonProperty
    private DataSize maxBodySize = DataSize.megabytes(20);
    /** A ping event while Bedrock is silent, so proxies and clients do not time out the stream. */
    @JsonProperty
    private Duration pingInterval = Duration.seconds(10);
    /** How long to wait for Bedrock's first event before answering 504. */
    @JsonProperty
    private Duration firstEventTimeout = Duration.minutes(5);
    /** Attempts per request for retryable Bedrock failures (throttling, 5xx), only before the first byte is sent. */
    @Min(1)
    @Max(10)
    @JsonProperty
    private int maxAttempts = 3;
    /** Pause before a retry (doubled each time). */
    @JsonProperty
    private Duration retryBackoff = Duration.milliseconds(250);
    /** Seconds suggested to clients in retry-after when Bedrock throttles. */
    @JsonProperty
    private int throttleRetryAfterSeconds = 5;

    /** Model names mapped to Bedrock ids or inference profiles, ahead of discovery and the built-in table. */
    @JsonProperty
    private java.util.Map<String, String> modelMappings = new java.util.LinkedHashMap<>();
    /** Betas to forward although the built-in table drops them (Bedrock gained support). */
    @JsonProperty
    private java.util.List<String> extraAllowedBetas = new java.util.ArrayList<>();
    /** Betas to drop although the built-in table forwards them. */
    @JsonProperty
    private java.util.List<String> extraDroppedBetas = new java.util.ArrayList<>();

    /** A JSON file of prices (the shape of the built-in prices.json) for models it lacks or prices differently. */
    @JsonProperty
    private String pricesFile = "";

    public java.util.Optional<java.nio.file.Path> pricesFile() {
        return pricesFile == null || pricesFile.isBlank() ? java.util.Optional.empty()
                : java.util.Optional.of(java.nio.file.Path.of(pricesFile.trim()));
    }

    public java.util.Map<String, String> modelMappings() {
        return modelMappings == null ? java.util.Map.of() : java.util.Map.copyOf(modelMappings);
    }

    public java.util.List<String> extraAllowedBetas() {
        return extraAllowedBetas == null ? java.util.List.of() : extraAllowedBetas.stream().filter(b -> !b.isBlank()).map(String::trim).toList();
    }

    public java.util.List<String> extraDroppedBetas() {
        return extraDroppedBetas == null ? java.util.List.of() : extraDroppedBetas.stream().filter(b -> !b.isBlank()).map(String::trim).toList();
    }

    public long maxBodyBytes() {
        return maxBodySize.toBytes();
    }

    public java.time.Duration pingInterval() {
        return java.time.Duration.ofMillis(pingInterval.toMilliseconds());
    }

    public java.time.Duration firstEventTimeout() {
        return java.time.Duration.ofMillis(firstEventTimeout.toMilliseconds());
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    public java.time.Duration retryBackoff() {
        return java.time.Duration.ofMillis(retryBackoff.toMilliseconds());
    }

    public int throttleRetryAfterSeconds() {
        return throttleRetryAfterSeconds;
    }
}
