package ccag.cli;

import ccag.api.CreateKeyRequest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ccagctl setup}: configures clients to go through the gateway. */
@Command(name = "setup", description = "Configure clients to use the gateway.", subcommands = SetupCommand.ClaudeCode.class)
final class SetupCommand extends CommandGroup {
    /** Claude Code asks the helper again after this long: 14 minutes, below the usual 1-hour ID-token lifetime. */
    static final String HELPER_TTL_MS = "840000";

    @Command(name = "claude-code", description = {
        "Point Claude Code at the gateway: merges ANTHROPIC_BASE_URL, CLAUDE_CODE_API_KEY_HELPER_TTL_MS and",
        "apiKeyHelper \"ccagctl login\" into ~/.claude/settings.json (or ./.claude/settings.json with --project),",
        "keeping every other setting. With --key, a new virtual key instead of single sign-on."})
    static final class ClaudeCode extends CliCommand {
        @Option(names = "--project", description = "Write the project's .claude/settings.json (in the current directory).")
        boolean project;

        @Option(names = "--key", description = "Create a virtual key for yourself (needs 'ccagctl auth login') and use it instead of single sign-on.")
        boolean key;

        @Override
        void run() {
            Target t = target();
            Path file = project ? Path.of("").toAbsolutePath().resolve(".claude").resolve("settings.json")
                    : env().home().resolve(".claude").resolve("settings.json");
            ObjectNode settings = read(file);
            ObjectNode envNode = settings.path("env") instanceof ObjectNode o ? o : settings.putObject("env");
            envNode.put("ANTHROPIC_BASE_URL", t.server());
            if (key) {
                ApiClient api = admin();
                JsonNode me = api.get(ApiClient.path("auth", "me"));
                java.util.UUID self = me.hasNonNull("user_id") ? java.util.UUID.fromString(me.path("user_id").asText()) : null;
                JsonNode created = api.post(ApiClient.path("admin", "keys"),
                        new CreateKeyRequest("claude-code-" + (project ? "project" : "user"), null, self, null, null));
                envNode.put("ANTHROPIC_AUTH_TOKEN", created.path("key").asText());
                envNode.remove("CLAUDE_CODE_API_KEY_HELPER_TTL_MS");
                settings.remove("apiKeyHelper");
            } else {
                envNode.put("CLAUDE_CODE_API_KEY_HELPER_TTL_MS", HELPER_TTL_MS);
                envNode.remove("ANTHROPIC_AUTH_TOKEN");
                envNode.remove("ANTHROPIC_API_KEY");
                // The server is spelled out: Claude Code runs the helper without ccagctl's profile or CCAG_SERVER.
                settings.put("apiKeyHelper", "ccagctl login --server " + t.server());
            }
            // Settings that would send Claude Code around the gateway.
            for (String conflicting : new String[] {"CLAUDE_CODE_USE_BEDROCK", "ANTHROPIC_BEDROCK_BASE_URL", "CLAUDE_CODE_SKIP_BEDROCK_AUTH"}) {
                envNode.remove(conflicting);
            }
            try {
                ConfigFiles.writeAtomically(file, Json.PRETTY.writeValueAsBytes(settings));
            } catch (IOException e) {
                throw CliException.local("cannot write " + file + ": " + e.getMessage());
            }
            output().result(file.toString());
            output().info("Claude Code now uses " + t.server() + (key ? " with a virtual key." : " with single sign-on (ccagctl login)."));
        }

        private static ObjectNode read(Path file) {
            if (!Files.exists(file)) {
                return Json.MAPPER.createObjectNode();
            }
            try {
                JsonNode n = Json.MAPPER.readTree(Files.readAllBytes(file));
                if (n == null || n.isMissingNode()) {
                    return Json.MAPPER.createObjectNode();
                }
                if (!(n instanceof ObjectNode o)) {
                    throw CliException.local(file + " is not a JSON object; fix or move it first");
                }
                return o;
            } catch (IOException e) {
                throw CliException.local(file + " is not valid JSON (" + e.getMessage().lines().findFirst().orElse("")
                        + "); fix or move it first: nothing was changed");
            }
        }
    }
}
