package ccag.server.proxy.translate;

import ccag.server.spend.Usage;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Reads Anthropic {@code usage} objects; later values win field by field (spec §3.10). */
final class UsageReader {
    static final String CACHE_CREATION = "cache_creation_input_tokens";
    static final String CACHE_READ = "cache_read_input_tokens";

    private UsageReader() {
    }

    static Usage merge(Usage base, JsonNode usage) {
        if (usage == null || !usage.isObject()) {
            return base;
        }
        JsonNode breakdown = usage.path("cache_creation");
        return new Usage(
                count(usage, "input_tokens", base.inputTokens()),
                count(usage, "output_tokens", base.outputTokens()),
                count(usage, CACHE_CREATION, base.cacheCreationInputTokens()),
                count(usage, CACHE_READ, base.cacheReadInputTokens()),
                count(breakdown, "ephemeral_5m_input_tokens", base.cacheCreation5mInputTokens()),
                count(breakdown, "ephemeral_1h_input_tokens", base.cacheCreation1hInputTokens()));
    }

    private static long count(JsonNode node, String field, long fallback) {
        JsonNode v = node.get(field);
        return v != null && v.isIntegralNumber() && v.longValue() >= 0 ? v.longValue() : fallback;
    }

    /** Inserts the cache counters with the given values when Bedrock left them out (spec §2.1 step 3). */
    static boolean ensureCacheFields(ObjectNode usage, long cacheCreation, long cacheRead) {
        boolean changed = false;
        if (!usage.has(CACHE_CREATION)) {
            usage.put(CACHE_CREATION, cacheCreation);
            changed = true;
        }
        if (!usage.has(CACHE_READ)) {
            usage.put(CACHE_READ, cacheRead);
            changed = true;
        }
        return changed;
    }
}
