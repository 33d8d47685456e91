package ccag.server.admin;

import ccag.api.ModelMappingList;
import ccag.api.ModelMappingView;
import ccag.api.SetModelMappingRequest;
import ccag.server.auth.principal.Caller;
import ccag.server.catalog.ModelDirectory;
import io.dropwizard.auth.Auth;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** {@code /admin/models}: how client model names map to Bedrock model ids. Admins only. */
@Path("/admin/models")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public final class ModelsResource {
    private final ModelDirectory models;

    public ModelsResource(ModelDirectory models) {
        this.models = models;
    }

    @GET
    public ModelMappingList list(@Auth Caller caller) {
        Access.requireAdmin(caller);
        return new ModelMappingList(models.mappings());
    }

    @PUT
    @Path("/{model}")
    public ModelMappingView set(@Auth Caller caller, @Context HttpServletRequest http, @PathParam("model") String model,
                                @NotNull @Valid SetModelMappingRequest request) {
        Access.requireAdmin(caller);
        return models.set(model, request.bedrockModelId(), Access.actor(caller, http));
    }

    @DELETE
    @Path("/{model}")
    public Response delete(@Auth Caller caller, @Context HttpServletRequest http, @PathParam("model") String model) {
        Access.requireAdmin(caller);
        models.delete(model, Access.actor(caller, http));
        return Response.noContent().build();
    }
}
