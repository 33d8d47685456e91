package ccag.server.auth;

/** Where a request goes, which decides the credentials valid there. */
public enum Surface {
    /** {@code /v1/*}: virtual keys, OIDC tokens, session tokens. */
    V1,
    /** {@code GET /auth/me}: also virtual keys, so a key's holder can ask who it is. */
    AUTH_ME,
    /** Other {@code /auth/*}: OIDC tokens and session tokens. */
    AUTH,
    /** {@code /admin/*}: OIDC tokens and session tokens; a leaked CI key must not become an admin credential. */
    ADMIN;

    public boolean acceptsVirtualKeys() {
        return this == V1 || this == AUTH_ME;
    }

    /** The surface of a request path (relative to the application root) and method. */
    public static Surface of(String path, String method) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        if (p.equals("v1") || p.startsWith("v1/")) {
            return V1;
        }
        if ((p.equals("auth/me") || p.equals("auth/me/")) && "GET".equalsIgnoreCase(method)) {
            return AUTH_ME;
        }
        if (p.equals("auth") || p.startsWith("auth/")) {
            return AUTH;
        }
        return ADMIN;
    }
}
