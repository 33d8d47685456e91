package ccag.server.persistence;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlBatch;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

@RegisterConstructorMapper(KeyRow.class)
@RegisterConstructorMapper(CredentialRow.class)
public interface KeyDao {
    @SqlUpdate("""
            INSERT INTO virtual_keys (id, key_hash, prefix, name, user_id, team_id, rate_limit_rpm, created_by, created_at, expires_at)
            VALUES (:id, :keyHash, :prefix, :name, :userId, :teamId, :rateLimitRpm, :createdBy, :createdAt, :expiresAt)
            """)
    void insert(@Bind("id") UUID id, @Bind("keyHash") String keyHash, @Bind("prefix") String prefix, @Bind("name") String name,
                @Bind("userId") UUID userId, @Bind("teamId") UUID teamId, @Bind("rateLimitRpm") int rateLimitRpm,
                @Bind("createdBy") UUID createdBy, @Bind("createdAt") Instant createdAt, @Bind("expiresAt") Instant expiresAt);

    @SqlQuery("SELECT * FROM virtual_keys WHERE id = :id")
    Optional<KeyRow> find(@Bind("id") UUID id);

    @SqlQuery("""
            SELECT * FROM virtual_keys
            WHERE (CAST(:userId AS uuid) IS NULL OR user_id = :userId)
              AND (CAST(:teamId AS uuid) IS NULL OR team_id = :teamId)
            ORDER BY created_at, id
            LIMIT :limit OFFSET :offset
            """)
    List<KeyRow> list(@Bind("userId") UUID userId, @Bind("teamId") UUID teamId, @Bind("limit") int limit, @Bind("offset") int offset);

    @SqlQuery("""
            SELECT k.id, k.expires_at, k.revoked_at, k.rate_limit_rpm, k.team_id AS key_team_id,
                   u.id AS user_id, u.idp_id, u.subject, u.email, u.role, u.team_id AS user_team_id, u.active, k.name
            FROM virtual_keys k LEFT JOIN users u ON u.id = k.user_id
            WHERE k.key_hash = :hash
            """)
    Optional<CredentialRow> findForAuthentication(@Bind("hash") String hash);

    @SqlUpdate("UPDATE virtual_keys SET revoked_at = :at WHERE id = :id AND revoked_at IS NULL")
    int revoke(@Bind("id") UUID id, @Bind("at") Instant at);

    @SqlUpdate("UPDATE virtual_keys SET revoked_at = :at WHERE user_id = :userId AND revoked_at IS NULL")
    int revokeAllOf(@Bind("userId") UUID userId, @Bind("at") Instant at);

    @SqlUpdate("DELETE FROM virtual_keys WHERE id = :id")
    int delete(@Bind("id") UUID id);

    @SqlBatch("UPDATE virtual_keys SET last_used_at = GREATEST(COALESCE(last_used_at, :at), :at) WHERE id = :id")
    void markUsed(@Bind("id") Collection<UUID> ids, @Bind("at") Collection<Instant> at);
}
