package ccag.server.persistence;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * Browser logins in flight. Every state change is one conditional UPDATE, so two instances racing on
 * the same login (a replayed callback, two polls) cannot both succeed.
 */
@RegisterConstructorMapper(OidcLoginRow.class)
public interface OidcLoginDao {
    String COLUMNS = """
            id, kind, idp_id, poll_secret_hash, verification_code, nonce, code_verifier, redirect_uri, status, failure,
            token_expires_at, user_id, created_at, expires_at
            """;

    @SqlUpdate("""
            INSERT INTO oidc_logins (id, kind, idp_id, state_hash, session_code_hash, poll_secret_hash, verification_code,
                                     nonce, code_verifier, redirect_uri, status, created_at, expires_at)
            VALUES (:id, :kind, :idpId, :stateHash, :sessionCodeHash, :pollSecretHash, :verificationCode,
                    :nonce, :codeVerifier, :redirectUri, 'pending', :createdAt, :expiresAt)
            """)
    void insert(@Bind("id") UUID id, @Bind("kind") String kind, @Bind("idpId") UUID idpId, @Bind("stateHash") String stateHash,
                @Bind("sessionCodeHash") String sessionCodeHash, @Bind("pollSecretHash") String pollSecretHash,
                @Bind("verificationCode") String verificationCode, @Bind("nonce") String nonce,
                @Bind("codeVerifier") String codeVerifier, @Bind("redirectUri") String redirectUri,
                @Bind("createdAt") Instant createdAt, @Bind("expiresAt") Instant expiresAt);

    @SqlQuery("SELECT " + COLUMNS + " FROM oidc_logins WHERE state_hash = :hash")
    Optional<OidcLoginRow> findByState(@Bind("hash") String stateHash);

    @SqlQuery("SELECT " + COLUMNS + " FROM oidc_logins WHERE session_code_hash = :hash AND kind = 'cli'")
    Optional<OidcLoginRow> findBySessionCode(@Bind("hash") String sessionCodeHash);

    @SqlQuery("SELECT " + COLUMNS + " FROM oidc_logins WHERE complete_code_hash = :hash AND kind = 'cli'")
    Optional<OidcLoginRow> findByCompleteCode(@Bind("hash") String completeCodeHash);

    /** pending → authorized: the callback verified the IdP's token and found the user. */
    @SqlUpdate("""
            UPDATE oidc_logins SET status = 'authorized', complete_code_hash = :completeCodeHash, token = :token,
                   token_expires_at = :tokenExpiresAt, user_id = :userId
            WHERE id = :id AND status = 'pending' AND expires_at > :now
            """)
    int authorize(@Bind("id") UUID id, @Bind("completeCodeHash") String completeCodeHash, @Bind("token") String token,
                  @Bind("tokenExpiresAt") Instant tokenExpiresAt, @Bind("userId") UUID userId, @Bind("now") Instant now);

    /** pending → delivered, for a portal login whose session token went straight to the browser. */
    @SqlUpdate("""
            UPDATE oidc_logins SET status = 'delivered', user_id = :userId
            WHERE id = :id AND status = 'pending' AND expires_at > :now
            """)
    int finish(@Bind("id") UUID id, @Bind("userId") UUID userId, @Bind("now") Instant now);

    /** pending → failed: the IdP or the gateway refused the sign-in; the CLI stops polling. */
    @SqlUpdate("UPDATE oidc_logins SET status = 'failed', failure = :failure WHERE id = :id AND status = 'pending'")
    int fail(@Bind("id") UUID id, @Bind("failure") String failure);

    /** authorized → complete (POST /auth/cli/complete). */
    @SqlUpdate("UPDATE oidc_logins SET status = 'complete' WHERE id = :id AND status = 'authorized' AND expires_at > :now")
    int complete(@Bind("id") UUID id, @Bind("now") Instant now);

    /** complete → delivered, handing out the token exactly once and forgetting it. */
    @SqlQuery("""
            UPDATE oidc_logins o SET status = 'delivered', token = NULL
            FROM (SELECT id, token FROM oidc_logins WHERE id = :id FOR UPDATE) old
            WHERE o.id = old.id AND o.status = 'complete' AND o.expires_at > :now
            RETURNING old.token
            """)
    Optional<String> deliver(@Bind("id") UUID id, @Bind("now") Instant now);

    /** Housekeeping: logins that can no longer change. */
    @SqlUpdate("DELETE FROM oidc_logins WHERE expires_at < :before")
    int deleteExpired(@Bind("before") Instant before);
}
