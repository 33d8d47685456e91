package ccag.server.persistence;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Failed logins per (scope, subject): scope {@code username} or {@code address}. */
public interface LoginFailureDao {
    /** Counts one failure (a new window if the old one ended) and returns the failures in the current window. */
    @SqlQuery("""
            INSERT INTO login_failures AS f (scope, subject, failures, window_start)
            VALUES (:scope, :subject, 1, :now)
            ON CONFLICT (scope, subject) DO UPDATE SET
                failures = CASE WHEN f.window_start < :windowStart THEN 1 ELSE f.failures + 1 END,
                window_start = CASE WHEN f.window_start < :windowStart THEN :now ELSE f.window_start END
            RETURNING failures
            """)
    int recordFailure(@Bind("scope") String scope, @Bind("subject") String subject, @Bind("now") Instant now,
                      @Bind("windowStart") Instant windowStart);

    @SqlUpdate("UPDATE login_failures SET locked_until = GREATEST(COALESCE(locked_until, :until), :until) WHERE scope = :scope AND subject = :subject")
    int lock(@Bind("scope") String scope, @Bind("subject") String subject, @Bind("until") Instant until);

    @SqlQuery("""
            SELECT max(locked_until) FROM login_failures
            WHERE locked_until > :now AND ((scope = 'username' AND subject = :username) OR (scope = 'address' AND subject = :address))
            """)
    Optional<Instant> lockedUntil(@Bind("username") String username, @Bind("address") String address, @Bind("now") Instant now);

    @SqlQuery("SELECT COALESCE(max(failures), 0) FROM login_failures WHERE scope = :scope AND subject = :subject AND window_start >= :windowStart")
    int failures(@Bind("scope") String scope, @Bind("subject") String subject, @Bind("windowStart") Instant windowStart);

    @SqlUpdate("DELETE FROM login_failures WHERE scope = :scope AND subject = :subject")
    int clear(@Bind("scope") String scope, @Bind("subject") String subject);

    @SqlQuery("SELECT subject FROM login_failures WHERE scope = :scope")
    List<String> subjects(@Bind("scope") String scope);
}
