package ccag.server.errors;

/** 404: the named thing does not exist (or the caller may not know that it does). */
public final class NotFound extends ApiException {
    public NotFound(String message) {
        super(ErrorKind.NOT_FOUND, message);
    }

    public static NotFound of(String what, Object id) {
        return new NotFound(what + " " + id + " not found");
    }
}
