package ccag.server.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.health.HealthCheck;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class UpstreamHealthCheckTest {
    @Test
    void aReachableUpstreamIsReportedByItsDescription() throws Exception {
        try (ServerSocket listening = new ServerSocket(0)) {
            HealthCheck.Result r = new UpstreamHealthCheck("simulator at x", URI.create("http://127.0.0.1:" + listening.getLocalPort()),
                    Duration.ofSeconds(2)).execute();
            assertThat(r.isHealthy()).isTrue();
            assertThat(r.getMessage()).isEqualTo("simulator at x");
            assertThat(r.getDetails()).containsEntry("degraded", false);
        }
    }

    @Test
    void anUnreachableUpstreamIsDegradedButNeverUnhealthy() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        HealthCheck.Result r = new UpstreamHealthCheck("Amazon Bedrock in us-east-1", URI.create("http://127.0.0.1:" + closed),
                Duration.ofSeconds(2)).execute();
        assertThat(r.isHealthy()).isTrue();
        assertThat(r.getMessage()).startsWith("degraded: Amazon Bedrock in us-east-1 is unreachable (");
        assertThat(r.getDetails()).containsEntry("degraded", true);
    }
}
