package ccag.server.persistence;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

@RegisterConstructorMapper(AuditRow.class)
public interface AuditDao {
    @SqlUpdate("""
            INSERT INTO audit_events (id, at, actor_user_id, actor, action, target_type, target_id, client_address, details)
            VALUES (:id, :at, :actorUserId, :actor, :action, :targetType, :targetId, :clientAddress, CAST(:details AS jsonb))
            """)
    void insert(@Bind("id") UUID id, @Bind("at") Instant at, @Bind("actorUserId") UUID actorUserId, @Bind("actor") String actor,
                @Bind("action") String action, @Bind("targetType") String targetType, @Bind("targetId") String targetId,
                @Bind("clientAddress") String clientAddress, @Bind("details") String details);

    @SqlQuery("""
            SELECT id, at, actor_user_id, actor, action, target_type, target_id, client_address, CAST(details AS text) AS details
            FROM audit_events
            WHERE (CAST(:action AS text) IS NULL OR action = :action)
              AND (CAST(:actorUserId AS uuid) IS NULL OR actor_user_id = :actorUserId)
              AND (CAST(:targetId AS text) IS NULL OR target_id = :targetId)
            ORDER BY at DESC, id
            LIMIT :limit OFFSET :offset
            """)
    List<AuditRow> list(@Bind("action") String action, @Bind("actorUserId") UUID actorUserId, @Bind("targetId") String targetId,
                        @Bind("limit") int limit, @Bind("offset") int offset);
}
