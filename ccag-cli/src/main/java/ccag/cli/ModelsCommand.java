package ccag.cli;

import ccag.api.ModelMappingView;
import ccag.api.SetModelMappingRequest;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code ccagctl models}: which Bedrock model id a model name sent by Claude Code maps to. */
@Command(name = "models", description = "List, set and delete the mappings from model names to Bedrock model ids.",
        subcommands = {ModelsCommand.ListModels.class, ModelsCommand.Set.class, ModelsCommand.Delete.class})
final class ModelsCommand extends CommandGroup {

    @Command(name = "list", description = "List the model mappings in effect and where each comes from.")
    static final class ListModels extends CliCommand {
        @Override
        void run() {
            JsonNode answer;
            try {
                answer = admin().get(ApiClient.path("admin", "models"));
            } catch (CliException e) {
                throw e.exitCode() == ExitCodes.NOT_FOUND
                        ? e.withHint("this gateway has no model mapping API (/admin/models): it is older than this ccagctl")
                        : e;
            }
            if (answer == null || !answer.path("models").isArray()) {
                throw new CliException(ExitCodes.SERVER_ERROR, "unexpected answer from the server: no \"models\" list");
            }
            if (output().json()) {
                output().printJson(answer);
                return;
            }
            List<List<String>> rows = new ArrayList<>();
            for (JsonNode n : answer.path("models")) {
                ModelMappingView m = Json.MAPPER.convertValue(n, ModelMappingView.class);
                rows.add(Arrays.asList(m.model(), m.bedrockModelId(), m.source(),
                        m.verified() == null ? null : (m.verified() ? "yes" : "no")));
            }
            Lists.table(output(), List.of("MODEL", "BEDROCK MODEL ID", "SOURCE", "VERIFIED"), rows, "model mappings");
        }
    }

    @Command(name = "set", description = "Map a model name to a Bedrock model id (or inference profile).")
    static final class Set extends CliCommand {
        @Parameters(index = "0", paramLabel = "MODEL", description = "The name clients send, e.g. claude-sonnet-4-5.")
        String model;

        @Parameters(index = "1", paramLabel = "BEDROCK_MODEL_ID", description = "e.g. us.anthropic.claude-sonnet-4-5-20250929-v1:0")
        String bedrockModelId;

        @Override
        void run() {
            JsonNode answer = admin().put(ApiClient.path("admin", "models", model), new SetModelMappingRequest(bedrockModelId));
            printUpdate(answer, "Model " + model + " now maps to " + bedrockModelId + ".");
        }
    }

    @Command(name = "delete", description = "Delete an admin-set mapping; the model falls back to the configured or built-in one.")
    static final class Delete extends CliCommand {
        @Parameters(paramLabel = "MODEL", description = "The model name.")
        String model;

        @Override
        void run() {
            admin().delete(ApiClient.path("admin", "models", model));
            output().info("Deleted the mapping of model " + model + ".");
        }
    }
}
