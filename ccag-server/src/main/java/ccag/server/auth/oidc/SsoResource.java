package ccag.server.auth.oidc;

import ccag.server.auth.cli.Pages;
import ccag.server.auth.session.Sessions;
import ccag.server.errors.ApiException;
import ccag.server.errors.InvalidRequest;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Portal single sign-on: {@code /auth/sso/login} sends the browser to the IdP; {@code /auth/sso/callback} signs it in. */
@Path("/auth/sso")
public final class SsoResource {
    private final PortalLogins logins;
    private final IdpRegistry registry;
    private final PublicBase publicBase;

    public SsoResource(PortalLogins logins, IdpRegistry registry, PublicBase publicBase) {
        this.logins = logins;
        this.registry = registry;
        this.publicBase = publicBase;
    }

    /** The IdPs a login page offers (id and display name only). */
    @GET
    @Path("/providers")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, List<Map<String, String>>> providers() {
        return Map.of("providers", registry.all().stream()
                .map(i -> Map.of("id", i.id().toString(), "name", i.name())).toList());
    }

    @GET
    @Path("/login")
    @Produces(MediaType.TEXT_HTML)
    public Response login(@QueryParam("idp") String idp, @Context HttpServletRequest request) {
        try {
            UUID idpId = null;
            if (idp != null && !idp.isBlank()) {
                try {
                    idpId = UUID.fromString(idp.trim());
                } catch (IllegalArgumentException e) {
                    throw new InvalidRequest("idp must be an identity provider id", "idp");
                }
            }
            return Response.seeOther(logins.start(idpId, publicBase.resolve(request))).header("cache-control", "no-store").build();
        } catch (ApiException e) {
            return page(e.kind().status(), Pages.error("Sign-in failed", e.getMessage()));
        }
    }

    @GET
    @Path("/callback")
    @Produces(MediaType.TEXT_HTML)
    public Response callback(@QueryParam("state") String state, @QueryParam("code") String code,
                             @QueryParam("error") String error, @Context HttpServletRequest request) {
        try {
            Sessions.Issued s = logins.callback(state, code, error, request.getRemoteAddr());
            // The session token goes to the portal through sessionStorage, never through a URL.
            String body = """
                    <p>You are signed in.</p>
                    <p><a href="../../portal">Continue to the portal</a></p>
                    <script>sessionStorage.setItem('ccag.session', '%s');
                    sessionStorage.setItem('ccag.session.expires_at', '%s');
                    location.replace('../../portal');</script>
                    """.formatted(Pages.escape(s.token()), s.expiresAt());
            return page(200, Pages.page("Signed in", body));
        } catch (ApiException e) {
            return page(e.kind().status(), Pages.error("Sign-in failed", e.getMessage()));
        }
    }

    private static Response page(int status, String html) {
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("utf-8")).entity(html)
                .header("cache-control", "no-store")
                .header("x-frame-options", "DENY")
                .header("referrer-policy", "no-referrer")
                .header("content-security-policy",
                        "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; frame-ancestors 'none'")
                .build();
    }
}
