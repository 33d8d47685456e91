package ccag.server.auth.identity;

import ccag.api.CreateUserRequest;
import ccag.api.Role;
import ccag.api.UpdateUserRequest;
import ccag.api.UserList;
import ccag.api.UserView;
import ccag.server.audit.AuditLog;
import ccag.server.auth.CredentialCache;
import ccag.server.errors.Conflict;
import ccag.server.errors.InvalidRequest;
import ccag.server.errors.NotFound;
import ccag.server.persistence.ChangeDao;
import ccag.server.persistence.KeyDao;
import ccag.server.persistence.SessionDao;
import ccag.server.persistence.TeamDao;
import ccag.server.persistence.UserDao;
import ccag.server.persistence.UserRow;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Users: identity is (identity provider, subject). A user created without {@code idp_id} belongs
 * to the primary provider. Deactivating or deleting a user cuts its keys and sessions off at once on
 * every instance; the last active admin can be neither demoted, deactivated nor deleted.
 */
public final class Users {
    private final Jdbi jdbi;
    private final CredentialCache cache;
    private final AuditLog audit;
    private final Clock clock;

    public Users(Jdbi jdbi, CredentialCache cache, AuditLog audit, Clock clock) {
        this.jdbi = jdbi;
        this.cache = cache;
        this.audit = audit;
        this.clock = clock;
    }

    public UserView create(AuditLog.Actor actor, CreateUserRequest req) {
        UUID idp = req.idpId() == null ? UserDao.PRIMARY_IDP : req.idpId();
        if (UserDao.LOCAL_IDP.equals(idp)) {
            throw new InvalidRequest("idp_id: local accounts are not created through the API", "idp_id");
        }
        String subject = req.subject().strip();
        Role role = req.role() == null ? Role.MEMBER : req.role();
        String email = blankToNull(req.email());
        if (email != null && !email.matches("[^@\\s]+@[^@\\s]+")) {
            throw new InvalidRequest("email is not an email address", "email");
        }
        UUID id = UUID.randomUUID();
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        uniquely(() -> jdbi.inTransaction(h -> {
            UserDao users = h.attach(UserDao.class);
            if (!users.idpExists(idp)) {
                throw new InvalidRequest("idp_id: no identity provider " + idp, "idp_id");
            }
            if (req.teamId() != null && h.attach(TeamDao.class).find(req.teamId()).isEmpty()) {
                throw new InvalidRequest("team_id: no team " + req.teamId(), "team_id");
            }
            if (users.findByIdentity(idp, subject).isPresent()) {
                throw new Conflict("A user with subject '" + subject + "' already exists for this identity provider", "subject");
            }
            users.insert(id, idp, subject, email, role.wireName(), req.teamId(), true, null, now);
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("subject", subject);
            d.put("role", role.wireName());
            d.put("idp_id", idp.toString());
            if (req.teamId() != null) {
                d.put("team_id", req.teamId().toString());
            }
            audit.record(h, actor, "user.create", "user", id, d);
            return id;
        }), "A user with subject '" + subject + "' already exists for this identity provider", "subject");
        return get(id);
    }

    public UserList list(UUID teamId, int limit, int offset) {
        List<UserRow> rows = jdbi.withExtension(UserDao.class, d -> d.list(teamId, limit + 1, offset));
        Integer next = rows.size() > limit ? offset + limit : null;
        return new UserList(rows.stream().limit(limit).map(Users::view).toList(), next);
    }

    public UserView get(UUID id) {
        return view(jdbi.withExtension(UserDao.class, d -> d.find(id)).orElseThrow(() -> NotFound.of("User", id)));
    }

    public UserView update(AuditLog.Actor actor, UUID id, UpdateUserRequest req) {
        jdbi.useTransaction(h -> {
            UserDao users = h.attach(UserDao.class);
            UserRow u = users.find(id).orElseThrow(() -> NotFound.of("User", id));
            String role = req.role() == null ? u.role() : req.role().wireName();
            boolean active = req.active() == null ? u.active() : req.active();
            String email = req.email() == null ? u.email() : blankToNull(req.email());
            if (email != null && !email.equals(u.email()) && !email.matches("[^@\\s]+@[^@\\s]+")) {
                throw new InvalidRequest("email is not an email address", "email");
            }
            boolean losesAdmin = "admin".equals(u.role()) && u.active() && (!"admin".equals(role) || !active);
            if (losesAdmin) {
                requireAnotherAdmin(users, id, req.active() != null && !active ? "active" : "role");
            }
            users.update(id, role, active, email);
            Map<String, Object> d = new LinkedHashMap<>();
            if (!role.equals(u.role())) {
                d.put("role", role);
            }
            if (active != u.active()) {
                d.put("active", active);
            }
            if (email != null && !email.equals(u.email())) {
                d.put("email", email);
            }
            changed(h, id);
            audit.record(h, actor, "user.update", "user", id, d);
        });
        cache.invalidateUser(id);
        return get(id);
    }

    public UserView setTeam(AuditLog.Actor actor, UUID id, UUID teamId) {
        jdbi.useTransaction(h -> {
            UserDao users = h.attach(UserDao.class);
            users.find(id).orElseThrow(() -> NotFound.of("User", id));
            if (teamId != null && h.attach(TeamDao.class).find(teamId).isEmpty()) {
                throw new InvalidRequest("team_id: no team " + teamId, "team_id");
            }
            users.setTeam(id, teamId);
            changed(h, id);
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("team_id", teamId == null ? null : teamId.toString());
            audit.record(h, actor, "user.set_team", "user", id, d);
        });
        cache.invalidateUser(id);
        return get(id);
    }

    /** Revokes the user's keys and sessions, then removes the user (its revoked keys stay, without owner). */
    public void delete(AuditLog.Actor actor, UUID id) {
        jdbi.useTransaction(h -> {
            UserDao users = h.attach(UserDao.class);
            UserRow u = users.find(id).orElseThrow(() -> NotFound.of("User", id));
            if ("admin".equals(u.role()) && u.active()) {
                requireAnotherAdmin(users, id, null);
            }
            Instant now = clock.instant();
            int keys = h.attach(KeyDao.class).revokeAllOf(id, now);
            h.attach(SessionDao.class).revokeAllOf(id, now);
            users.delete(id);
            changed(h, id);
            audit.record(h, actor, "user.delete", "user", id, Map.of("subject", u.subject(), "revoked_keys", keys));
        });
        cache.invalidateUser(id);
    }

    private static void changed(Handle h, UUID userId) {
        h.attach(ChangeDao.class).publish(CredentialCache.CHANNEL, "user:" + userId);
    }

    private static void requireAnotherAdmin(UserDao users, UUID id, String field) {
        if (users.countOtherActiveAdmins(id) == 0) {
            throw new Conflict("This is the last active admin: make another user admin first", field);
        }
    }

    static UserView view(UserRow r) {
        return new UserView(r.id(), r.subject(), r.email(), Role.fromWire(r.role()), r.idpId(), r.teamId(), r.active(),
                r.createdAt(), r.lastSeenAt());
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
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
