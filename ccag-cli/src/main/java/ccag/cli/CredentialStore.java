package ccag.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * {@code credentials.json}, mode 0600, replaced atomically on every change: the session token of each profile,
 * with the server it was issued by (a token is only ever sent to that server). Never a password.
 *
 * <pre>{"sessions": {"default": {"server": "...", "username": "admin", "token": "...", "expires_at": "..."}}}</pre>
 *
 * Other top-level sections are left untouched, so later kinds of cached credentials (per-server tokens of
 * browser logins) can live in the same owner-only file.
 */
final class CredentialStore {
    private final JsonFile file;

    CredentialStore(Path dir) {
        this.file = new JsonFile(dir.resolve(ConfigFiles.CREDENTIALS_FILE));
    }

    /** A saved admin session. */
    record Session(String server, String username, String token, Instant expiresAt) {
        @Override
        public String toString() {
            return "Session[server=" + server + ", username=" + username + ", token=***, expiresAt=" + expiresAt + "]";
        }
    }

    Path path() {
        return file.path();
    }

    Optional<Session> session(String profile) {
        JsonNode s = file.read().path("sessions").path(profile);
        if (!s.isObject() || !s.path("token").isTextual() || !s.path("server").isTextual()) {
            return Optional.empty();
        }
        Instant expires = null;
        if (s.path("expires_at").isTextual()) {
            try {
                expires = Instant.parse(s.path("expires_at").asText());
            } catch (DateTimeParseException e) {
                expires = Instant.EPOCH;
            }
        }
        return Optional.of(new Session(s.path("server").asText(), s.path("username").asText(null),
                s.path("token").asText(), expires));
    }

    void saveSession(String profile, Session session) {
        ObjectNode root = file.read();
        ObjectNode entry = JsonFile.section(root, "sessions").putObject(profile);
        entry.put("server", session.server());
        if (session.username() != null) {
            entry.put("username", session.username());
        }
        entry.put("token", session.token());
        if (session.expiresAt() != null) {
            entry.put("expires_at", session.expiresAt().toString());
        }
        file.write(root);
    }

    boolean removeSession(String profile) {
        ObjectNode root = file.read();
        JsonNode sessions = root.get("sessions");
        if (sessions instanceof ObjectNode o && o.remove(profile) != null) {
            file.write(root);
            return true;
        }
        return false;
    }

    /** A warning when the file is readable by others (copied around, restored from a backup), else null. */
    String permissionProblem() {
        return ConfigFiles.permissionProblem(file.path());
    }
}
