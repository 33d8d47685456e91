package ccag.server.proxy;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;

/** Claude Code's connectivity probe ({@code HEAD /api/hello}) and a root answer: fast, unauthenticated, no data. */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public final class ProbeResource {
    private static final Map<String, String> OK = Map.of("status", "ok", "service", "ccag");

    @GET
    public Map<String, String> root() {
        return OK;
    }

    @HEAD
    public Response rootHead() {
        return Response.ok().build();
    }

    @GET
    @Path("api/hello")
    public Map<String, String> hello() {
        return OK;
    }

    @HEAD
    @Path("api/hello")
    public Response helloHead() {
        return Response.ok().build();
    }
}
