package ccag.cli;

import ccag.api.CreateUserRequest;
import ccag.api.Role;
import ccag.api.SetTeamRequest;
import ccag.api.UpdateUserRequest;
import ccag.api.UserView;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ccagctl users}: the people and service accounts of the gateway. USER is an id or a subject. */
@Command(name = "users", description = "Create, list, show, change and delete users. USER is a user id or subject.",
        subcommands = {UsersCommand.Create.class, UsersCommand.ListUsers.class, UsersCommand.Show.class,
            UsersCommand.SetTeam.class, UsersCommand.SetRole.class, UsersCommand.Activate.class,
            UsersCommand.Deactivate.class, UsersCommand.Delete.class})
final class UsersCommand extends CommandGroup {

    @Command(name = "create", description = "Create a user; prints the new user's id.")
    static final class Create extends CliCommand {
        @Option(names = "--subject", required = true, paramLabel = "SUBJECT", description = "The identity provider's user name (its 'sub' claim), e.g. jdoe.")
        String subject;

        @Option(names = "--email", paramLabel = "EMAIL", description = "Email address.")
        String email;

        @Option(names = "--role", paramLabel = "ROLE", completionCandidates = Args.Roles.class,
                description = "member or admin (default: member).")
        Role role;

        @Option(names = "--team", paramLabel = "TEAM", description = "Team: a team id or name.")
        String team;

        @Option(names = "--idp", paramLabel = "IDP_ID", description = "Identity provider id (default: the primary one).")
        String idp;

        @Override
        void run() {
            UUID idpId = idp == null ? null : Args.uuid(idp, "identity provider");
            ApiClient api = admin();
            UUID teamId = team == null ? null : Refs.team(api, team);
            JsonNode answer = api.post(ApiClient.path("admin", "users"), new CreateUserRequest(subject, email, role, idpId, teamId));
            UserView u = Json.MAPPER.convertValue(answer, UserView.class);
            if (output().json()) {
                output().printJson(answer);
            } else {
                output().result(Output.text(u.id()));
            }
            output().info("Created user " + u.subject() + " (id " + u.id() + ", role " + (u.role() == null ? "-" : u.role().wireName()) + ").");
        }
    }

    @Command(name = "list", description = "List users.")
    static final class ListUsers extends CliCommand {
        @Option(names = "--team", paramLabel = "TEAM", description = "Only the members of this team (id or name).")
        String team;

        @Option(names = "--limit", paramLabel = "N", description = "One page of at most N users (default: all).")
        Integer limit;

        @Option(names = "--offset", paramLabel = "N", description = "Start the page at N.")
        Integer offset;

        @Override
        void run() {
            ApiClient api = admin();
            Map<String, String> filters = team == null ? Map.of() : Map.of("team_id", Refs.team(api, team).toString());
            JsonNode answer = Refs.list(api, ApiClient.path("admin", "users"), "users", filters, limit, offset);
            Lists.print(output(), answer, "users");
            if (output().json()) {
                return;
            }
            List<List<String>> rows = new ArrayList<>();
            for (JsonNode n : answer.path("users")) {
                UserView u = Json.MAPPER.convertValue(n, UserView.class);
                rows.add(Arrays.asList(Output.text(u.id()), u.subject(), u.email(), u.role() == null ? null : u.role().wireName(),
                        Output.text(u.teamId()), Boolean.FALSE.equals(u.active()) ? "no" : "yes"));
            }
            Lists.table(output(), List.of("ID", "SUBJECT", "EMAIL", "ROLE", "TEAM", "ACTIVE"), rows, "users");
        }
    }

    @Command(name = "show", description = "Show one user.")
    static final class Show extends CliCommand {
        @Parameters(paramLabel = "USER", description = "User id or subject.")
        String user;

        @Override
        void run() {
            ApiClient api = admin();
            JsonNode answer = api.get(ApiClient.path("admin", "users", Refs.user(api, user).toString()));
            if (output().json()) {
                output().printJson(answer);
                return;
            }
            print(output(), Json.MAPPER.convertValue(answer, UserView.class));
        }
    }

    @Command(name = "set-team", description = "Put a user in a team, or take it out with --none.")
    static final class SetTeam extends CliCommand {
        @Parameters(index = "0", paramLabel = "USER", description = "User id or subject.")
        String user;

        @Parameters(index = "1", arity = "0..1", paramLabel = "TEAM", description = "Team id or name.")
        String team;

        @Option(names = "--none", description = "Take the user out of its team.")
        boolean none;

        @Override
        void run() {
            if ((team == null) == !none) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                        none ? "give either TEAM or --none, not both" : "missing TEAM (or --none to take the user out of its team)");
            }
            ApiClient api = admin();
            UUID userId = Refs.user(api, user);
            UUID teamId = none ? null : Refs.team(api, team);
            JsonNode answer = api.put(ApiClient.path("admin", "users", userId.toString(), "team"), new SetTeamRequest(teamId));
            printUpdate(answer, teamId == null ? "Removed user " + user + " from its team." : "User " + user + " is now in team " + team + ".");
        }
    }

    @Command(name = "set-role", description = "Change a user's role.")
    static final class SetRole extends CliCommand {
        @Parameters(index = "0", paramLabel = "USER", description = "User id or subject.")
        String user;

        @Parameters(index = "1", paramLabel = "ROLE", completionCandidates = Args.Roles.class, description = "member or admin.")
        Role role;

        @Override
        void run() {
            ApiClient api = admin();
            JsonNode answer = api.patch(ApiClient.path("admin", "users", Refs.user(api, user).toString()), new UpdateUserRequest(role, null, null));
            printUpdate(answer, "User " + user + " now has role " + role.wireName() + ".");
        }
    }

    @Command(name = "deactivate", description = "Deactivate a user: its keys and sessions are refused until it is activated again.")
    static final class Deactivate extends CliCommand {
        @Parameters(paramLabel = "USER", description = "User id or subject.")
        String user;

        @Override
        void run() {
            ApiClient api = admin();
            JsonNode answer = api.patch(ApiClient.path("admin", "users", Refs.user(api, user).toString()), new UpdateUserRequest(null, false, null));
            printUpdate(answer, "Deactivated user " + user + ".");
        }
    }

    @Command(name = "activate", description = "Activate a deactivated user again.")
    static final class Activate extends CliCommand {
        @Parameters(paramLabel = "USER", description = "User id or subject.")
        String user;

        @Override
        void run() {
            ApiClient api = admin();
            JsonNode answer = api.patch(ApiClient.path("admin", "users", Refs.user(api, user).toString()), new UpdateUserRequest(null, true, null));
            printUpdate(answer, "Activated user " + user + ".");
        }
    }

    @Command(name = "delete", description = "Delete a user; its keys and sessions are revoked at once.")
    static final class Delete extends CliCommand {
        @Parameters(paramLabel = "USER", description = "User id or subject.")
        String user;

        @Override
        void run() {
            ApiClient api = admin();
            UUID id = Refs.user(api, user);
            api.delete(ApiClient.path("admin", "users", id.toString()));
            output().info("Deleted user " + user + (user.equals(id.toString()) ? "" : " (id " + id + ")") + ".");
        }
    }

    static void print(Output out, UserView u) {
        out.fields(List.of(
                Arrays.asList("ID", Output.text(u.id())),
                Arrays.asList("Subject", u.subject()),
                Arrays.asList("Email", u.email()),
                Arrays.asList("Role", u.role() == null ? null : u.role().wireName()),
                Arrays.asList("Team", Output.text(u.teamId())),
                Arrays.asList("Identity provider", Output.text(u.idpId())),
                Arrays.asList("Active", Boolean.FALSE.equals(u.active()) ? "no" : "yes"),
                Arrays.asList("Created", Output.time(u.createdAt())),
                Arrays.asList("Last seen", Output.time(u.lastSeenAt()))));
    }
}
