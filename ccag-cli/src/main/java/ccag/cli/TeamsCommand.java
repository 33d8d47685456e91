package ccag.cli;

import ccag.api.CreateTeamRequest;
import ccag.api.TeamView;
import ccag.api.UpdateTeamRequest;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ccagctl teams}: groups of users for spend and budgets. TEAM is an id or a name. */
@Command(name = "teams", description = "Create, list, show, rename and delete teams. TEAM is a team id or name.",
        subcommands = {TeamsCommand.Create.class, TeamsCommand.ListTeams.class, TeamsCommand.Show.class,
            TeamsCommand.Rename.class, TeamsCommand.Delete.class})
final class TeamsCommand extends CommandGroup {

    @Command(name = "create", description = "Create a team; prints the new team's id.")
    static final class Create extends CliCommand {
        @Parameters(paramLabel = "NAME", description = "Team name, e.g. Engineering.")
        String name;

        @Override
        void run() {
            JsonNode answer = admin().post(ApiClient.path("admin", "teams"), new CreateTeamRequest(name));
            TeamView t = Json.MAPPER.convertValue(answer, TeamView.class);
            if (output().json()) {
                output().printJson(answer);
            } else {
                output().result(Output.text(t.id()));
            }
            output().info("Created team " + t.name() + " (id " + t.id() + ").");
        }
    }

    @Command(name = "list", description = "List teams.")
    static final class ListTeams extends CliCommand {
        @Option(names = "--limit", paramLabel = "N", description = "One page of at most N teams (default: all).")
        Integer limit;

        @Option(names = "--offset", paramLabel = "N", description = "Start the page at N.")
        Integer offset;

        @Override
        void run() {
            JsonNode answer = Refs.list(admin(), ApiClient.path("admin", "teams"), "teams", Map.of(), limit, offset);
            Lists.print(output(), answer, "teams");
            if (output().json()) {
                return;
            }
            List<List<String>> rows = new ArrayList<>();
            for (JsonNode n : answer.path("teams")) {
                TeamView t = Json.MAPPER.convertValue(n, TeamView.class);
                rows.add(Arrays.asList(Output.text(t.id()), t.name(), Output.text(t.memberCount()), Output.time(t.createdAt())));
            }
            Lists.table(output(), List.of("ID", "NAME", "MEMBERS", "CREATED"), rows, "teams");
        }
    }

    @Command(name = "show", description = "Show one team.")
    static final class Show extends CliCommand {
        @Parameters(paramLabel = "TEAM", description = "Team id or name.")
        String team;

        @Override
        void run() {
            ApiClient api = admin();
            JsonNode answer = api.get(ApiClient.path("admin", "teams", Refs.team(api, team).toString()));
            if (output().json()) {
                output().printJson(answer);
                return;
            }
            TeamView t = Json.MAPPER.convertValue(answer, TeamView.class);
            output().fields(List.of(
                    Arrays.asList("ID", Output.text(t.id())),
                    Arrays.asList("Name", t.name()),
                    Arrays.asList("Members", Output.text(t.memberCount())),
                    Arrays.asList("Created", Output.time(t.createdAt()))));
        }
    }

    @Command(name = "rename", description = "Rename a team.")
    static final class Rename extends CliCommand {
        @Parameters(index = "0", paramLabel = "TEAM", description = "Team id or current name.")
        String team;

        @Parameters(index = "1", paramLabel = "NEW_NAME", description = "The new name.")
        String newName;

        @Override
        void run() {
            ApiClient api = admin();
            JsonNode answer = api.patch(ApiClient.path("admin", "teams", Refs.team(api, team).toString()), new UpdateTeamRequest(newName));
            printUpdate(answer, "Renamed team " + team + " to " + newName + ".");
        }
    }

    @Command(name = "delete", description = "Delete a team; refused (exit 5) while it still has members or keys.")
    static final class Delete extends CliCommand {
        @Parameters(paramLabel = "TEAM", description = "Team id or name.")
        String team;

        @Override
        void run() {
            ApiClient api = admin();
            UUID id = Refs.team(api, team);
            api.delete(ApiClient.path("admin", "teams", id.toString()));
            output().info("Deleted team " + team + (team.equals(id.toString()) ? "" : " (id " + id + ")") + ".");
        }
    }
}
