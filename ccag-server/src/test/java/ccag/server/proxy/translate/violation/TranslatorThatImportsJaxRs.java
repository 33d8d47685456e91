package ccag.server.proxy.translate.violation;

import jakarta.ws.rs.core.Response;

/** A deliberate violation, used only to prove the architecture rule catches it. */
public final class TranslatorThatImportsJaxRs {
    public Response translate() {
        return Response.ok().build();
    }
}
