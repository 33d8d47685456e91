package ccag.server.errors;

/** 400: the request is malformed or a field is invalid. */
public final class InvalidRequest extends ApiException {
    public InvalidRequest(String message) {
        super(ErrorKind.INVALID_REQUEST, message);
    }

    public InvalidRequest(String message, String field) {
        super(ErrorKind.INVALID_REQUEST, message, field);
    }
}
