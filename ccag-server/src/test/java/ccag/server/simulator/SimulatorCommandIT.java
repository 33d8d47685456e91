package ccag.server.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import ccag.server.testing.ServerProcess;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelWithResponseStreamResponseHandler;

/** {@code java -jar ccag-server.jar simulator --port N}: the simulator alone, for load tests and other tools. */
class SimulatorCommandIT {
    @Test
    void standaloneSimulatorServesTheSdkOverHttp2() throws Exception {
        int port = ServerProcess.freePort();
        try (ServerProcess p = ServerProcess.start(Map.of(), "simulator", "--port", Integer.toString(port))) {
            p.awaitOutput(o -> o.contains("Bedrock simulator listening on http://127.0.0.1:" + port), Duration.ofSeconds(60));
            List<String> chunks = new CopyOnWriteArrayList<>();
            try (BedrockRuntimeAsyncClient sdk = SdkClients.asyncHttp2(URI.create("http://127.0.0.1:" + port))) {
                sdk.invokeModelWithResponseStream(r -> r.modelId("us.anthropic.claude-sonnet-4-5-20250929-v1:0").body(SdkBytes.fromUtf8String(
                                "{\"anthropic_version\":\"bedrock-2023-05-31\",\"max_tokens\":50,\"messages\":[{\"role\":\"user\",\"content\":\"standalone\"}]}")),
                        InvokeModelWithResponseStreamResponseHandler.builder().subscriber(InvokeModelWithResponseStreamResponseHandler.Visitor
                                .builder().onChunk(c -> chunks.add(c.bytes().asUtf8String())).build()).build()).get();
            }
            assertThat(String.join("", chunks)).contains("standalone").contains("message_stop");
        }
    }
}
