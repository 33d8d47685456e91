package ccag.server.health;

import com.codahale.metrics.health.HealthCheck;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;

/**
 * Non-critical: says which Bedrock the gateway talks to and whether its endpoint answers a TCP
 * connect. It never reports unhealthy: a Bedrock blip must not pull every instance out of a load
 * balancer. An unreachable endpoint shows as {@code degraded} in the message and details instead.
 */
public final class UpstreamHealthCheck extends HealthCheck {
    private final String description;
    private final URI endpoint;
    private final Duration timeout;

    /**
     * @param description e.g. "simulator at http://127.0.0.1:40123" or "Amazon Bedrock in us-east-1"
     * @param endpoint    the runtime endpoint to probe
     */
    public UpstreamHealthCheck(String description, URI endpoint, Duration timeout) {
        this.description = description;
        this.endpoint = endpoint;
        this.timeout = timeout;
    }

    @Override
    protected Result check() {
        String problem = probe();
        ResultBuilder r = Result.builder().healthy().withDetail("endpoint", endpoint.toString()).withDetail("degraded", problem != null);
        return problem == null
                ? r.withMessage(description).build()
                : r.withMessage("degraded: " + description + " is unreachable (" + problem + ")").build();
    }

    private String probe() {
        String host = endpoint.getHost();
        if (host == null) {
            return "no host in " + endpoint;
        }
        int port = endpoint.getPort() > 0 ? endpoint.getPort() : "https".equalsIgnoreCase(endpoint.getScheme()) ? 443 : 80;
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
            return null;
        } catch (IOException e) {
            return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        }
    }
}
