package ccag.server.proxy.translate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/** The request captures of Claude Code 2.1.330 (reference/claude-code-client.md) as test fixtures. */
final class Fixtures {
    static final ObjectMapper MAPPER = new ObjectMapper();

    record Capture(ObjectNode body, List<String> betaHeaders, byte[] rawBody) {
    }

    static Capture load(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/claude-code/" + name)) {
            JsonNode root = MAPPER.readTree(in);
            ObjectNode body = (ObjectNode) root.get("body");
            String beta = root.path("headers").path("anthropic-beta").asText("");
            return new Capture(body, beta.isEmpty() ? List.of() : List.of(beta), MAPPER.writeValueAsBytes(body));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ObjectNode json(String text) {
        try {
            return (ObjectNode) MAPPER.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static RequestTranslator translator() {
        return new RequestTranslator(BetaPolicy.builtIn(), new LearnedRejections(), RequestTranslator.Options.defaults());
    }

    static ModelCatalog catalog() {
        return ModelCatalog.builder().region("us-east-1").build();
    }

    private Fixtures() {
    }
}
