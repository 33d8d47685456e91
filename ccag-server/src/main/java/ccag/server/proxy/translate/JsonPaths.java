package ccag.server.proxy.translate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Removal of a dotted path ({@code tools.*.custom}, {@code output_config.effort}) from a JSON tree,
 * copy-on-write: the nodes on the way are copied, everything else stays shared, the input is never
 * changed. {@code *} (and any number) matches every element of an array or every member of an object
 * at that level.
 */
final class JsonPaths {
    private JsonPaths() {
    }

    /** Bedrock's error paths name array indices; learned paths apply to every index. */
    static String generalise(String path) {
        String[] segs = path.split("\\.");
        StringBuilder b = new StringBuilder(path.length());
        for (String s : segs) {
            if (!b.isEmpty()) {
                b.append('.');
            }
            b.append(isIndex(s) ? "*" : s);
        }
        return b.toString();
    }

    /** The tree without the path, or the same node when the path matched nothing. */
    static JsonNode without(JsonNode node, String path) {
        return without(node, path.split("\\."), 0);
    }

    private static JsonNode without(JsonNode node, String[] segs, int i) {
        String seg = segs[i];
        boolean last = i == segs.length - 1;
        if (node instanceof ObjectNode obj) {
            if (last) {
                if (seg.equals("*") || !obj.has(seg)) {
                    return node;
                }
                ObjectNode copy = obj.objectNode();
                obj.properties().forEach(e -> {
                    if (!e.getKey().equals(seg)) {
                        copy.set(e.getKey(), e.getValue());
                    }
                });
                return copy;
            }
            ObjectNode copy = null;
            for (var it = obj.properties().iterator(); it.hasNext(); ) {
                var e = it.next();
                if (seg.equals("*") || seg.equals(e.getKey())) {
                    JsonNode changed = without(e.getValue(), segs, i + 1);
                    if (changed != e.getValue()) {
                        if (copy == null) {
                            copy = shallowCopy(obj);
                        }
                        copy.set(e.getKey(), changed);
                    }
                }
            }
            return copy != null ? copy : node;
        }
        if (node instanceof ArrayNode arr && !last && (seg.equals("*") || isIndex(seg))) {
            ArrayNode copy = null;
            for (int k = 0; k < arr.size(); k++) {
                JsonNode changed = without(arr.get(k), segs, i + 1);
                if (changed != arr.get(k)) {
                    if (copy == null) {
                        copy = arr.arrayNode(arr.size());
                        copy.addAll(arr);
                    }
                    copy.set(k, changed);
                }
            }
            return copy != null ? copy : node;
        }
        return node;
    }

    static ObjectNode shallowCopy(ObjectNode obj) {
        ObjectNode copy = obj.objectNode();
        copy.setAll(obj);
        return copy;
    }

    private static boolean isIndex(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int k = 0; k < s.length(); k++) {
            if (!Character.isDigit(s.charAt(k))) {
                return false;
            }
        }
        return true;
    }
}
