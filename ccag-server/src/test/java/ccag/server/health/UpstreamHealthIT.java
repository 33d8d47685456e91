package ccag.server.health;

import static org.assertj.core.api.Assertions.assertThat;

import ccag.server.CcagApplication;
import ccag.server.config.CcagConfiguration;
import ccag.server.simulator.BedrockSimulator;
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
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;

/** The test app (like dev mode) runs on the in-process Bedrock simulator, and says so. */
@ExtendWith(DropwizardExtensionsSupport.class)
class UpstreamHealthIT {
    static final DropwizardAppExtension<CcagConfiguration> APP = CcagTestApp.create();
    private static final ObjectMapper JSON = new ObjectMapper();

    private static BedrockSimulator simulator() {
        return APP.<CcagApplication>getApplication().simulator().orElseThrow();
    }

    @Test
    void healthCheckSaysTheUpstreamIsTheSimulator() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + APP.getAdminPort() + "/healthcheck")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode upstream = JSON.readTree(r.body()).path("upstream");
        assertThat(upstream.path("healthy").asBoolean()).isTrue();
        assertThat(upstream.path("message").asText()).isEqualTo("simulator at " + simulator().endpoint());
        assertThat(upstream.path("degraded").asBoolean()).isFalse();
    }

    @Test
    void theUpstreamEndpointsPointAtTheRunningSimulator() {
        String endpoint = simulator().endpoint().toString();
        assertThat(endpoint).startsWith("http://127.0.0.1:");
        assertThat(APP.getConfiguration().upstream().endpoint()).isEqualTo(endpoint);
        assertThat(APP.getConfiguration().upstream().controlEndpoint()).isEqualTo(endpoint);
        try (BedrockRuntimeClient sdk = BedrockRuntimeClient.builder().region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIAFAKE", "secret")))
                .endpointOverride(URI.create(APP.getConfiguration().upstream().endpoint()))
                .httpClient(UrlConnectionHttpClient.create()).build()) {
            String answer = sdk.invokeModel(b -> b.modelId("us.anthropic.claude-haiku-4-5-20251001-v1:0").body(SdkBytes.fromUtf8String(
                    "{\"anthropic_version\":\"bedrock-2023-05-31\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"ping\"}]}")))
                    .body().asUtf8String();
            assertThat(answer).contains("ping");
        }
        assertThat(simulator().received()).anySatisfy(r -> assertThat(r.modelId()).isEqualTo("us.anthropic.claude-haiku-4-5-20251001-v1:0"));
    }
}
