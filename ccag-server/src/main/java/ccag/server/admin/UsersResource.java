package ccag.server.admin;

import ccag.api.CreateUserRequest;
import ccag.api.SetTeamRequest;
import ccag.api.UpdateUserRequest;
import ccag.api.UserList;
import ccag.api.UserView;
import ccag.server.auth.identity.Users;
import ccag.server.auth.principal.Caller;
import io.dropwizard.auth.Auth;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.UUID;

/** {@code /admin/users}: admins only. */
@Path("/admin/users")
@Produces(MediaType.APPLICATION_JSON)
public final class UsersResource {
    private final Users users;

    public UsersResource(Users users) {
        this.users = users;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@Auth Caller caller, @NotNull @Valid CreateUserRequest request, @Context HttpServletRequest http) {
        Access.requireAdmin(caller);
        return Response.status(Response.Status.CREATED).entity(users.create(Access.actor(caller, http), request)).build();
    }

    @GET
    public UserList list(@Auth Caller caller, @QueryParam("team_id") String teamId, @QueryParam("limit") String limit,
                         @QueryParam("offset") String offset) {
        Access.requireAdmin(caller);
        return users.list(Access.uuid(teamId, "team_id"), Access.limit(limit), Access.offset(offset));
    }

    @GET
    @Path("/{id}")
    public UserView show(@Auth Caller caller, @PathParam("id") UUID id) {
        Access.requireAdmin(caller);
        return users.get(id);
    }

    @PUT
    @Path("/{id}/team")
    @Consumes(MediaType.APPLICATION_JSON)
    public UserView setTeam(@Auth Caller caller, @PathParam("id") UUID id, @NotNull @Valid SetTeamRequest request,
                            @Context HttpServletRequest http) {
        Access.requireAdmin(caller);
        return users.setTeam(Access.actor(caller, http), id, request.teamId());
    }

    @PATCH
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public UserView update(@Auth Caller caller, @PathParam("id") UUID id, @NotNull @Valid UpdateUserRequest request,
                           @Context HttpServletRequest http) {
        Access.requireAdmin(caller);
        return users.update(Access.actor(caller, http), id, request);
    }

    @DELETE
    @Path("/{id}")
    public Response delete(@Auth Caller caller, @PathParam("id") UUID id, @Context HttpServletRequest http) {
        Access.requireAdmin(caller);
        users.delete(Access.actor(caller, http), id);
        return Response.noContent().build();
    }
}
