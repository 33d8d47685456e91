package ccag.server.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Bedrock's prompt caching, simulated closely enough for usage numbers to look real. The request is
 * read as one sequence of blocks (tools, then system, then message content). Each {@code cache_control}
 * breakpoint writes the prefix up to it; a request reads the longest prefix already written that ends
 * at one of its breakpoints or up to {@value #LOOKBACK} blocks before one (as Anthropic's cache looks
 * back from each breakpoint), so a conversation whose breakpoint moves forward each turn reads the
 * previous turn's prefix. {@code cache_control} itself is not part of the cached content, and a string
 * content counts as one text block. Same model
 * only; bounded, least recently used first out.
 */
final class PromptCache {
    record Usage(int inputTokens, int cacheCreation, int cacheRead) {
    }

    private static final int CAPACITY = 10_000;
    private static final int LOOKBACK = 20;
    private final Map<String, Boolean> seen = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > CAPACITY;
        }
    };

    Usage account(String model, JsonNode body) {
        int total = TokenEstimate.inputTokens(body);
        List<JsonNode> segments = new ArrayList<>();
        body.path("tools").forEach(segments::add);
        JsonNode system = body.path("system");
        if (system.isArray()) {
            system.forEach(segments::add);
        } else if (!system.isMissingNode()) {
            segments.add(system);
        }
        body.path("messages").forEach(m -> {
            JsonNode content = m.path("content");
            if (content.isArray()) {
                content.forEach(segments::add);
            } else if (content.isTextual()) {
                // A string content is one text block: clients send an earlier turn either way.
                segments.add(JsonNodeFactory.instance.objectNode().put("type", "text").put("text", content.asText()));
            } else {
                segments.add(m);
            }
        });
        List<Integer> breakpoints = new ArrayList<>();
        for (int i = 0; i < segments.size(); i++) {
            if (segments.get(i).path("cache_control").isObject()) {
                breakpoints.add(i);
            }
        }
        if (breakpoints.isEmpty()) {
            return new Usage(total, 0, 0);
        }
        int last = breakpoints.get(breakpoints.size() - 1);
        // keys[i] identifies the prefix of segments 0..i; tokens[i] is its size.
        String[] keys = new String[last + 1];
        int[] tokens = new int[last + 1];
        MessageDigest digest = sha256();
        digest.update(model.getBytes(StandardCharsets.UTF_8));
        int running = 0;
        for (int i = 0; i <= last; i++) {
            JsonNode segment = withoutCacheControl(segments.get(i));
            digest.update((byte) 0);
            digest.update(segment.toString().getBytes(StandardCharsets.UTF_8));
            keys[i] = HexFormat.of().formatHex(cloneOf(digest).digest());
            running += TokenEstimate.inputTokens(segment);
            tokens[i] = running;
        }
        int prefixTokens = Math.min(total - 1, tokens[last]);
        int readTokens = 0;
        synchronized (seen) {
            int hit = -1;
            for (int b = breakpoints.size() - 1; b >= 0 && hit < 0; b--) {
                int bp = breakpoints.get(b);
                for (int i = bp; i >= Math.max(0, bp - LOOKBACK) && hit < 0; i--) {
                    if (seen.get(keys[i]) != null) {
                        hit = i;
                    }
                }
            }
            if (hit >= 0) {
                readTokens = Math.min(prefixTokens, tokens[hit]);
            }
            for (int bp : breakpoints) {
                seen.put(keys[bp], Boolean.TRUE);
            }
        }
        int uncached = Math.max(1, total - prefixTokens);
        return new Usage(uncached, Math.max(0, prefixTokens - readTokens), readTokens);
    }

    private static JsonNode withoutCacheControl(JsonNode segment) {
        if (segment instanceof ObjectNode o && o.has("cache_control")) {
            ObjectNode copy = o.deepCopy();
            copy.remove("cache_control");
            return copy;
        }
        return segment;
    }

    private static MessageDigest cloneOf(MessageDigest d) {
        try {
            return (MessageDigest) d.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
