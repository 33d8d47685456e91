package ccag.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A JSON object kept in a file of the config directory. Read whole, changed, written back atomically; the
 * sections a command does not know (written by a newer ccagctl) are kept as they are.
 */
final class JsonFile {
    private final Path file;

    JsonFile(Path file) {
        this.file = file;
    }

    Path path() {
        return file;
    }

    ObjectNode read() {
        try {
            JsonNode node = Json.MAPPER.readTree(Files.readAllBytes(file));
            if (node == null || node.isMissingNode()) {
                return Json.MAPPER.createObjectNode();
            }
            if (!node.isObject()) {
                throw CliException.local(file + " is not a JSON object", "fix it or delete it");
            }
            return (ObjectNode) node;
        } catch (NoSuchFileException e) {
            return Json.MAPPER.createObjectNode();
        } catch (JsonProcessingException e) {
            throw CliException.local(file + " is not valid JSON: " + e.getOriginalMessage(), "fix it or delete it");
        } catch (IOException e) {
            throw CliException.local("cannot read " + file + ": " + e);
        }
    }

    void write(ObjectNode root) {
        try {
            byte[] bytes = Json.PRETTY.writeValueAsBytes(root);
            byte[] withNewline = java.util.Arrays.copyOf(bytes, bytes.length + 1);
            withNewline[bytes.length] = '\n';
            ConfigFiles.writeAtomically(file, withNewline);
        } catch (IOException e) {
            throw CliException.local("cannot write " + file + ": " + e);
        }
    }

    /** The object member {@code name} of {@code root}, created when absent. */
    static ObjectNode section(ObjectNode root, String name) {
        JsonNode existing = root.get(name);
        if (existing instanceof ObjectNode o) {
            return o;
        }
        return root.putObject(name);
    }
}
