package ccag.server.auth.oidc;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Which URLs the gateway fetches identity-provider metadata and keys from: {@code https://} always;
 * {@code http://} only for a loopback host and only when allowed (dev mode, or a deployment flag
 * for local test IdPs). Anything else could let a network attacker serve the signing keys.
 */
public final class IssuerPolicy {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private final boolean allowHttpLoopback;

    public IssuerPolicy(boolean allowHttpLoopback) {
        this.allowHttpLoopback = allowHttpLoopback;
    }

    public boolean allowsHttpLoopback() {
        return allowHttpLoopback;
    }

    /** Checks an issuer URL; throws {@link IllegalArgumentException} with a message meant for the admin. */
    public URI checkIssuer(String issuer) {
        URI uri = checkUrl(issuer, "issuer_url");
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("issuer_url must not have a query or fragment");
        }
        return uri;
    }

    /** Checks an endpoint advertised by an IdP's discovery document (same rules as the issuer). */
    public URI checkUrl(String url, String what) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException(what + " is required");
        }
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(what + " is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new IllegalArgumentException(what + " must be an absolute https:// URL");
        }
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException(what + " must not carry credentials");
        }
        switch (scheme) {
            case "https" -> {
                return uri;
            }
            case "http" -> {
                if (!isLoopback(uri.getHost())) {
                    throw new IllegalArgumentException(what + " must use https:// (http:// is accepted only for a loopback test IdP)");
                }
                if (!allowHttpLoopback) {
                    throw new IllegalArgumentException(what + " uses http://, accepted only in dev mode or with OIDC_ALLOW_HTTP_LOOPBACK=true");
                }
                return uri;
            }
            default -> throw new IllegalArgumentException(what + " must be an https:// URL");
        }
    }

    /** localhost, 127.0.0.0/8 or ::1, judged from the literal alone: no DNS lookup an attacker could steer. */
    static boolean isLoopback(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.equals("localhost")) {
            return true;
        }
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (!IPV4.matcher(h).matches() && !h.contains(":")) {
            return false;
        }
        try {
            // Given a literal address, getByName parses it and does not resolve anything.
            return InetAddress.getByName(h).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
