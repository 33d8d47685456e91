package ccag.server.simulator;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One request as it reached the simulator, for tests to assert on what the gateway sent to Bedrock.
 *
 * @param operation {@code invoke}, {@code invoke-with-response-stream}, {@code count-tokens},
 *                  {@code list-inference-profiles}, {@code list-foundation-models} or {@code unknown}
 * @param modelId   the percent-decoded model id of the path; empty for listings
 * @param headers   header names in lower case
 */
public record ReceivedRequest(Instant at, String method, String path, String operation, String modelId,
                              Map<String, List<String>> headers, String body) {
    private static final Pattern INNER_BODY = Pattern.compile("\"body\"\\s*:\\s*\"([A-Za-z0-9+/=]*)\"");

    public ReceivedRequest {
        headers = Map.copyOf(headers);
    }

    public Optional<String> header(String name) {
        List<String> values = headers.get(name.toLowerCase(java.util.Locale.ROOT));
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** The Claude Messages body: the request body itself, or for count-tokens the base64 body it wraps. */
    public String invokeBody() {
        if (!operation.equals("count-tokens")) {
            return body;
        }
        Matcher m = INNER_BODY.matcher(body);
        return m.find() ? new String(Base64.getDecoder().decode(m.group(1)), StandardCharsets.UTF_8) : body;
    }

    @Override
    public String toString() {
        return method + " " + path + " (" + body.length() + " bytes)";
    }
}
