package ccag.server.persistence;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlBatch;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

@RegisterConstructorMapper(UserRow.class)
public interface UserDao {
    /** The local provider: password accounts (the bootstrap admin). It never validates a token. */
    UUID LOCAL_IDP = UUID.fromString("00000000-0000-0000-0000-000000000001");
    /** The primary provider (OIDC_ISSUER); admin-created users without an idp_id belong to it. */
    UUID PRIMARY_IDP = UUID.fromString("00000000-0000-0000-0000-000000000002");

    @SqlUpdate("""
            INSERT INTO users (id, idp_id, subject, email, role, team_id, active, password_hash, created_at)
            VALUES (:id, :idpId, :subject, :email, :role, :teamId, :active, :passwordHash, :createdAt)
            """)
    void insert(@Bind("id") UUID id, @Bind("idpId") UUID idpId, @Bind("subject") String subject, @Bind("email") String email,
                @Bind("role") String role, @Bind("teamId") UUID teamId, @Bind("active") boolean active,
                @Bind("passwordHash") String passwordHash, @Bind("createdAt") Instant createdAt);

    @SqlQuery("SELECT * FROM users WHERE id = :id")
    Optional<UserRow> find(@Bind("id") UUID id);

    @SqlQuery("SELECT * FROM users WHERE idp_id = :idpId AND subject = :subject")
    Optional<UserRow> findByIdentity(@Bind("idpId") UUID idpId, @Bind("subject") String subject);

    @SqlQuery("SELECT EXISTS (SELECT 1 FROM identity_providers WHERE id = :id)")
    boolean idpExists(@Bind("id") UUID id);

    @SqlQuery("""
            SELECT * FROM users
            WHERE (CAST(:teamId AS uuid) IS NULL OR team_id = :teamId)
            ORDER BY created_at, id
            LIMIT :limit OFFSET :offset
            """)
    List<UserRow> list(@Bind("teamId") UUID teamId, @Bind("limit") int limit, @Bind("offset") int offset);

    @SqlUpdate("""
            UPDATE users SET role = :role, active = :active, email = :email WHERE id = :id
            """)
    int update(@Bind("id") UUID id, @Bind("role") String role, @Bind("active") boolean active, @Bind("email") String email);

    @SqlUpdate("UPDATE users SET team_id = :teamId WHERE id = :id")
    int setTeam(@Bind("id") UUID id, @Bind("teamId") UUID teamId);

    @SqlUpdate("UPDATE users SET role = 'admin', active = true, password_hash = :passwordHash WHERE id = :id")
    int restoreLocalAdmin(@Bind("id") UUID id, @Bind("passwordHash") String passwordHash);

    @SqlQuery("SELECT count(*) FROM users WHERE role = 'admin' AND active AND id <> :exceptId")
    int countOtherActiveAdmins(@Bind("exceptId") UUID exceptId);

    @SqlQuery("SELECT count(*) FROM users WHERE role = 'admin' AND active")
    int countActiveAdmins();

    @SqlUpdate("DELETE FROM users WHERE id = :id")
    int delete(@Bind("id") UUID id);

    @SqlBatch("UPDATE users SET last_seen_at = GREATEST(COALESCE(last_seen_at, :at), :at) WHERE id = :id")
    void markSeen(@Bind("id") Collection<UUID> ids, @Bind("at") Collection<Instant> at);

    @SqlQuery("SELECT * FROM users WHERE id IN (<ids>)")
    List<UserRow> findAll(@BindList("ids") Collection<UUID> ids);
}
