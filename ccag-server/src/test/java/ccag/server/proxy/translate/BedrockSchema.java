package ccag.server.proxy.translate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What Bedrock's Claude Messages validation accepts, written down independently of the translator's
 * tables (AWS "Request and Response" page, LiteLLM's Bedrock allowlist): the test's own oracle.
 */
final class BedrockSchema {
    static final Set<String> TOP_LEVEL = Set.of("anthropic_version", "anthropic_beta", "max_tokens", "messages", "system",
            "stop_sequences", "temperature", "top_p", "top_k", "tools", "tool_choice", "thinking", "metadata", "output_config",
            "context_management");
    static final Set<String> BETAS_BEDROCK_KNOWS = Set.of("interleaved-thinking-2025-05-14", "context-1m-2025-08-07",
            "context-management-2025-06-27", "compact-2026-01-12", "effort-2025-11-24", "tool-search-tool-2025-10-19",
            "tool-examples-2025-10-29", "fine-grained-tool-streaming-2025-05-14", "computer-use-2025-01-24",
            "computer-use-2025-11-24", "computer-use-2024-10-22", "token-efficient-tools-2025-02-19", "output-128k-2025-02-19",
            "dev-full-thinking-2025-05-14", "thinking-display-updates-2026-08-18", "thinking-binding-controls-2026-08-01",
            "mid-conversation-output-config-2026-07-01", "mid-conversation-tool-changes-2026-07-01", "dangerous-tool-use-2026-09-03");

    /** Every violation found; empty when Bedrock would accept the shape. */
    static List<String> violations(JsonNode body) {
        List<String> v = new ArrayList<>();
        body.fieldNames().forEachRemaining(k -> {
            if (!TOP_LEVEL.contains(k)) {
                v.add(k + ": Extra inputs are not permitted");
            }
        });
        if (!"bedrock-2023-05-31".equals(body.path("anthropic_version").asText())) {
            v.add("anthropic_version must be bedrock-2023-05-31");
        }
        body.path("anthropic_beta").forEach(b -> {
            if (!BETAS_BEDROCK_KNOWS.contains(b.asText())) {
                v.add("invalid beta flag " + b.asText());
            }
        });
        int i = 0;
        for (JsonNode m : body.path("messages")) {
            String role = m.path("role").asText();
            if (!role.equals("user") && !role.equals("assistant")) {
                v.add("messages." + i + ".role: " + role);
            }
            int finalI = i;
            m.fieldNames().forEachRemaining(k -> {
                if (!Set.of("role", "content").contains(k)) {
                    v.add("messages." + finalI + "." + k + ": Extra inputs are not permitted");
                }
            });
            blocks(m.path("content"), "messages." + i + ".content", v);
            i++;
        }
        blocks(body.path("system"), "system", v);
        i = 0;
        for (JsonNode t : body.path("tools")) {
            cacheControl(t.get("cache_control"), "tools." + i, v);
            for (String bad : List.of("custom", "strict")) {
                if (t.has(bad)) {
                    v.add("tools." + i + "." + bad + ": Extra inputs are not permitted");
                }
            }
            if (t.has("defer_loading") && !betas(body).contains("tool-search-tool-2025-10-19")) {
                v.add("tools." + i + ".defer_loading without the tool-search beta");
            }
            i++;
        }
        JsonNode thinking = body.get("thinking");
        if (thinking != null) {
            thinking.fieldNames().forEachRemaining(k -> {
                if (!Set.of("type", "budget_tokens").contains(k)
                        && !(k.equals("display") && betas(body).contains("thinking-display-updates-2026-08-18"))) {
                    v.add("thinking." + k + ": Extra inputs are not permitted");
                }
            });
            if ("enabled".equals(thinking.path("type").asText())) {
                long budget = thinking.path("budget_tokens").asLong();
                if (budget < 1024 || budget >= body.path("max_tokens").asLong()) {
                    v.add("thinking.budget_tokens out of range");
                }
            }
        }
        if (body.has("context_management") && !betas(body).contains("context-management-2025-06-27")
                && !betas(body).contains("compact-2026-01-12")) {
            v.add("context_management without its beta");
        }
        JsonNode md = body.get("metadata");
        if (md != null) {
            md.fieldNames().forEachRemaining(k -> {
                if (!k.equals("user_id")) {
                    v.add("metadata." + k + ": Extra inputs are not permitted");
                }
            });
        }
        return v;
    }

    static void assertAccepted(JsonNode body) {
        assertThat(violations(body)).as("what Bedrock would reject").isEmpty();
    }

    private static Set<String> betas(JsonNode body) {
        Set<String> s = new java.util.HashSet<>();
        body.path("anthropic_beta").forEach(b -> s.add(b.asText()));
        return s;
    }

    private static void blocks(JsonNode content, String path, List<String> v) {
        if (!content.isArray()) {
            return;
        }
        int i = 0;
        for (JsonNode b : content) {
            cacheControl(b.get("cache_control"), path + "." + i, v);
            if (b.has("content")) {
                blocks(b.get("content"), path + "." + i + ".content", v);
            }
            for (String id : List.of("id", "tool_use_id")) {
                if (b.has(id) && !b.get(id).asText().matches("^[a-zA-Z0-9_-]+$")) {
                    v.add(path + "." + i + "." + id + " has characters Bedrock refuses");
                }
            }
            i++;
        }
    }

    private static void cacheControl(JsonNode cc, String path, List<String> v) {
        if (cc == null) {
            return;
        }
        cc.fieldNames().forEachRemaining(k -> {
            if (!k.equals("type") && !k.equals("ttl")) {
                v.add(path + ".cache_control." + k + ": Extra inputs are not permitted");
            }
        });
    }

    private BedrockSchema() {
    }
}
