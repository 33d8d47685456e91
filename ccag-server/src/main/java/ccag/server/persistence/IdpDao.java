package ccag.server.persistence;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Identity providers: the environment's row (well-known id) and those created through /admin/idps. */
@RegisterConstructorMapper(IdpRow.class)
public interface IdpDao {
    /** Change channel: an IdP was created, changed or deleted; every instance reloads its registry. */
    String CHANNEL = "idps";

    String COLUMNS = """
            id, name, issuer_url, audience, client_id, client_secret, auto_provision, default_role, allowed_domains,
            enabled, source, created_at
            """;

    /** Every token-validating IdP (not the local password provider): the environment's first, then by creation. */
    @SqlQuery("SELECT " + COLUMNS + " FROM identity_providers WHERE source <> 'local' "
            + "ORDER BY (source = 'env') DESC, created_at, id")
    List<IdpRow> list();

    @SqlQuery("SELECT " + COLUMNS + " FROM identity_providers WHERE id = :id AND source <> 'local'")
    Optional<IdpRow> find(@Bind("id") UUID id);

    @SqlQuery("SELECT EXISTS (SELECT 1 FROM identity_providers WHERE issuer_url = :issuer AND id <> :exceptId)")
    boolean issuerTaken(@Bind("issuer") String issuer, @Bind("exceptId") UUID exceptId);

    @SqlUpdate("""
            INSERT INTO identity_providers (id, name, issuer_url, audience, client_id, client_secret, auto_provision,
                                            default_role, allowed_domains, enabled, source, created_at)
            VALUES (:id, :name, :issuer, :audience, :clientId, :clientSecret, :autoProvision, :defaultRole,
                    :allowedDomains, :enabled, 'admin', :createdAt)
            """)
    void insert(@Bind("id") UUID id, @Bind("name") String name, @Bind("issuer") String issuer, @Bind("audience") String audience,
                @Bind("clientId") String clientId, @Bind("clientSecret") String clientSecret,
                @Bind("autoProvision") boolean autoProvision, @Bind("defaultRole") String defaultRole,
                @Bind("allowedDomains") String[] allowedDomains, @Bind("enabled") boolean enabled,
                @Bind("createdAt") Instant createdAt);

    /** Updates an admin-created IdP; the environment's row is left alone. */
    default int update(UUID id, String name, String issuer, String audience, String clientId, String clientSecret,
                       boolean autoProvision, String defaultRole, String[] allowedDomains, boolean enabled) {
        return write(id, "admin", name, issuer, audience, clientId, clientSecret, autoProvision, defaultRole, allowedDomains,
                enabled);
    }

    /**
     * Writes the environment's IdP into its well-known row at startup (disabled when OIDC_ISSUER is unset),
     * so users can reference it; the row is read-only through the API.
     */
    default int syncEnv(UUID id, String name, String issuer, String audience, String clientId, String clientSecret,
                        boolean autoProvision, String defaultRole, String[] allowedDomains, boolean enabled) {
        return write(id, "env", name, issuer, audience, clientId, clientSecret, autoProvision, defaultRole, allowedDomains,
                enabled);
    }

    /** Rewrites the settings of the IdP {@code id} if it comes from {@code source} ({@code admin} or {@code env}). */
    @SqlUpdate("""
            UPDATE identity_providers SET name = :name, issuer_url = :issuer, audience = :audience, client_id = :clientId,
                   client_secret = :clientSecret, auto_provision = :autoProvision, default_role = :defaultRole,
                   allowed_domains = :allowedDomains, enabled = :enabled
            WHERE id = :id AND source = :source
            """)
    int write(@Bind("id") UUID id, @Bind("source") String source, @Bind("name") String name, @Bind("issuer") String issuer,
              @Bind("audience") String audience, @Bind("clientId") String clientId, @Bind("clientSecret") String clientSecret,
              @Bind("autoProvision") boolean autoProvision, @Bind("defaultRole") String defaultRole,
              @Bind("allowedDomains") String[] allowedDomains, @Bind("enabled") boolean enabled);

    @SqlUpdate("DELETE FROM identity_providers WHERE id = :id AND source = 'admin'")
    int delete(@Bind("id") UUID id);

    @SqlQuery("SELECT id FROM users WHERE idp_id = :idpId")
    List<UUID> userIds(@Bind("idpId") UUID idpId);

    @SqlQuery("SELECT count(*) FROM users WHERE role = 'admin' AND active AND idp_id <> :idpId")
    int countActiveAdminsOutside(@Bind("idpId") UUID idpId);
}
