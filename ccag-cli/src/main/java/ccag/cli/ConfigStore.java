package ccag.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@code config.json}: named profiles (each a server URL) and the profile used when no {@code --profile} is
 * given. Holds no secrets.
 *
 * <pre>{"current_profile": "default", "profiles": {"default": {"server": "https://ccag.example.com"}}}</pre>
 */
final class ConfigStore {
    static final String DEFAULT_PROFILE = "default";

    private final JsonFile file;

    ConfigStore(Path dir) {
        this.file = new JsonFile(dir.resolve(ConfigFiles.CONFIG_FILE));
    }

    Path path() {
        return file.path();
    }

    /** The profile chosen with {@code config use-profile}, else {@code default}. */
    String currentProfile() {
        JsonNode p = file.read().get("current_profile");
        return p != null && p.isTextual() && !p.asText().isBlank() ? p.asText() : DEFAULT_PROFILE;
    }

    Optional<String> server(String profile) {
        JsonNode s = file.read().path("profiles").path(profile).get("server");
        return s != null && s.isTextual() ? Optional.of(s.asText()) : Optional.empty();
    }

    /** Profile name → server URL (empty string when the profile has none), sorted by name. */
    Map<String, String> profiles() {
        Map<String, String> result = new TreeMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = file.read().path("profiles").fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            result.put(e.getKey(), e.getValue().path("server").asText(""));
        }
        return result;
    }

    void setServer(String profile, String server) {
        ObjectNode root = file.read();
        JsonFile.section(JsonFile.section(root, "profiles"), profile).put("server", server);
        file.write(root);
    }

    void setCurrentProfile(String profile) {
        ObjectNode root = file.read();
        root.put("current_profile", profile);
        JsonFile.section(JsonFile.section(root, "profiles"), profile);
        file.write(root);
    }

    /** Removes a profile; the current profile falls back to {@code default} if it was this one. */
    boolean removeProfile(String profile) {
        ObjectNode root = file.read();
        boolean removed = JsonFile.section(root, "profiles").remove(profile) != null;
        if (profile.equals(root.path("current_profile").asText())) {
            root.remove("current_profile");
            removed = true;
        }
        if (removed) {
            file.write(root);
        }
        return removed;
    }
}
