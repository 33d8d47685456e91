package ccag.server.admin;

import ccag.api.AuditList;
import ccag.server.audit.AuditLog;
import ccag.server.auth.principal.Caller;
import io.dropwizard.auth.Auth;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/** {@code GET /admin/audit}: admins only; newest first, filterable by action, actor and target. */
@Path("/admin/audit")
@Produces(MediaType.APPLICATION_JSON)
public final class AuditResource {
    private final AuditLog audit;

    public AuditResource(AuditLog audit) {
        this.audit = audit;
    }

    @GET
    public AuditList list(@Auth Caller caller, @QueryParam("action") String action, @QueryParam("actor_user_id") String actor,
                          @QueryParam("target_id") String target, @QueryParam("limit") String limit,
                          @QueryParam("offset") String offset) {
        Access.requireAdmin(caller);
        return audit.list(action == null || action.isBlank() ? null : action.strip(), Access.uuid(actor, "actor_user_id"),
                target == null || target.isBlank() ? null : target.strip(), Access.limit(limit), Access.offset(offset));
    }
}
