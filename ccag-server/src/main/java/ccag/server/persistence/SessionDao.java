package ccag.server.persistence;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

@RegisterConstructorMapper(CredentialRow.class)
public interface SessionDao {
    @SqlUpdate("""
            INSERT INTO sessions (id, token_hash, user_id, created_at, expires_at, client_address)
            VALUES (:id, :tokenHash, :userId, :createdAt, :expiresAt, :clientAddress)
            """)
    void insert(@Bind("id") UUID id, @Bind("tokenHash") String tokenHash, @Bind("userId") UUID userId,
                @Bind("createdAt") Instant createdAt, @Bind("expiresAt") Instant expiresAt, @Bind("clientAddress") String clientAddress);

    @SqlQuery("""
            SELECT s.id, s.expires_at, s.revoked_at, 0 AS rate_limit_rpm, CAST(NULL AS uuid) AS key_team_id,
                   u.id AS user_id, u.idp_id, u.subject, u.email, u.role, u.team_id AS user_team_id, u.active, u.subject AS name
            FROM sessions s JOIN users u ON u.id = s.user_id
            WHERE s.token_hash = :hash
            """)
    Optional<CredentialRow> findForAuthentication(@Bind("hash") String hash);

    @SqlUpdate("UPDATE sessions SET revoked_at = :at WHERE id = :id AND revoked_at IS NULL")
    int revoke(@Bind("id") UUID id, @Bind("at") Instant at);

    @SqlUpdate("UPDATE sessions SET revoked_at = :at WHERE user_id = :userId AND revoked_at IS NULL")
    int revokeAllOf(@Bind("userId") UUID userId, @Bind("at") Instant at);

    /** Housekeeping: sessions that can never be used again. */
    @SqlUpdate("DELETE FROM sessions WHERE expires_at < :before OR revoked_at < :before")
    int deleteDead(@Bind("before") Instant before);
}
