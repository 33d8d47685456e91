package ccag.server.auth.session;

import ccag.server.errors.RateLimited;
import ccag.server.persistence.LoginFailureDao;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * Brute-force protection of password login, by username and by client address, with the counters
 * in PostgreSQL so that every instance sees the same failures. Within a window of
 * {@code window}, each failure after the first slows the answer; at {@code maxFailures} the
 * username (or address, at {@code maxAddressFailures}) is locked, refusing every attempt with 429
 * and {@code retry-after}; the lock doubles with every further failure, up to {@code maxLock}.
 */
public final class LoginGuard {
    public record Settings(int maxFailures, int maxAddressFailures, Duration window, Duration lock, Duration maxLock,
                           Duration slowdownStep, Duration maxSlowdown) {
    }

    private final Jdbi jdbi;
    private final Clock clock;
    private final Settings s;

    public LoginGuard(Jdbi jdbi, Clock clock, Settings settings) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.s = settings;
    }

    /** Throws {@link RateLimited} if the username or the address is locked. */
    public void checkNotLocked(String username, String address) {
        Instant now = clock.instant();
        Optional<Instant> until = jdbi.withExtension(LoginFailureDao.class, d -> d.lockedUntil(norm(username), address, now));
        until.ifPresent(u -> {
            throw locked(now, u);
        });
    }

    /**
     * Counts a failure; returns how long to delay the answer, or throws {@link RateLimited} when this
     * failure locked the username or address.
     */
    public Duration failed(String username, String address) {
        Instant now = clock.instant();
        Instant windowStart = now.minus(s.window());
        Instant[] lockedUntil = {null};
        int userFailures = jdbi.inTransaction(h -> {
            LoginFailureDao d = h.attach(LoginFailureDao.class);
            int uf = d.recordFailure("username", norm(username), now, windowStart);
            int af = d.recordFailure("address", address, now, windowStart);
            if (uf >= s.maxFailures()) {
                Instant until = now.plus(lockFor(uf - s.maxFailures()));
                d.lock("username", norm(username), until);
                lockedUntil[0] = until;
            }
            if (af >= s.maxAddressFailures()) {
                Instant until = now.plus(lockFor(af - s.maxAddressFailures()));
                d.lock("address", address, until);
                lockedUntil[0] = lockedUntil[0] == null || until.isAfter(lockedUntil[0]) ? until : lockedUntil[0];
            }
            return uf;
        });
        if (lockedUntil[0] != null) {
            throw locked(now, lockedUntil[0]);
        }
        Duration delay = s.slowdownStep().multipliedBy(Math.max(0, userFailures - 1));
        return delay.compareTo(s.maxSlowdown()) > 0 ? s.maxSlowdown() : delay;
    }

    /** A successful login clears the username's failures (not the address's: one good account must not unlock an address). */
    public void succeeded(String username) {
        jdbi.useExtension(LoginFailureDao.class, d -> d.clear("username", norm(username)));
    }

    private Duration lockFor(int beyond) {
        Duration d = s.lock().multipliedBy(1L << Math.min(beyond, 20));
        return d.compareTo(s.maxLock()) > 0 ? s.maxLock() : d;
    }

    private static RateLimited locked(Instant now, Instant until) {
        long seconds = Math.max(1, (Duration.between(now, until).toMillis() + 999) / 1000);
        return new RateLimited("Too many failed logins: try again in " + seconds + " seconds", seconds, false, java.util.Map.of());
    }

    private static String norm(String username) {
        String u = username == null ? "" : username.strip().toLowerCase(Locale.ROOT);
        return u.length() > 255 ? u.substring(0, 255) : u;
    }
}
