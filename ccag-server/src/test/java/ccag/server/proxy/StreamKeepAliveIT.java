package ccag.server.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import ccag.server.CcagApplication;
import ccag.server.config.CcagConfiguration;
import ccag.server.simulator.Behaviour;
import ccag.server.testing.Api;
import ccag.server.testing.CcagTestApp;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** While Bedrock is silent inside a stream, the client gets ping events instead of silence. */
@ExtendWith(DropwizardExtensionsSupport.class)
class StreamKeepAliveIT {
    static final DropwizardAppExtension<CcagConfiguration> APP = CcagTestApp.create(
            CcagTestApp.set("proxy.pingInterval", "100ms"));

    @Test
    void silentStretchesOfAStreamAreFilledWithPings() {
        Api api = new Api(APP.getLocalPort());
        String key = api.post("/admin/keys", api.adminToken(), Map.of("name", "keepalive")).json().path("key").asText();
        ((CcagApplication) APP.getApplication()).simulator().orElseThrow()
                .enqueue(Behaviour.longAnswer(4).withTokenDelay(Duration.ofMillis(450)));

        Api.Reply r = api.call("POST", "/v1/messages", null,
                "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":100,\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"slow\"}]}",
                "x-api-key", key);

        assertThat(r.status()).isEqualTo(200);
        String sse = r.raw().body();
        assertThat(sse).contains("event: ping").contains("event: message_stop");
        assertThat(sse.indexOf("event: ping")).isGreaterThan(sse.indexOf("event: message_start"));
    }
}
