package ccag.server.auth.cli;

import ccag.server.auth.oidc.PublicBase;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** {@code GET /auth/setup/token-script}: the browser-login script for users without ccagctl, made for this gateway. */
@Path("/auth/setup")
public final class SetupResource {
    private final PublicBase publicBase;
    private final String template;

    public SetupResource(PublicBase publicBase) {
        this.publicBase = publicBase;
        try (InputStream in = SetupResource.class.getResourceAsStream("/ccag/setup/proxy-login.sh")) {
            this.template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException | NullPointerException e) {
            throw new UncheckedIOException(new IOException("proxy-login.sh is missing from the jar", e));
        }
    }

    @GET
    @Path("/token-script")
    @Produces("text/x-shellscript; charset=utf-8")
    public Response tokenScript(@Context HttpServletRequest request) {
        String base = publicBase.resolve(request);
        // The base comes from configuration, not the request; quote-breaking characters are refused anyway.
        if (!base.matches("[A-Za-z0-9:/._\\[\\]-]+")) {
            throw new ccag.server.errors.InvalidRequest("CCAG_PUBLIC_URL has characters a script cannot embed");
        }
        return Response.ok(template.replace("__CCAG_URL__", base))
                .header("content-disposition", "attachment; filename=\"proxy-login.sh\"")
                .build();
    }
}
