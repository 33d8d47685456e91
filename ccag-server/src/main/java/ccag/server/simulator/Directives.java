package ccag.server.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Behaviours asked for in the text of the last user message, so end-to-end tests through the gateway
 * and demos with a real client can trigger them. Grammar (docs/simulator.md):
 *
 * <pre>
 * directive := "[[sim:" name { " " arg } "]]"
 * arg       := word | key "=" value
 * value     := JSON object or array | JSON string ("…") | bare word (no spaces, no "]]")
 * name      := echo | text | tool_use | thinking | long | error | midstream_error | truncate | corrupt
 *            | ttfb | token_delay
 * </pre>
 *
 * The last behaviour directive wins; {@code ttfb} and {@code token_delay} add latency to it.
 */
final class Directives {
    static final String OPEN = "[[sim:";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A directive that cannot be understood; answered as a ValidationException naming it. */
    static final class Invalid extends Exception {
        Invalid(String message) {
            super(message);
        }
    }

    record Directive(String name, List<String> words, Map<String, String> args) {
        String arg(String key, String fallback) {
            return args.getOrDefault(key, fallback);
        }
    }

    private Directives() {
    }

    /** The behaviour the last user message asks for, if it holds any directive. */
    static Optional<Behaviour> fromRequest(JsonNode body) throws Invalid {
        return fromText(lastUserText(body));
    }

    static String lastUserText(JsonNode body) {
        if (body == null) {
            return "";
        }
        JsonNode messages = body.path("messages");
        for (int i = messages.size() - 1; i >= 0; i--) {
            JsonNode m = messages.get(i);
            if (!"user".equals(m.path("role").asText())) {
                continue;
            }
            JsonNode content = m.path("content");
            if (content.isTextual()) {
                return content.asText();
            }
            StringBuilder sb = new StringBuilder();
            content.forEach(b -> {
                if ("text".equals(b.path("type").asText())) {
                    sb.append(b.path("text").asText()).append('\n');
                }
            });
            return sb.toString();
        }
        return "";
    }

    static Optional<Behaviour> fromText(String text) throws Invalid {
        Behaviour behaviour = null;
        Duration ttfb = null;
        Duration tokenDelay = null;
        for (Directive d : parse(text)) {
            switch (d.name()) {
                case "ttfb" -> ttfb = Duration.ofMillis(intArg(d, "ms", 0));
                case "token_delay" -> tokenDelay = Duration.ofMillis(intArg(d, "ms", 0));
                default -> behaviour = toBehaviour(d);
            }
        }
        if (behaviour == null && ttfb == null && tokenDelay == null) {
            return Optional.empty();
        }
        Behaviour b = behaviour == null ? Behaviour.echo() : behaviour;
        if (ttfb != null) {
            b = b.withTtfb(ttfb);
        }
        if (tokenDelay != null) {
            b = b.withTokenDelay(tokenDelay);
        }
        return Optional.of(b);
    }

    private static Behaviour toBehaviour(Directive d) throws Invalid {
        return switch (d.name()) {
            case "echo" -> Behaviour.echo();
            case "text" -> Behaviour.text(d.args().containsKey("text") ? d.arg("text", "") : String.join(" ", d.words()));
            case "tool_use" -> {
                String name = d.arg("name", d.words().isEmpty() ? null : d.words().get(0));
                if (name == null) {
                    throw new Invalid("[[sim:tool_use]] needs name=<tool name>");
                }
                String input = d.arg("input", "{}");
                try {
                    if (!JSON.readTree(input).isObject()) {
                        throw new Invalid("[[sim:tool_use]] input must be a JSON object");
                    }
                } catch (IOException e) {
                    throw new Invalid("[[sim:tool_use]] input is not JSON: " + input);
                }
                yield Behaviour.toolUse(name, input);
            }
            case "thinking" -> Behaviour.thinking();
            case "long" -> Behaviour.longAnswer(intArg(d, "tokens", 2000));
            case "error" -> {
                String kindName = d.arg("kind", d.words().isEmpty() ? "" : d.words().get(0));
                BedrockErrorKind kind = BedrockErrorKind.byName(kindName)
                        .orElseThrow(() -> new Invalid("[[sim:error]] unknown kind '" + kindName + "'"));
                yield d.args().containsKey("message") ? Behaviour.error(kind, d.arg("message", "")) : Behaviour.error(kind);
            }
            case "midstream_error" -> {
                String kindName = d.arg("kind", d.words().isEmpty() ? "model_stream_error" : d.words().get(0));
                BedrockErrorKind kind = BedrockErrorKind.byName(kindName)
                        .orElseThrow(() -> new Invalid("[[sim:midstream_error]] unknown kind '" + kindName + "'"));
                yield Behaviour.midstreamError(intArg(d, "after", 3), kind);
            }
            case "truncate" -> Behaviour.truncate(intArg(d, "after", 3));
            case "corrupt" -> Behaviour.corruptFrame(intArg(d, "after", 1));
            default -> throw new Invalid("unknown simulator directive [[sim:" + d.name() + "]]");
        };
    }

    private static int intArg(Directive d, String key, int fallback) throws Invalid {
        String v = d.args().get(key);
        if (v == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new Invalid("[[sim:" + d.name() + "]] " + key + " must be a number, got '" + v + "'");
        }
    }

    static List<Directive> parse(String text) throws Invalid {
        List<Directive> out = new ArrayList<>();
        int at = text.indexOf(OPEN);
        while (at >= 0) {
            int[] pos = {at + OPEN.length()};
            out.add(parseOne(text, pos));
            at = text.indexOf(OPEN, pos[0]);
        }
        return out;
    }

    private static Directive parseOne(String s, int[] pos) throws Invalid {
        String name = readBare(s, pos);
        if (name.isEmpty()) {
            throw new Invalid("empty simulator directive");
        }
        List<String> words = new ArrayList<>();
        Map<String, String> args = new LinkedHashMap<>();
        while (true) {
            skipSpaces(s, pos);
            if (pos[0] >= s.length()) {
                throw new Invalid("unterminated simulator directive [[sim:" + name);
            }
            if (s.startsWith("]]", pos[0])) {
                pos[0] += 2;
                return new Directive(name, words, args);
            }
            if (s.charAt(pos[0]) == '"') {
                words.add(readValue(s, pos));
                continue;
            }
            String token = readKey(s, pos);
            if (pos[0] < s.length() && s.charAt(pos[0]) == '=') {
                pos[0]++;
                args.put(token, readValue(s, pos));
            } else {
                words.add(token);
            }
        }
    }

    private static void skipSpaces(String s, int[] pos) {
        while (pos[0] < s.length() && Character.isWhitespace(s.charAt(pos[0]))) {
            pos[0]++;
        }
    }

    private static String readKey(String s, int[] pos) {
        int start = pos[0];
        while (pos[0] < s.length() && !Character.isWhitespace(s.charAt(pos[0])) && s.charAt(pos[0]) != '='
                && !s.startsWith("]]", pos[0])) {
            pos[0]++;
        }
        return s.substring(start, pos[0]);
    }

    private static String readBare(String s, int[] pos) {
        int start = pos[0];
        while (pos[0] < s.length() && !Character.isWhitespace(s.charAt(pos[0])) && !s.startsWith("]]", pos[0])) {
            pos[0]++;
        }
        return s.substring(start, pos[0]);
    }

    /** A JSON object/array (balanced, strings respected), a JSON string (unquoted on return), or a bare word. */
    private static String readValue(String s, int[] pos) throws Invalid {
        if (pos[0] >= s.length()) {
            throw new Invalid("missing value in simulator directive");
        }
        char c = s.charAt(pos[0]);
        if (c == '{' || c == '[' || c == '"') {
            int start = pos[0];
            int depth = 0;
            boolean inString = false;
            for (int i = start; i < s.length(); i++) {
                char ch = s.charAt(i);
                if (inString) {
                    if (ch == '\\') {
                        i++;
                    } else if (ch == '"') {
                        inString = false;
                        if (depth == 0) {
                            pos[0] = i + 1;
                            return unquote(s.substring(start, i + 1));
                        }
                    }
                } else if (ch == '"') {
                    inString = true;
                } else if (ch == '{' || ch == '[') {
                    depth++;
                } else if (ch == '}' || ch == ']') {
                    depth--;
                    if (depth == 0) {
                        pos[0] = i + 1;
                        return s.substring(start, i + 1);
                    }
                }
            }
            throw new Invalid("unbalanced value in simulator directive: " + s.substring(start));
        }
        return readBare(s, pos);
    }

    private static String unquote(String quoted) throws Invalid {
        try {
            return JSON.readTree(quoted).asText();
        } catch (IOException e) {
            throw new Invalid("bad string in simulator directive: " + quoted);
        }
    }
}
