package ccag.server.errors;

/** 403: the caller is known but may not do this (deactivated user, insufficient role). */
public final class Forbidden extends ApiException {
    public Forbidden(String message) {
        super(ErrorKind.PERMISSION, message);
    }
}
