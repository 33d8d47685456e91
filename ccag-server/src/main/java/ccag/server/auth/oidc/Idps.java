package ccag.server.auth.oidc;

import ccag.api.CreateIdpRequest;
import ccag.api.IdpList;
import ccag.api.IdpView;
import ccag.api.Role;
import ccag.api.UpdateIdpRequest;
import ccag.server.audit.AuditLog;
import ccag.server.auth.CredentialCache;
import ccag.server.errors.Conflict;
import ccag.server.errors.InvalidRequest;
import ccag.server.errors.NotFound;
import ccag.server.persistence.ChangeDao;
import ccag.server.persistence.IdpDao;
import ccag.server.persistence.IdpRow;
import ccag.server.persistence.KeyDao;
import ccag.server.persistence.Notifications;
import ccag.server.persistence.SessionDao;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Identity providers: the environment's (read-only, {@code source: env}) and those managed through
 * {@code /admin/idps}. Every change is published on {@link IdpDao#CHANNEL}; each instance reloads its
 * {@link IdpRegistry} on the notification (or the periodic poll), so a change applies everywhere
 * within a second. Deleting an IdP deletes its users and revokes their keys and sessions: a user is
 * the pair (IdP, subject) and cannot outlive its IdP.
 */
public final class Idps implements Notifications.Listener {
    private static final Logger LOG = LoggerFactory.getLogger(Idps.class);
    private static final Pattern DOMAIN = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+");

    private final Jdbi jdbi;
    private final IdpRegistry registry;
    private final Optional<Idp> envIdp;
    private final CredentialCache credentials;
    private final AuditLog audit;
    private final Clock clock;

    public Idps(Jdbi jdbi, IdpRegistry registry, Optional<Idp> envIdp, CredentialCache credentials, AuditLog audit, Clock clock) {
        this.jdbi = jdbi;
        this.registry = registry;
        this.envIdp = envIdp;
        this.credentials = credentials;
        this.audit = audit;
        this.clock = clock;
    }

    /** At startup: records the environment's IdP in its well-known row, then loads the registry. */
    public void start() {
        jdbi.useExtension(IdpDao.class, dao -> {
            if (envIdp.isPresent()) {
                Idp e = envIdp.get();
                if (dao.issuerTaken(e.issuer(), e.id())) {
                    throw new IllegalStateException("OIDC_ISSUER " + e.issuer()
                            + " is also configured through /admin/idps; delete that one or unset OIDC_ISSUER");
                }
                // The client secret stays in the environment; the row only anchors the IdP's users.
                dao.syncEnv(e.id(), e.name(), e.issuer(), e.audience(), e.clientId(), null, e.autoProvision(),
                        e.defaultRole().wireName(), e.allowedDomains().toArray(String[]::new), true);
            } else {
                dao.syncEnv(ccag.server.persistence.UserDao.PRIMARY_IDP, "Primary", null, null, null, null, false, "member",
                        new String[0], false);
            }
        });
        reload();
    }

    /** Rebuilds the registry from the environment and the database. */
    public void reload() {
        List<Idp> all = new ArrayList<>();
        envIdp.ifPresent(all::add);
        for (IdpRow r : jdbi.withExtension(IdpDao.class, IdpDao::list)) {
            if (r.source().equals("admin")) {
                all.add(toIdp(r));
            }
        }
        registry.replaceAll(all);
    }

    @Override
    public void onMessage(String payload) {
        reload();
    }

    @Override
    public void onResync() {
        reload();
    }

    public IdpList list() {
        List<IdpView> views = new ArrayList<>();
        envIdp.ifPresent(e -> views.add(view(e)));
        for (IdpRow r : jdbi.withExtension(IdpDao.class, IdpDao::list)) {
            if (r.source().equals("admin")) {
                views.add(view(toIdp(r)));
            }
        }
        return new IdpList(views);
    }

    public IdpView get(UUID id) {
        if (envIdp.isPresent() && envIdp.get().id().equals(id)) {
            return view(envIdp.get());
        }
        return jdbi.withExtension(IdpDao.class, dao -> dao.find(id)).filter(r -> r.source().equals("admin"))
                .map(r -> view(toIdp(r))).orElseThrow(() -> NotFound.of("Identity provider", id));
    }

    public IdpView create(AuditLog.Actor actor, CreateIdpRequest req) {
        String issuer = checkIssuer(req.issuerUrl());
        String audience = required(req.audience(), "audience");
        List<String> domains = checkDomains(req.allowedDomains());
        Role role = req.defaultRole() == null ? Role.MEMBER : req.defaultRole();
        boolean autoProvision = req.autoProvision() == null || req.autoProvision();
        boolean enabled = req.enabled() == null || req.enabled();
        String name = req.name() == null || req.name().isBlank() ? Idp.deriveName(issuer) : req.name().strip();
        UUID id = UUID.randomUUID();
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        jdbi.useTransaction(h -> {
            IdpDao dao = h.attach(IdpDao.class);
            if (dao.issuerTaken(issuer, id)) {
                throw new Conflict("An identity provider with issuer_url " + issuer + " already exists", "issuer_url");
            }
            dao.insert(id, name, issuer, audience, blankToNull(req.clientId()), blankToNull(req.clientSecret()), autoProvision,
                    role.wireName(), domains.toArray(String[]::new), enabled, now);
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("name", name);
            d.put("issuer_url", issuer);
            d.put("enabled", enabled);
            audit.record(h, actor, "idp.create", "idp", id, d);
            h.attach(ChangeDao.class).publish(IdpDao.CHANNEL, id.toString());
        });
        reload();
        return get(id);
    }

    public IdpView update(AuditLog.Actor actor, UUID id, UpdateIdpRequest req) {
        refuseEnv(id);
        jdbi.useTransaction(h -> {
            IdpDao dao = h.attach(IdpDao.class);
            IdpRow r = dao.find(id).filter(x -> x.source().equals("admin")).orElseThrow(() -> NotFound.of("Identity provider", id));
            String issuer = req.issuerUrl() == null ? r.issuerUrl() : checkIssuer(req.issuerUrl());
            if (!issuer.equals(r.issuerUrl()) && dao.issuerTaken(issuer, id)) {
                throw new Conflict("An identity provider with issuer_url " + issuer + " already exists", "issuer_url");
            }
            String name = req.name() == null ? r.name() : required(req.name(), "name");
            String audience = req.audience() == null ? r.audience() : required(req.audience(), "audience");
            String clientId = req.clientId() == null ? r.clientId() : blankToNull(req.clientId());
            String clientSecret = req.clientSecret() == null ? r.clientSecret() : blankToNull(req.clientSecret());
            boolean autoProvision = req.autoProvision() == null ? r.autoProvision() : req.autoProvision();
            String role = req.defaultRole() == null ? r.defaultRole() : req.defaultRole().wireName();
            String[] domains = req.allowedDomains() == null ? r.allowedDomains()
                    : checkDomains(req.allowedDomains()).toArray(String[]::new);
            boolean enabled = req.enabled() == null ? r.enabled() : req.enabled();
            dao.update(id, name, issuer, audience, clientId, clientSecret, autoProvision, role, domains, enabled);
            Map<String, Object> d = new LinkedHashMap<>();
            if (req.name() != null) {
                d.put("name", name);
            }
            if (req.issuerUrl() != null) {
                d.put("issuer_url", issuer);
            }
            if (req.audience() != null) {
                d.put("audience", audience);
            }
            if (req.clientId() != null) {
                d.put("client_id", clientId);
            }
            if (req.clientSecret() != null) {
                d.put("client_secret", "changed");
            }
            if (req.autoProvision() != null) {
                d.put("auto_provision", autoProvision);
            }
            if (req.defaultRole() != null) {
                d.put("default_role", role);
            }
            if (req.allowedDomains() != null) {
                d.put("allowed_domains", List.of(domains));
            }
            if (req.enabled() != null) {
                d.put("enabled", enabled);
            }
            audit.record(h, actor, "idp.update", "idp", id, d);
            h.attach(ChangeDao.class).publish(IdpDao.CHANNEL, id.toString());
        });
        reload();
        return get(id);
    }

    public void delete(AuditLog.Actor actor, UUID id) {
        refuseEnv(id);
        List<UUID> removedUsers = new ArrayList<>();
        jdbi.useTransaction(h -> {
            IdpDao dao = h.attach(IdpDao.class);
            IdpRow r = dao.find(id).filter(x -> x.source().equals("admin")).orElseThrow(() -> NotFound.of("Identity provider", id));
            List<UUID> users = dao.userIds(id);
            if (!users.isEmpty() && dao.countActiveAdminsOutside(id) == 0) {
                throw new Conflict("Deleting this identity provider would remove the last active admin: make another user admin first");
            }
            Instant now = clock.instant();
            int keys = 0;
            for (UUID u : users) {
                keys += h.attach(KeyDao.class).revokeAllOf(u, now);
                h.attach(SessionDao.class).revokeAllOf(u, now);
                h.attach(ChangeDao.class).publish(CredentialCache.CHANNEL, "user:" + u);
            }
            deleteUsers(h, id);
            dao.delete(id);
            removedUsers.addAll(users);
            audit.record(h, actor, "idp.delete", "idp", id,
                    Map.of("name", r.name(), "issuer_url", r.issuerUrl(), "deleted_users", users.size(), "revoked_keys", keys));
            h.attach(ChangeDao.class).publish(IdpDao.CHANNEL, id.toString());
        });
        removedUsers.forEach(credentials::invalidateUser);
        reload();
    }

    private static void deleteUsers(Handle h, UUID idpId) {
        h.createUpdate("DELETE FROM users WHERE idp_id = :idpId").bind("idpId", idpId).execute();
    }

    private void refuseEnv(UUID id) {
        if (id.equals(ccag.server.persistence.UserDao.PRIMARY_IDP) || id.equals(ccag.server.persistence.UserDao.LOCAL_IDP)) {
            throw new Conflict("This identity provider is configured by the environment (OIDC_*) and is read-only here");
        }
    }

    private String checkIssuer(String issuer) {
        String i = required(issuer, "issuer_url");
        try {
            registry.policy().checkIssuer(i);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequest(e.getMessage(), "issuer_url");
        }
        return i;
    }

    private static List<String> checkDomains(List<String> domains) {
        if (domains == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (String d : domains) {
            String n = Idp.normalizeDomain(d);
            if (!DOMAIN.matcher(n).matches()) {
                throw new InvalidRequest("allowed_domains: '" + d + "' is not a domain name", "allowed_domains");
            }
            if (!out.contains(n)) {
                out.add(n);
            }
        }
        return out;
    }

    private static String required(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new InvalidRequest(field + " is required", field);
        }
        return value.strip();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    static Idp toIdp(IdpRow r) {
        Role role;
        try {
            role = Role.fromWire(r.defaultRole());
        } catch (IllegalArgumentException e) {
            LOG.warn("identity provider {} has an unknown default role '{}'; using member", r.id(), r.defaultRole());
            role = Role.MEMBER;
        }
        return new Idp(r.id(), r.name(), r.issuerUrl(), r.audience(), r.clientId(), r.clientSecret(), r.autoProvision(), role,
                r.allowedDomains() == null ? List.of() : List.of(r.allowedDomains()), r.enabled(), Idp.Source.fromWire(r.source()),
                r.createdAt());
    }

    static IdpView view(Idp i) {
        return new IdpView(i.id(), i.name(), i.issuer(), i.audience(), i.clientId(), i.autoProvision(), i.defaultRole(),
                i.allowedDomains(), i.enabled(), i.source().wire(), i.createdAt());
    }
}
