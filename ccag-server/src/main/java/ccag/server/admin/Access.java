package ccag.server.admin;

import ccag.server.audit.AuditLog;
import ccag.server.auth.principal.Caller;
import ccag.server.errors.Forbidden;
import ccag.server.errors.InvalidRequest;
import jakarta.servlet.http.HttpServletRequest;
import java.util.UUID;

/** Role checks and request helpers shared by the admin resources. */
final class Access {
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    private Access() {
    }

    static void requireAdmin(Caller caller) {
        if (!caller.isAdmin()) {
            throw new Forbidden("This needs the admin role");
        }
    }

    static AuditLog.Actor actor(Caller caller, HttpServletRequest http) {
        return AuditLog.Actor.of(caller, http.getRemoteAddr());
    }

    static int limit(String raw) {
        if (raw == null || raw.isBlank()) {
            return DEFAULT_LIMIT;
        }
        try {
            int v = Integer.parseInt(raw.strip());
            if (v >= 1 && v <= MAX_LIMIT) {
                return v;
            }
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw new InvalidRequest("limit must be a whole number from 1 to " + MAX_LIMIT, "limit");
    }

    static int offset(String raw) {
        if (raw == null || raw.isBlank()) {
            return 0;
        }
        try {
            int v = Integer.parseInt(raw.strip());
            if (v >= 0) {
                return v;
            }
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw new InvalidRequest("offset must be a whole number, 0 or more", "offset");
    }

    static UUID uuid(String raw, String field) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        try {
            return UUID.fromString(raw.strip());
        } catch (IllegalArgumentException e) {
            throw new InvalidRequest(field + " must be a UUID", field);
        }
    }
}
