package ccag.server.errors;

/** 409: the change conflicts with existing state (duplicate name, team still in use, ...). */
public final class Conflict extends ApiException {
    public Conflict(String message) {
        super(ErrorKind.CONFLICT, message);
    }

    public Conflict(String message, String field) {
        super(ErrorKind.CONFLICT, message, field);
    }
}
