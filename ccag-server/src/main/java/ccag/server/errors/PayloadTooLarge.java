package ccag.server.errors;

/** 413: the request body is over the configured limit. */
public final class PayloadTooLarge extends ApiException {
    public PayloadTooLarge(String message) {
        super(ErrorKind.REQUEST_TOO_LARGE, message);
    }
}
