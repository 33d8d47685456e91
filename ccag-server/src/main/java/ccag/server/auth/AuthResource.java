package ccag.server.auth;

import ccag.api.LoginRequest;
import ccag.api.LoginResponse;
import ccag.api.MeView;
import ccag.server.audit.AuditLog;
import ccag.server.auth.principal.Caller;
import ccag.server.auth.session.PasswordLogin;
import ccag.server.auth.session.Sessions;
import ccag.server.errors.InvalidRequest;
import io.dropwizard.auth.Auth;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;

/** {@code /auth}: password login, logout, and who-am-I. */
@Path("/auth")
@Produces(MediaType.APPLICATION_JSON)
public final class AuthResource {
    private final PasswordLogin login;
    private final Sessions sessions;
    private final AuditLog audit;

    public AuthResource(PasswordLogin login, Sessions sessions, AuditLog audit) {
        this.login = login;
        this.sessions = sessions;
        this.audit = audit;
    }

    /** Anyone: exchanges the bootstrap admin's username and password for a session token. */
    @POST
    @Path("/login")
    @Consumes(MediaType.APPLICATION_JSON)
    public LoginResponse login(@NotNull @Valid LoginRequest request, @Context HttpServletRequest http) {
        return login.login(request, http.getRemoteAddr());
    }

    /** A session holder: revokes the session used for this call, on every instance. */
    @POST
    @Path("/logout")
    public jakarta.ws.rs.core.Response logout(@Auth Caller caller, @Context HttpServletRequest http) {
        if (caller.sessionId() == null) {
            throw new InvalidRequest("Only a session token can be logged out; call with the session token as Bearer");
        }
        sessions.revoke(caller.sessionId());
        audit.record(AuditLog.Actor.of(caller, http.getRemoteAddr()), "auth.logout", "session", caller.sessionId(), Map.of());
        return jakarta.ws.rs.core.Response.noContent().build();
    }

    /** Any authenticated caller, including a virtual key: who am I. */
    @GET
    @Path("/me")
    public MeView me(@Auth Caller caller) {
        return new MeView(caller.userId(), caller.subject(), caller.email(), caller.role(), caller.teamId(), caller.idpId(),
                caller.method().wire(), caller.keyId(), caller.expiresAt());
    }
}
