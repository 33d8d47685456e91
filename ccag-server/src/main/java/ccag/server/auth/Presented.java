package ccag.server.auth;

/** One credential value as presented in a header, with the surface it was presented to. */
public record Presented(String value, Surface surface) {
    @Override
    public String toString() {
        return "Presented[" + Secrets.redact(value) + " on " + surface + "]";
    }
}
