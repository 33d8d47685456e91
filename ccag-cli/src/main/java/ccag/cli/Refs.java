package ccag.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/** Lists that follow the API's paging, and the lookups that let a team be named by name and a user by subject. */
final class Refs {
    /** Guards against a server whose paging never ends. */
    private static final int MAX_PAGES = 1000;

    private Refs() {
    }

    /**
     * A list endpoint's answer ({@code {"<plural>": [...], "next_offset"?}}). With {@code limit} or {@code offset}
     * given, the one page asked for; otherwise every page, joined into one list.
     */
    static ObjectNode list(ApiClient api, List<String> path, String plural, Map<String, String> filters,
            Integer limit, Integer offset) {
        Map<String, String> query = new LinkedHashMap<>(filters);
        if (limit != null || offset != null) {
            if (limit != null) {
                query.put("limit", Integer.toString(limit));
            }
            if (offset != null) {
                query.put("offset", Integer.toString(offset));
            }
            return page(api, path, plural, query);
        }
        ObjectNode all = Json.MAPPER.createObjectNode();
        ArrayNode items = all.putArray(plural);
        int next = 0;
        for (int i = 0; i < MAX_PAGES; i++) {
            if (next > 0) {
                query.put("offset", Integer.toString(next));
            }
            ObjectNode page = page(api, path, plural, query);
            items.addAll((ArrayNode) page.get(plural));
            JsonNode more = page.get("next_offset");
            if (more == null || !more.canConvertToInt() || more.asInt() <= next || page.get(plural).isEmpty()) {
                break;
            }
            next = more.asInt();
        }
        return all;
    }

    private static ObjectNode page(ApiClient api, List<String> path, String plural, Map<String, String> query) {
        JsonNode node = api.get(path, query);
        if (node == null || !node.path(plural).isArray()) {
            throw new CliException(ExitCodes.SERVER_ERROR, "unexpected answer from " + api.target().server() + ": no \"" + plural + "\" list");
        }
        return (ObjectNode) node;
    }

    /** A team by id, or by its exact name (case-insensitive when that is unambiguous). */
    static UUID team(ApiClient api, String ref) {
        if (Args.isUuid(ref)) {
            return UUID.fromString(ref.trim());
        }
        return unique(byField(list(api, ApiClient.path("admin", "teams"), "teams", Map.of(), null, null), "teams", "name", ref),
                "team", "named", ref);
    }

    /** A user by id, or by subject (the identity provider's user name; ambiguous across providers). */
    static UUID user(ApiClient api, String ref) {
        if (Args.isUuid(ref)) {
            return UUID.fromString(ref.trim());
        }
        return unique(byField(list(api, ApiClient.path("admin", "users"), "users", Map.of(), null, null), "users", "subject", ref),
                "user", "with subject", ref);
    }

    private static List<JsonNode> byField(JsonNode list, String plural, String field, String value) {
        List<JsonNode> exact = new ArrayList<>();
        List<JsonNode> folded = new ArrayList<>();
        for (JsonNode item : list.path(plural)) {
            String v = item.path(field).asText("");
            if (v.equals(value)) {
                exact.add(item);
            } else if (v.toLowerCase(Locale.ROOT).equals(value.toLowerCase(Locale.ROOT))) {
                folded.add(item);
            }
        }
        return exact.isEmpty() ? folded : exact;
    }

    private static UUID unique(List<JsonNode> matches, String noun, String relation, String ref) {
        if (matches.isEmpty()) {
            throw CliException.notFound("no " + noun + " " + relation + " '" + ref + "'");
        }
        if (matches.size() > 1) {
            List<String> ids = matches.stream().map(m -> m.path("id").asText()).toList();
            throw CliException.usage(matches.size() + " " + noun + "s " + relation + " '" + ref + "'; give the id instead: "
                    + String.join(", ", ids));
        }
        return UUID.fromString(matches.get(0).path("id").asText());
    }
}
