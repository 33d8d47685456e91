package ccag.server.auth;

import ccag.server.auth.principal.Caller;
import ccag.server.errors.ErrorResponses;
import ccag.server.errors.NotAuthenticated;
import ccag.server.errors.RequestIds;
import io.dropwizard.auth.AuthFilter;
import io.dropwizard.auth.Authenticator;
import io.dropwizard.auth.chained.ChainedAuthFilter;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import java.util.List;
import java.util.Locale;

/**
 * Reads one credential header and runs the {@link CredentialChain} on it. Two of these, chained by
 * dropwizard-auth's {@link ChainedAuthFilter}, give the gateway's rule: the {@code x-api-key} value
 * first, then the {@code Authorization: Bearer} value if it differs; 401 only when both fail.
 */
@Priority(Priorities.AUTHENTICATION)
public final class CredentialFilter extends AuthFilter<Presented, Caller> {
    static final String API_KEY_HEADER = "x-api-key";
    static final String MISSING = "Missing credentials: send a virtual key in x-api-key or a token in Authorization: Bearer";
    static final String INVALID = "Invalid, expired or revoked credential";
    static final String KEY_NOT_HERE = "Virtual keys are accepted on /v1 and GET /auth/me only: use a session token (POST /auth/login) here";

    private final boolean bearer;

    private CredentialFilter(boolean bearer, Authenticator<Presented, Caller> authenticator) {
        this.bearer = bearer;
        this.authenticator = authenticator;
        this.prefix = "Bearer";
        this.realm = "ccag";
        this.authorizer = (principal, role, ctx) -> false;
        this.unauthorizedHandler = new io.dropwizard.auth.DefaultUnauthorizedHandler();
    }

    /** The filter to register with {@code AuthDynamicFeature}: x-api-key, then Bearer. */
    public static ChainedAuthFilter<Presented, Caller> chained(CredentialChain chain) {
        @SuppressWarnings({"rawtypes", "unchecked"})
        List<AuthFilter> handlers = List.of(new CredentialFilter(false, chain), new CredentialFilter(true, chain));
        return new ChainedAuthFilter<>(handlers);
    }

    @Override
    public void filter(ContainerRequestContext ctx) {
        String apiKey = apiKey(ctx);
        String token = bearer(ctx);
        String value = bearer ? token : apiKey;
        if (bearer && value != null && value.equals(apiKey)) {
            value = null; // the same value was already tried from x-api-key
        }
        Surface surface = Surface.of(ctx.getUriInfo().getPath(), ctx.getMethod());
        if (value == null || !authenticate(ctx, new Presented(value, surface), "Bearer")) {
            throw refusal(ctx, apiKey, token, surface);
        }
    }

    private static WebApplicationException refusal(ContainerRequestContext ctx, String apiKey, String token, Surface surface) {
        String message;
        if (apiKey == null && token == null) {
            message = MISSING;
        } else if (!surface.acceptsVirtualKeys() && (looksLikeKey(apiKey) || looksLikeKey(token))) {
            message = KEY_NOT_HERE;
        } else {
            message = INVALID;
        }
        Object id = ctx.getProperty(RequestIds.ATTRIBUTE);
        return new WebApplicationException(ErrorResponses.of(new NotAuthenticated(message), id == null ? "req_unknown" : id.toString()));
    }

    private static boolean looksLikeKey(String v) {
        return v != null && v.startsWith("sk-proxy-");
    }

    static String apiKey(ContainerRequestContext ctx) {
        String v = ctx.getHeaderString(API_KEY_HEADER);
        return v == null || v.isBlank() ? null : v.trim();
    }

    static String bearer(ContainerRequestContext ctx) {
        String h = ctx.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (h == null) {
            return null;
        }
        h = h.trim();
        if (h.length() < 7 || !h.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
            return null;
        }
        String v = h.substring(7).trim();
        return v.isEmpty() ? null : v;
    }
}
