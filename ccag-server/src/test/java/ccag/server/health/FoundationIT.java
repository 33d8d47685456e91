package ccag.server.health;

import static org.assertj.core.api.Assertions.assertThat;

import ccag.server.config.CcagConfiguration;
import ccag.server.testing.CcagTestApp;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(DropwizardExtensionsSupport.class)
class FoundationIT {
    static final DropwizardAppExtension<CcagConfiguration> APP = CcagTestApp.create();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthCheckReportsDatabaseAndSchemaOnTheAdminPort() throws Exception {
        HttpResponse<String> r = get(APP.getAdminPort(), "/healthcheck");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.path("postgresql").path("healthy").asBoolean()).isTrue();
        assertThat(body.path("migrations").path("healthy").asBoolean()).isTrue();
        assertThat(body.path("migrations").path("message").asText()).isEqualTo("schema up to date");
    }

    @Test
    void metricsAreServedOnTheAdminPort() throws Exception {
        HttpResponse<String> r = get(APP.getAdminPort(), "/metrics");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(r.body()).has("gauges")).isTrue();
    }

    @Test
    void unknownPathAnswersInTheJsonErrorShapeWithARequestId() throws Exception {
        HttpResponse<String> r = get(APP.getLocalPort(), "/no/such/thing");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        String id = r.headers().firstValue("request-id").orElseThrow();
        assertThat(id).matches("req_[a-z2-7]{24}");
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.path("type").asText()).isEqualTo("error");
        assertThat(body.path("error").path("type").asText()).isEqualTo("not_found_error");
        assertThat(body.path("request_id").asText()).isEqualTo(id);
    }

    @Test
    void everyResponseCarriesItsOwnRequestId() throws Exception {
        String a = get(APP.getLocalPort(), "/x").headers().firstValue("request-id").orElseThrow();
        String b = get(APP.getLocalPort(), "/x").headers().firstValue("request-id").orElseThrow();
        assertThat(a).isNotEqualTo(b);
    }
}
