package ccag.server.auth.identity;

import ccag.api.TeamList;
import ccag.api.TeamView;
import ccag.server.audit.AuditLog;
import ccag.server.errors.Conflict;
import ccag.server.errors.NotFound;
import ccag.server.persistence.TeamDao;
import ccag.server.persistence.TeamRow;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/** Teams: unique names (case-insensitive); a team with members or unrevoked keys cannot be deleted. */
public final class Teams {
    private static final UUID NONE = new UUID(0, 0);

    private final Jdbi jdbi;
    private final AuditLog audit;
    private final Clock clock;

    public Teams(Jdbi jdbi, AuditLog audit, Clock clock) {
        this.jdbi = jdbi;
        this.audit = audit;
        this.clock = clock;
    }

    public TeamView create(AuditLog.Actor actor, String rawName) {
        String name = rawName.strip();
        UUID id = UUID.randomUUID();
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        uniquely(() -> jdbi.inTransaction(h -> {
            TeamDao teams = h.attach(TeamDao.class);
            if (teams.nameTaken(name, NONE)) {
                throw new Conflict("A team named '" + name + "' already exists", "name");
            }
            teams.insert(id, name, now);
            audit.record(h, actor, "team.create", "team", id, Map.of("name", name));
            return id;
        }), "A team named '" + name + "' already exists", "name");
        return get(id);
    }

    public TeamList list(int limit, int offset) {
        List<TeamRow> rows = jdbi.withExtension(TeamDao.class, d -> d.list(limit + 1, offset));
        Integer next = rows.size() > limit ? offset + limit : null;
        return new TeamList(rows.stream().limit(limit).map(Teams::view).toList(), next);
    }

    public TeamView get(UUID id) {
        return view(jdbi.withExtension(TeamDao.class, d -> d.find(id)).orElseThrow(() -> NotFound.of("Team", id)));
    }

    public TeamView rename(AuditLog.Actor actor, UUID id, String rawName) {
        String name = rawName.strip();
        uniquely(() -> jdbi.inTransaction(h -> {
            TeamDao teams = h.attach(TeamDao.class);
            TeamRow t = teams.find(id).orElseThrow(() -> NotFound.of("Team", id));
            if (teams.nameTaken(name, id)) {
                throw new Conflict("A team named '" + name + "' already exists", "name");
            }
            teams.rename(id, name);
            audit.record(h, actor, "team.update", "team", id, Map.of("name", name, "previous_name", t.name()));
            return id;
        }), "A team named '" + name + "' already exists", "name");
        return get(id);
    }

    public void delete(AuditLog.Actor actor, UUID id) {
        jdbi.useTransaction(h -> {
            TeamDao teams = h.attach(TeamDao.class);
            TeamRow t = teams.find(id).orElseThrow(() -> NotFound.of("Team", id));
            int keys = teams.countLiveKeys(id);
            if (t.memberCount() > 0 || keys > 0) {
                throw new Conflict("Team '" + t.name() + "' still has " + t.memberCount() + " member(s) and " + keys
                        + " unrevoked key(s): move or remove them first");
            }
            teams.delete(id);
            audit.record(h, actor, "team.delete", "team", id, Map.of("name", t.name()));
        });
    }

    static TeamView view(TeamRow r) {
        return new TeamView(r.id(), r.name(), r.memberCount(), r.createdAt());
    }

    /** A concurrent insert of the same name/subject lost the race to the unique index: still a 409. */
    private static <T> T uniquely(java.util.function.Supplier<T> work, String message, String field) {
        try {
            return work.get();
        } catch (org.jdbi.v3.core.statement.UnableToExecuteStatementException e) {
            if (e.getCause() instanceof java.sql.SQLException s && "23505".equals(s.getSQLState())) {
                throw new Conflict(message, field);
            }
            throw e;
        }
    }
}
