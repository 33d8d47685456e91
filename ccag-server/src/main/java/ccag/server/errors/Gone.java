package ccag.server.errors;

/** 410: the thing existed but has expired or been used up (a login session, a one-time code). */
public final class Gone extends ApiException {
    public Gone(String message) {
        super(ErrorKind.GONE, message);
    }
}
