package ccag.server.auth.cli;

import ccag.api.CliLoginStart;
import ccag.server.auth.oidc.PublicBase;
import ccag.server.errors.ApiException;
import ccag.server.errors.InvalidRequest;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import java.util.UUID;

/** The seed's CLI login endpoints, plus {@code /authorize}, the login URL that sends the browser to the IdP. */
@Path("/auth/cli")
public final class CliLoginResource {
    /** The poll secret travels in this header, never in a URL (URLs end up in access logs). */
    public static final String POLL_SECRET_HEADER = "X-CCAG-Poll-Secret";

    private final CliLogins logins;
    private final PublicBase publicBase;

    public CliLoginResource(CliLogins logins, PublicBase publicBase) {
        this.logins = logins;
        this.publicBase = publicBase;
    }

    @GET
    @Path("/login")
    @Produces(MediaType.APPLICATION_JSON)
    public Response start(@QueryParam("idp") String idp, @Context HttpServletRequest request) {
        UUID idpId = null;
        if (idp != null && !idp.isBlank()) {
            try {
                idpId = UUID.fromString(idp.trim());
            } catch (IllegalArgumentException e) {
                throw new InvalidRequest("idp must be an identity provider id", "idp");
            }
        }
        CliLoginStart start = logins.start(idpId, publicBase.resolve(request));
        return Response.ok(start).header("cache-control", "no-store").build();
    }

    @GET
    @Path("/authorize")
    @Produces(MediaType.TEXT_HTML)
    public Response authorize(@QueryParam("login") String login) {
        try {
            return Response.seeOther(logins.authorize(login)).header("cache-control", "no-store").build();
        } catch (ApiException e) {
            return html(e.kind().status(), Pages.error("Sign-in failed", e.getMessage()));
        }
    }

    @GET
    @Path("/callback")
    @Produces(MediaType.TEXT_HTML)
    public Response callback(@QueryParam("state") String state, @QueryParam("code") String code,
                             @QueryParam("error") String error) {
        try {
            CliLogins.Authorized a = logins.callback(state, code, error);
            String body = """
                    <p>Your terminal shows this code. If it does not, or you did not start a sign-in, close this window.</p>
                    <p class="code">%s</p>
                    <form id="complete" method="post" action="complete">
                    <input type="hidden" name="complete_code" value="%s">
                    <button type="submit">Continue</button>
                    </form>
                    <script>document.getElementById('complete').submit();</script>
                    """.formatted(Pages.escape(a.verificationCode()), Pages.escape(a.completeCode()));
            return html(200, Pages.page("Finishing sign-in", body));
        } catch (ApiException e) {
            return html(e.kind().status(), Pages.error("Sign-in failed", e.getMessage()));
        }
    }

    @POST
    @Path("/complete")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Response completeForm(@FormParam("complete_code") String completeCode) {
        try {
            String verification = logins.complete(completeCode);
            return html(200, Pages.page("Signed in", """
                    <p>You are signed in. Return to your terminal: it shows the code</p>
                    <p class="code">%s</p>
                    <p>You can close this window.</p>
                    """.formatted(Pages.escape(verification))));
        } catch (ApiException e) {
            return html(e.kind().status(), Pages.error("Sign-in failed", e.getMessage()));
        }
    }

    /** The same step for a script or page that speaks JSON: {@code {"complete_code": "..."}}. */
    @POST
    @Path("/complete")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, String> completeJson(Map<String, String> body) {
        String verification = logins.complete(body == null ? null : body.get("complete_code"));
        return Map.of("status", "complete", "verification_code", verification);
    }

    @GET
    @Path("/poll")
    @Produces(MediaType.APPLICATION_JSON)
    public Response poll(@QueryParam("session_code") String sessionCode, @HeaderParam(POLL_SECRET_HEADER) String pollSecret) {
        CliLogins.Poll p = logins.poll(sessionCode, pollSecret);
        return Response.status(p.status()).entity(p.body()).header("cache-control", "no-store").build();
    }

    static Response html(int status, String page) {
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("utf-8")).entity(page)
                .header("cache-control", "no-store")
                .header("x-frame-options", "DENY")
                .header("referrer-policy", "no-referrer")
                // Only this page's own inline style and auto-submit; the form may post only to this gateway.
                .header("content-security-policy",
                        "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'")
                .build();
    }
}
