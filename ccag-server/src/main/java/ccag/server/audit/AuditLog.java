package ccag.server.audit;

import ccag.api.AuditEvent;
import ccag.api.AuditList;
import ccag.server.auth.principal.Caller;
import ccag.server.persistence.AuditDao;
import ccag.server.persistence.AuditRow;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The audit trail of admin mutations: who (user and subject), what (action), which target, when and
 * from which client address. Records are written in the transaction of the change they describe.
 */
public final class AuditLog {
    private final Jdbi jdbi;
    private final Clock clock;
    private final ObjectMapper json;

    public AuditLog(Jdbi jdbi, Clock clock, ObjectMapper json) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.json = json;
    }

    /** Who did it and from where. */
    public record Actor(UUID userId, String name, String clientAddress) {
        public static Actor of(Caller caller, String clientAddress) {
            return new Actor(caller.userId(), caller.subject() == null ? "unknown" : caller.subject(), clientAddress);
        }

        public static Actor system(String what) {
            return new Actor(null, what, null);
        }
    }

    /** Records one event in the transaction of {@code h}. Details must not contain secrets. */
    public void record(Handle h, Actor actor, String action, String targetType, Object targetId, Map<String, ?> details) {
        String detailJson;
        try {
            detailJson = json.writeValueAsString(details == null ? Map.of() : details);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("audit details are not serialisable", e);
        }
        h.attach(AuditDao.class).insert(UUID.randomUUID(), clock.instant(), actor.userId(), actor.name(), action, targetType,
                targetId == null ? null : targetId.toString(), actor.clientAddress(), detailJson);
    }

    /** Records one event in a transaction of its own. */
    public void record(Actor actor, String action, String targetType, Object targetId, Map<String, ?> details) {
        jdbi.useTransaction(h -> record(h, actor, action, targetType, targetId, details));
    }

    public AuditList list(String action, UUID actorUserId, String targetId, int limit, int offset) {
        List<AuditRow> rows = jdbi.withExtension(AuditDao.class, d -> d.list(action, actorUserId, targetId, limit + 1, offset));
        Integer next = rows.size() > limit ? offset + limit : null;
        return new AuditList(rows.stream().limit(limit).map(this::view).toList(), next);
    }

    private AuditEvent view(AuditRow r) {
        Map<String, Object> details;
        try {
            details = json.readValue(r.details(), new TypeReference<LinkedHashMap<String, Object>>() { });
        } catch (JsonProcessingException e) {
            details = Map.of();
        }
        return new AuditEvent(r.id(), r.at(), r.actorUserId(), r.actor(), r.action(), r.targetType(), r.targetId(),
                r.clientAddress(), details.isEmpty() ? null : details);
    }
}
