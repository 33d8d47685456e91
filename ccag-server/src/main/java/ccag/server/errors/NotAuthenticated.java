package ccag.server.errors;

import java.util.Map;

/** 401: missing, malformed, unknown, revoked or expired credential. Never worth a retry. */
public final class NotAuthenticated extends ApiException {
    public NotAuthenticated(String message) {
        super(ErrorKind.AUTHENTICATION, message, null, null, false, Map.of(), null);
    }
}
