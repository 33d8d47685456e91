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

/** Streams reach the client event by event, and silent stretches are filled with pings. */
@ExtendWith(DropwizardExtensionsSupport.class)
class StreamKeepAliveIT {
    static final DropwizardAppExtension<CcagConfiguration> APP = CcagTestApp.create(
            CcagTestApp.set("proxy.pingInterval", "100ms"));

    @Test
    void eachEventReachesTheClientWhileBedrockIsStillStreaming() throws Exception {
        Api api = new Api(APP.getLocalPort());
        String key = api.post("/admin/keys", api.adminToken(), Map.of("name", "incremental")).json().path("key").asText();
        var simulator = ((CcagApplication) APP.getApplication()).simulator().orElseThrow();
        simulator.enqueue(Behaviour.longAnswer(6).withTokenDelay(Duration.ofMillis(400)));
        String body = "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":100,\"stream\":true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"a short answer\"}]}";
        var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(api.base() + "/v1/messages"))
                .header("x-api-key", key).header("content-type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build();
        var response = java.net.http.HttpClient.newHttpClient().send(request, java.net.http.HttpResponse.BodyHandlers.ofLines());
        try (var lines = response.body()) {
            var it = lines.iterator();
            String first = it.next();
            assertThat(first).isEqualTo("event: message_start");
            // The answer is a few hundred bytes: had it been buffered, nothing would arrive before Bedrock finished.
            assertThat(simulator.openStreams()).as("Bedrock is still streaming when the first event arrives").isEqualTo(1);
            while (it.hasNext()) {
                it.next();
            }
        }
        assertThat(response.headers().firstValue("content-length")).isEmpty();
    }

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
