package ccag.server.admin;

import ccag.api.CreateIdpRequest;
import ccag.api.IdpList;
import ccag.api.IdpView;
import ccag.api.UpdateIdpRequest;
import ccag.server.auth.oidc.Idps;
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
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.UUID;

/** {@code /admin/idps}: admins only. The environment's IdP is listed read-only ({@code "source":"env"}). */
@Path("/admin/idps")
@Produces(MediaType.APPLICATION_JSON)
public final class IdpsResource {
    private final Idps idps;

    public IdpsResource(Idps idps) {
        this.idps = idps;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@Auth Caller caller, @NotNull @Valid CreateIdpRequest request, @Context HttpServletRequest http) {
        Access.requireAdmin(caller);
        return Response.status(Response.Status.CREATED).entity(idps.create(Access.actor(caller, http), request)).build();
    }

    @GET
    public IdpList list(@Auth Caller caller) {
        Access.requireAdmin(caller);
        return idps.list();
    }

    @GET
    @Path("/{id}")
    public IdpView show(@Auth Caller caller, @PathParam("id") UUID id) {
        Access.requireAdmin(caller);
        return idps.get(id);
    }

    @PATCH
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public IdpView update(@Auth Caller caller, @PathParam("id") UUID id, @NotNull @Valid UpdateIdpRequest request,
                          @Context HttpServletRequest http) {
        Access.requireAdmin(caller);
        return idps.update(Access.actor(caller, http), id, request);
    }

    @DELETE
    @Path("/{id}")
    public Response delete(@Auth Caller caller, @PathParam("id") UUID id, @Context HttpServletRequest http) {
        Access.requireAdmin(caller);
        idps.delete(Access.actor(caller, http), id);
        return Response.noContent().build();
    }
}
