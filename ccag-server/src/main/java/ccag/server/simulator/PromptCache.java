package ccag.server.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Bedrock's prompt caching, simulated closely enough for usage numbers to look real: the prefix up to
 * the last {@code cache_control} breakpoint (tools, then system, then messages) is written to the
 * cache on first sight ({@code cache_creation_input_tokens}) and read on the next request with the
 * same model and prefix ({@code cache_read_input_tokens}). Bounded, least recently used first out.
 */
final class PromptCache {
    record Usage(int inputTokens, int cacheCreation, int cacheRead) {
    }

    private static final int CAPACITY = 10_000;
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
            if (m.path("content").isArray()) {
                m.path("content").forEach(segments::add);
            } else {
                segments.add(m);
            }
        });
        int last = -1;
        for (int i = 0; i < segments.size(); i++) {
            if (segments.get(i).path("cache_control").isObject()) {
                last = i;
            }
        }
        if (last < 0) {
            return new Usage(total, 0, 0);
        }
        StringBuilder prefix = new StringBuilder(model);
        for (int i = 0; i <= last; i++) {
            prefix.append('\u0000').append(segments.get(i).toString());
        }
        int prefixTokens = Math.min(total - 1, Math.max(0, TokenEstimate.inputTokens(arrayOf(segments.subList(0, last + 1)))));
        String key = sha256(prefix.toString());
        boolean hit;
        synchronized (seen) {
            hit = seen.put(key, Boolean.TRUE) != null;
        }
        int uncached = Math.max(1, total - prefixTokens);
        return hit ? new Usage(uncached, 0, prefixTokens) : new Usage(uncached, prefixTokens, 0);
    }

    private static JsonNode arrayOf(List<JsonNode> nodes) {
        com.fasterxml.jackson.databind.node.ArrayNode a = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
        nodes.forEach(a::add);
        return a;
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
