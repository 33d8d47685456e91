package ccag.server.auth.session;

import ccag.server.audit.AuditLog;
import ccag.server.auth.CredentialCache;
import ccag.server.auth.Secrets;
import ccag.server.config.StartupException;
import ccag.server.persistence.ChangeDao;
import ccag.server.persistence.UserDao;
import ccag.server.persistence.UserRow;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bootstrap admin: a local account {@code ADMIN_USERNAME} / {@code ADMIN_PASSWORD}, re-applied at
 * every start (role admin, active, this password), so that setting the variable and restarting is
 * the break-glass recovery. There is no well-known default: dev mode generates a password when none
 * is given (logged once, kept in {@code $CCAG_DATA_DIR/admin-password}, mode 0600); server mode
 * refuses to start without one unless an admin already exists.
 */
public final class BootstrapAdmin {
    private static final Logger LOG = LoggerFactory.getLogger(BootstrapAdmin.class);
    static final String PASSWORD_FILE = "admin-password";

    private final Jdbi jdbi;
    private final Passwords passwords;
    private final AuditLog audit;
    private final Clock clock;
    private final SecureRandom random;

    public BootstrapAdmin(Jdbi jdbi, Passwords passwords, AuditLog audit, Clock clock, SecureRandom random) {
        this.jdbi = jdbi;
        this.passwords = passwords;
        this.audit = audit;
        this.clock = clock;
        this.random = random;
    }

    /**
     * @param username    ADMIN_USERNAME
     * @param password    ADMIN_PASSWORD, empty when not given
     * @param devMode     whether a missing password may be generated
     * @param dataDir     where a generated password is kept
     */
    public void apply(String username, String password, boolean devMode, Path dataDir) {
        String effective = password;
        if (effective.isEmpty()) {
            if (devMode) {
                effective = generatedPassword(dataDir);
            } else {
                int admins = jdbi.withExtension(UserDao.class, UserDao::countActiveAdmins);
                if (admins == 0) {
                    throw new StartupException("ADMIN_PASSWORD is required in server mode until an admin exists: "
                            + "set ADMIN_PASSWORD (and optionally ADMIN_USERNAME) and start again");
                }
                LOG.info("ADMIN_PASSWORD not set: the bootstrap admin '{}' is left as it is ({} active admin(s))", username, admins);
                return;
            }
        }
        String pw = effective;
        jdbi.useTransaction(h -> {
            UserDao users = h.attach(UserDao.class);
            Optional<UserRow> existing = users.findByIdentity(UserDao.LOCAL_IDP, username);
            if (existing.isEmpty()) {
                UUID id = UUID.randomUUID();
                users.insert(id, UserDao.LOCAL_IDP, username, null, "admin", null, true, passwords.hash(pw), clock.instant());
                audit.record(h, AuditLog.Actor.system("bootstrap"), "user.create", "user", id, Map.of("subject", username, "role", "admin"));
                LOG.info("Created the bootstrap admin '{}'", username);
                return;
            }
            UserRow u = existing.get();
            boolean samePassword = u.passwordHash() != null && passwords.verify(pw, u.passwordHash());
            if (samePassword && u.active() && "admin".equals(u.role())) {
                return;
            }
            users.restoreLocalAdmin(u.id(), samePassword ? u.passwordHash() : passwords.hash(pw));
            h.attach(ChangeDao.class).publish(CredentialCache.CHANNEL, "user:" + u.id());
            audit.record(h, AuditLog.Actor.system("bootstrap"), "user.restore_admin", "user", u.id(),
                    Map.of("password_changed", !samePassword));
            LOG.info("Re-applied the bootstrap admin '{}' from the environment", username);
        });
    }

    private String generatedPassword(Path dataDir) {
        Path file = dataDir.resolve(PASSWORD_FILE);
        try {
            if (Files.isRegularFile(file)) {
                String kept = Files.readString(file, StandardCharsets.UTF_8).strip();
                if (!kept.isEmpty()) {
                    LOG.info("Admin password: the generated one kept in {}", file);
                    return kept;
                }
            }
            String generated = Secrets.randomHex(random, 16);
            Files.createDirectories(dataDir);
            Path tmp = Files.createTempFile(dataDir, ".admin-password", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(tmp, generated + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            // Printed this once, on purpose: dev mode has no other way to hand the password over.
            LOG.warn("Generated admin password (shown once, also in {}): {}", file, generated);
            return generated;
        } catch (IOException e) {
            throw new StartupException("Could not keep the generated admin password in " + file + ": " + e.getMessage(), e);
        }
    }
}
