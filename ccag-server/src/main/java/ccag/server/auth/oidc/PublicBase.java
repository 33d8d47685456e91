package ccag.server.auth.oidc;

import ccag.server.errors.ApiException;
import ccag.server.errors.ErrorKind;
import jakarta.servlet.http.HttpServletRequest;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The gateway's own base URL for redirect URIs and generated scripts: {@code CCAG_PUBLIC_URL}, never
 * the request's {@code Host} header (which the client chooses). Dev mode without it uses the loopback
 * address the request arrived on; anything else is refused, since a wrong redirect URI would send the
 * IdP's authorization code elsewhere.
 */
public final class PublicBase {
    private final String configured;
    private final boolean devMode;

    public PublicBase(String configured, boolean devMode) {
        this.configured = configured == null ? "" : configured.replaceAll("/+$", "");
        this.devMode = devMode;
    }

    public String resolve(HttpServletRequest request) {
        if (!configured.isEmpty()) {
            return configured;
        }
        if (devMode) {
            String addr = request.getLocalAddr();
            try {
                InetAddress local = InetAddress.getByName(addr); // a literal address: parsed, not resolved
                if (local.isLoopbackAddress()) {
                    String host = addr.contains(":") ? "[" + addr + "]" : addr;
                    return "http://" + host + ":" + request.getLocalPort();
                }
            } catch (UnknownHostException e) {
                // fall through to the refusal
            }
        }
        throw new ApiException(ErrorKind.UNAVAILABLE,
                "Browser logins need CCAG_PUBLIC_URL (the URL users reach the gateway at) to be set");
    }
}
