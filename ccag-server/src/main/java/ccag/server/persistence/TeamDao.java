package ccag.server.persistence;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

@RegisterConstructorMapper(TeamRow.class)
public interface TeamDao {
    @SqlUpdate("INSERT INTO teams (id, name, created_at) VALUES (:id, :name, :createdAt)")
    void insert(@Bind("id") UUID id, @Bind("name") String name, @Bind("createdAt") Instant createdAt);

    @SqlQuery("""
            SELECT t.id, t.name, t.created_at, (SELECT count(*) FROM users u WHERE u.team_id = t.id) AS member_count
            FROM teams t WHERE t.id = :id
            """)
    Optional<TeamRow> find(@Bind("id") UUID id);

    @SqlQuery("SELECT EXISTS (SELECT 1 FROM teams WHERE lower(name) = lower(:name) AND id <> :exceptId)")
    boolean nameTaken(@Bind("name") String name, @Bind("exceptId") UUID exceptId);

    @SqlQuery("""
            SELECT t.id, t.name, t.created_at, (SELECT count(*) FROM users u WHERE u.team_id = t.id) AS member_count
            FROM teams t ORDER BY lower(t.name), t.id LIMIT :limit OFFSET :offset
            """)
    List<TeamRow> list(@Bind("limit") int limit, @Bind("offset") int offset);

    @SqlUpdate("UPDATE teams SET name = :name WHERE id = :id")
    int rename(@Bind("id") UUID id, @Bind("name") String name);

    @SqlQuery("SELECT count(*) FROM virtual_keys WHERE team_id = :id AND revoked_at IS NULL")
    int countLiveKeys(@Bind("id") UUID id);

    @SqlUpdate("DELETE FROM teams WHERE id = :id")
    int delete(@Bind("id") UUID id);
}
