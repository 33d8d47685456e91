package ccag.server.auth.session;

import ccag.api.LoginRequest;
import ccag.api.LoginResponse;
import ccag.server.audit.AuditLog;
import ccag.server.errors.NotAuthenticated;
import ccag.server.persistence.UserDao;
import ccag.server.persistence.UserRow;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * Tier 1: {@code POST /auth/login} with a local account's username and password (the bootstrap
 * admin). IdP tokens never resolve to a local account: those are looked up under the local provider only.
 */
public final class PasswordLogin {
    static final String REFUSED = "Invalid username or password";

    private final Jdbi jdbi;
    private final Passwords passwords;
    private final LoginGuard guard;
    private final Sessions sessions;
    private final AuditLog audit;

    public PasswordLogin(Jdbi jdbi, Passwords passwords, LoginGuard guard, Sessions sessions, AuditLog audit) {
        this.jdbi = jdbi;
        this.passwords = passwords;
        this.guard = guard;
        this.sessions = sessions;
        this.audit = audit;
    }

    public LoginResponse login(LoginRequest req, String clientAddress) {
        String username = req.username().strip();
        guard.checkNotLocked(username, clientAddress);
        Optional<UserRow> user = username.length() > 255 ? Optional.empty()
                : jdbi.withExtension(UserDao.class, d -> d.findByIdentity(UserDao.LOCAL_IDP, username));
        boolean ok = passwords.verify(req.password(), user.map(UserRow::passwordHash).orElse(null))
                && user.get().active();
        if (!ok) {
            Duration delay = guard.failed(username, clientAddress);
            sleep(delay);
            throw new NotAuthenticated(REFUSED);
        }
        guard.succeeded(username);
        UserRow u = user.get();
        Sessions.Issued issued = sessions.issue(u.id(), clientAddress);
        audit.record(new AuditLog.Actor(u.id(), u.subject(), clientAddress), "auth.login", "session", issued.id(), Map.of());
        return new LoginResponse(issued.token(), issued.expiresAt());
    }

    private static void sleep(Duration d) {
        if (d.isZero() || d.isNegative()) {
            return;
        }
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
