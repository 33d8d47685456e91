package ccag.server.admin;

import ccag.api.CreateKeyRequest;
import ccag.api.CreatedKey;
import ccag.api.KeyList;
import ccag.api.KeyView;
import ccag.server.auth.key.VirtualKeys;
import ccag.server.auth.principal.Caller;
import io.dropwizard.auth.Auth;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.UUID;

/** {@code /admin/keys}: members manage their own keys, admins everyone's. */
@Path("/admin/keys")
@Produces(MediaType.APPLICATION_JSON)
public final class KeysResource {
    private final VirtualKeys keys;

    public KeysResource(VirtualKeys keys) {
        this.keys = keys;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@Auth Caller caller, @NotNull @Valid CreateKeyRequest request, @Context HttpServletRequest http) {
        CreatedKey created = keys.create(caller, Access.actor(caller, http), request);
        return Response.status(Response.Status.CREATED).entity(created).build();
    }

    @GET
    public KeyList list(@Auth Caller caller, @QueryParam("user_id") String userId, @QueryParam("team_id") String teamId,
                        @QueryParam("limit") String limit, @QueryParam("offset") String offset) {
        return keys.list(caller, Access.uuid(userId, "user_id"), Access.uuid(teamId, "team_id"), Access.limit(limit), Access.offset(offset));
    }

    @GET
    @Path("/{id}")
    public KeyView show(@Auth Caller caller, @PathParam("id") UUID id) {
        return keys.get(caller, id);
    }

    @POST
    @Path("/{id}/revoke")
    public KeyView revoke(@Auth Caller caller, @PathParam("id") UUID id, @Context HttpServletRequest http) {
        return keys.revoke(caller, Access.actor(caller, http), id);
    }

    @DELETE
    @Path("/{id}")
    public Response delete(@Auth Caller caller, @PathParam("id") UUID id, @Context HttpServletRequest http) {
        keys.delete(caller, Access.actor(caller, http), id);
        return Response.noContent().build();
    }
}
