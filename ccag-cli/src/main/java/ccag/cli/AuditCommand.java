package ccag.cli;

import ccag.api.AuditEvent;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ccagctl audit}: the record of admin changes. */
@Command(name = "audit", description = "Read the audit log of admin changes.", subcommands = AuditCommand.ListEvents.class)
final class AuditCommand extends CommandGroup {

    @Command(name = "list", description = "List audit events, newest first.")
    static final class ListEvents extends CliCommand {
        @Option(names = "--action", paramLabel = "ACTION", description = "Only this action, e.g. key.create, team.delete.")
        String action;

        @Option(names = "--actor", paramLabel = "USER", description = "Only the changes made by this user (id or subject).")
        String actor;

        @Option(names = "--target", paramLabel = "ID", description = "Only the changes to this target (a key, user or team id).")
        String target;

        @Option(names = "--limit", paramLabel = "N", defaultValue = "50", description = "At most N events (default: ${DEFAULT-VALUE}).")
        int limit;

        @Option(names = "--offset", paramLabel = "N", description = "Skip the first N events.")
        Integer offset;

        @Override
        void run() {
            if (limit < 1) {
                throw CliException.usage("--limit must be at least 1");
            }
            ApiClient api = admin();
            Map<String, String> filters = new LinkedHashMap<>();
            if (action != null) {
                filters.put("action", action);
            }
            if (actor != null) {
                filters.put("actor_user_id", Refs.user(api, actor).toString());
            }
            if (target != null) {
                filters.put("target_id", target);
            }
            JsonNode answer = Refs.list(api, ApiClient.path("admin", "audit"), "events", filters, limit, offset);
            Lists.print(output(), answer, "events");
            if (output().json()) {
                return;
            }
            List<List<String>> rows = new ArrayList<>();
            for (JsonNode n : answer.path("events")) {
                AuditEvent e = Json.MAPPER.convertValue(n, AuditEvent.class);
                String target = e.targetType() == null ? e.targetId() : e.targetType() + (e.targetId() == null ? "" : " " + e.targetId());
                rows.add(Arrays.asList(Output.time(e.at()), e.actor() != null ? e.actor() : Output.text(e.actorUserId()),
                        e.action(), target, e.clientAddress()));
            }
            Lists.table(output(), List.of("AT", "ACTOR", "ACTION", "TARGET", "FROM"), rows, "audit events");
        }
    }
}
