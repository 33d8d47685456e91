package ccag.server.admin;

import ccag.api.CreateTeamRequest;
import ccag.api.TeamList;
import ccag.api.TeamView;
import ccag.api.UpdateTeamRequest;
import ccag.server.auth.identity.Teams;
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
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.UUID;

/** {@code /admin/teams}: admins only. */
@Path("/admin/teams")
@Produces(MediaType.APPLICATION_JSON)
public final class TeamsResource {
    private final Teams teams;

    public TeamsResource(Teams teams) {
        this.teams = teams;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@Auth Caller caller, @NotNull @Valid CreateTeamRequest request, @Context HttpServletRequest http) {
        Access.requireAdmin(caller);
        return Response.status(Response.Status.CREATED).entity(teams.create(Access.actor(caller, http), request.name())).build();
    }

    @GET
    public TeamList list(@Auth Caller caller, @QueryParam("limit") String limit, @QueryParam("offset") String offset) {
        Access.requireAdmin(caller);
        return teams.list(Access.limit(limit), Access.offset(offset));
    }

    @GET
    @Path("/{id}")
    public TeamView show(@Auth Caller caller, @PathParam("id") UUID id) {
        Access.requireAdmin(caller);
        return teams.get(id);
    }

    @PATCH
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public TeamView update(@Auth Caller caller, @PathParam("id") UUID id, @NotNull @Valid UpdateTeamRequest request,
                           @Context HttpServletRequest http) {
        Access.requireAdmin(caller);
        return teams.rename(Access.actor(caller, http), id, request.name());
    }

    @DELETE
    @Path("/{id}")
    public Response delete(@Auth Caller caller, @PathParam("id") UUID id, @Context HttpServletRequest http) {
        Access.requireAdmin(caller);
        teams.delete(Access.actor(caller, http), id);
        return Response.noContent().build();
    }
}
