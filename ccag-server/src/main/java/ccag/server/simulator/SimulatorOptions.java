package ccag.server.simulator;

import java.time.Duration;
import java.util.Objects;

/**
 * How a simulator listens and behaves by default.
 *
 * @param host             the address to bind; loopback unless the simulator must serve other machines
 * @param port             0 picks a free port
 * @param region           the region named in ARNs of the listings
 * @param ttfb             default time to first byte of every answer
 * @param tokenDelay       default delay before each streamed delta
 * @param receivedCapacity how many received requests {@link BedrockSimulator#received()} keeps
 */
public record SimulatorOptions(String host, int port, String region, Duration ttfb, Duration tokenDelay, int receivedCapacity) {
    public SimulatorOptions {
        Objects.requireNonNull(host);
        Objects.requireNonNull(region);
        Objects.requireNonNull(ttfb);
        Objects.requireNonNull(tokenDelay);
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535");
        }
        if (receivedCapacity < 0) {
            throw new IllegalArgumentException("receivedCapacity must be >= 0");
        }
    }

    /** Loopback, a free port, us-east-1, no added latency, the last 1,000 requests kept. */
    public static SimulatorOptions defaults() {
        return new SimulatorOptions("127.0.0.1", 0, "us-east-1", Duration.ZERO, Duration.ZERO, 1000);
    }

    public SimulatorOptions withHost(String h) {
        return new SimulatorOptions(h, port, region, ttfb, tokenDelay, receivedCapacity);
    }

    public SimulatorOptions withPort(int p) {
        return new SimulatorOptions(host, p, region, ttfb, tokenDelay, receivedCapacity);
    }

    public SimulatorOptions withRegion(String r) {
        return new SimulatorOptions(host, port, r, ttfb, tokenDelay, receivedCapacity);
    }

    public SimulatorOptions withTtfb(Duration d) {
        return new SimulatorOptions(host, port, region, d, tokenDelay, receivedCapacity);
    }

    public SimulatorOptions withTokenDelay(Duration d) {
        return new SimulatorOptions(host, port, region, ttfb, d, receivedCapacity);
    }

    public SimulatorOptions withReceivedCapacity(int n) {
        return new SimulatorOptions(host, port, region, ttfb, tokenDelay, n);
    }
}
