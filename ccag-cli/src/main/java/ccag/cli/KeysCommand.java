package ccag.cli;

import ccag.api.CreateKeyRequest;
import ccag.api.CreatedKey;
import ccag.api.KeyView;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ccagctl keys}: virtual keys ({@code sk-proxy-…}), tier 2. */
@Command(name = "keys", description = "Create, list, show, revoke and delete virtual keys.",
        subcommands = {KeysCommand.Create.class, KeysCommand.ListKeys.class, KeysCommand.Show.class,
            KeysCommand.Revoke.class, KeysCommand.Delete.class})
final class KeysCommand extends CommandGroup {

    @Command(name = "create", description = {
        "Create a virtual key. Prints the key itself, once: it cannot be shown again.",
        "With --output json, prints the whole answer (key, id, prefix, ...)."})
    static final class Create extends CliCommand {
        @Option(names = "--name", required = true, paramLabel = "NAME", description = "A name to recognise the key by, e.g. ci-nightly.")
        String name;

        @Option(names = "--rpm", paramLabel = "N", description = "Rate limit: at most N requests per minute (0 or absent: unlimited).")
        Integer rpm;

        @Option(names = "--user", paramLabel = "USER", description = "Owner: a user id or subject.")
        String user;

        @Option(names = "--team", paramLabel = "TEAM", description = "Team: a team id or name.")
        String team;

        @Option(names = "--expires", paramLabel = "WHEN",
                description = "Expiry: 2026-12-31T18:00:00Z, 2026-12-31 (00:00 UTC), a span from now (30m, 12h, 90d, 2w) or never.")
        String expires;

        @Override
        void run() {
            if (rpm != null && rpm < 0) {
                throw CliException.usage("--rpm must be 0 (unlimited) or more, not " + rpm);
            }
            Instant expiresAt = expires == null ? null : Args.expiry(expires, env().clock());
            ApiClient api = admin();
            UUID userId = user == null ? null : Refs.user(api, user);
            UUID teamId = team == null ? null : Refs.team(api, team);
            JsonNode answer = api.post(ApiClient.path("admin", "keys"), new CreateKeyRequest(name, rpm, userId, teamId, expiresAt));
            CreatedKey key = Json.MAPPER.convertValue(answer, CreatedKey.class);
            if (output().json()) {
                output().printJson(answer);
            } else {
                output().result(key.key());
            }
            output().info("Created key '" + key.name() + "' (id " + key.id() + ", prefix " + key.prefix()
                    + "). The key is shown only this once: store it now.");
        }
    }

    @Command(name = "list", description = "List virtual keys (never their secrets).")
    static final class ListKeys extends CliCommand {
        @Option(names = "--user", paramLabel = "USER", description = "Only the keys of this user (id or subject).")
        String user;

        @Option(names = "--team", paramLabel = "TEAM", description = "Only the keys of this team (id or name).")
        String team;

        @Option(names = "--limit", paramLabel = "N", description = "One page of at most N keys (default: all keys, page by page).")
        Integer limit;

        @Option(names = "--offset", paramLabel = "N", description = "Start the page at N.")
        Integer offset;

        @Option(names = {"-w", "--wide"}, description = "Also show user, team and creation time.")
        boolean wide;

        @Override
        void run() {
            ApiClient api = admin();
            Map<String, String> filters = new LinkedHashMap<>();
            if (user != null) {
                filters.put("user_id", Refs.user(api, user).toString());
            }
            if (team != null) {
                filters.put("team_id", Refs.team(api, team).toString());
            }
            JsonNode answer = Refs.list(api, ApiClient.path("admin", "keys"), "keys", filters, limit, offset);
            Lists.print(output(), answer, "keys");
            if (output().json()) {
                return;
            }
            List<List<String>> rows = new ArrayList<>();
            for (JsonNode n : answer.path("keys")) {
                KeyView k = Json.MAPPER.convertValue(n, KeyView.class);
                List<String> row = new ArrayList<>(Arrays.asList(Output.text(k.id()), k.name(), k.prefix(), k.status(),
                        rpm(k.rateLimitRpm()), Output.time(k.expiresAt()), Output.time(k.lastUsedAt())));
                if (wide) {
                    row.addAll(Arrays.asList(Output.text(k.userId()), Output.text(k.teamId()), Output.time(k.createdAt())));
                }
                rows.add(row);
            }
            List<String> headers = new ArrayList<>(List.of("ID", "NAME", "PREFIX", "STATUS", "RPM", "EXPIRES", "LAST USED"));
            if (wide) {
                headers.addAll(List.of("USER", "TEAM", "CREATED"));
            }
            Lists.table(output(), headers, rows, "keys");
        }
    }

    @Command(name = "show", description = "Show one key.")
    static final class Show extends CliCommand {
        @Parameters(paramLabel = "KEY_ID", description = "The key's id.")
        String id;

        @Override
        void run() {
            UUID keyId = Args.uuid(id, "key");
            JsonNode answer = admin().get(ApiClient.path("admin", "keys", keyId.toString()));
            if (output().json()) {
                output().printJson(answer);
                return;
            }
            print(output(), Json.MAPPER.convertValue(answer, KeyView.class));
        }
    }

    @Command(name = "revoke", description = "Revoke a key: every gateway instance refuses it within seconds. The record stays, for audit and spend.")
    static final class Revoke extends CliCommand {
        @Parameters(paramLabel = "KEY_ID", description = "The key's id.")
        String id;

        @Override
        void run() {
            UUID keyId = Args.uuid(id, "key");
            JsonNode answer = admin().post(ApiClient.path("admin", "keys", keyId.toString(), "revoke"), null);
            if (output().json() && answer != null) {
                output().printJson(answer);
            }
            output().info("Revoked key " + keyId + ".");
        }
    }

    @Command(name = "delete", description = "Delete a key for good (revoke it instead to keep its record).")
    static final class Delete extends CliCommand {
        @Parameters(paramLabel = "KEY_ID", description = "The key's id.")
        String id;

        @Override
        void run() {
            UUID keyId = Args.uuid(id, "key");
            admin().delete(ApiClient.path("admin", "keys", keyId.toString()));
            output().info("Deleted key " + keyId + ".");
        }
    }

    static void print(Output out, KeyView k) {
        out.fields(List.of(
                Arrays.asList("ID", Output.text(k.id())),
                Arrays.asList("Name", k.name()),
                Arrays.asList("Prefix", k.prefix()),
                Arrays.asList("Status", k.status()),
                Arrays.asList("Rate limit", k.rateLimitRpm() == null || k.rateLimitRpm() == 0 ? "unlimited" : k.rateLimitRpm() + " requests/minute"),
                Arrays.asList("User", Output.text(k.userId())),
                Arrays.asList("Team", Output.text(k.teamId())),
                Arrays.asList("Created", Output.time(k.createdAt())),
                Arrays.asList("Expires", k.expiresAt() == null ? "never" : Output.time(k.expiresAt())),
                Arrays.asList("Revoked", Output.time(k.revokedAt())),
                Arrays.asList("Last used", Output.time(k.lastUsedAt()))));
    }

    private static String rpm(Integer rpm) {
        return rpm == null || rpm == 0 ? "unlimited" : rpm.toString();
    }
}
