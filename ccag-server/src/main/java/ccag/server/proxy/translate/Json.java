package ccag.server.proxy.translate;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/** The one JSON mapper of the translation room; configured once, then only read (thread-safe). */
final class Json {
    /** Base64 images and PDFs travel as single strings; Jackson's default cap (20 M chars) is below the body limit Anthropic allows. */
    private static final int MAX_STRING_CHARS = 64 * 1024 * 1024;

    static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(MAX_STRING_CHARS).build())
            .build());
    static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Json() {
    }
}
