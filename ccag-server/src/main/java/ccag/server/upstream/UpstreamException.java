package ccag.server.upstream;

/**
 * A classified failure of a Bedrock call, free of SDK types: Bedrock's error code (as the SDK
 * reports it: {@code ThrottlingException}, or lowerCamel {@code throttlingException} for stream
 * exception frames), the HTTP status, Bedrock's message, and what went wrong on the wire.
 */
public final class UpstreamException extends RuntimeException {
    /** Failures that never got an answer from Bedrock. */
    public enum Transport { NONE, TIMEOUT, CONNECT, CANCELLED, CREDENTIALS, OTHER }

    private final String errorCode;
    private final int status;
    private final Transport transport;
    private final boolean midStream;

    public UpstreamException(String errorCode, int status, String message, Transport transport, boolean midStream, Throwable cause) {
        super(message == null ? "" : message, cause, false, false);
        this.errorCode = errorCode == null ? "" : errorCode;
        this.status = status;
        this.transport = transport;
        this.midStream = midStream;
    }

    public String errorCode() {
        return errorCode;
    }

    /** Bedrock's HTTP status, or 0 when no answer came. */
    public int status() {
        return status;
    }

    public Transport transport() {
        return transport;
    }

    /** True when the failure arrived as an exception frame after events had been delivered. */
    public boolean midStream() {
        return midStream;
    }
}
