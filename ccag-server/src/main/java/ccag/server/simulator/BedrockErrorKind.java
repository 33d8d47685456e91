package ccag.server.simulator;

import java.util.Locale;
import java.util.Optional;

/**
 * The errors Bedrock Runtime answers, with the HTTP status the AWS SDK models for each
 * ({@code DefaultBedrockRuntimeClient} 2.40.2), the error code sent in {@code x-amzn-ErrorType}, the
 * event-stream member name when the error can also arrive as a mid-stream exception frame, and
 * Bedrock's usual message.
 */
public enum BedrockErrorKind {
    THROTTLING(429, "ThrottlingException", "throttlingException", "Too many requests, please wait before trying again."),
    SERVICE_UNAVAILABLE(503, "ServiceUnavailableException", "serviceUnavailableException",
            "Bedrock is unable to process your request."),
    INTERNAL(500, "InternalServerException", "internalServerException",
            "The system encountered an unexpected error during processing. Try your request again."),
    MODEL_TIMEOUT(408, "ModelTimeoutException", "modelTimeoutException",
            "Model has timed out in processing the request. Try your request again."),
    VALIDATION(400, "ValidationException", "validationException", "Malformed input request, please reformat your input and try again."),
    MODEL_STREAM_ERROR(424, "ModelStreamErrorException", "modelStreamErrorException",
            "The model stream encountered an error. Try your request again."),
    MODEL_NOT_READY(429, "ModelNotReadyException", null, "Model is not ready to serve inference requests."),
    MODEL_ERROR(424, "ModelErrorException", null, "The model encountered an error processing the request."),
    ACCESS_DENIED(403, "AccessDeniedException", null, "You don't have access to the model with the specified model ID."),
    NOT_FOUND(404, "ResourceNotFoundException", null, "The requested resource was not found."),
    SERVICE_QUOTA(400, "ServiceQuotaExceededException", null, "Your request exceeds the service quota for your account."),
    MISSING_AUTHENTICATION(403, "MissingAuthenticationTokenException", null, "Missing Authentication Token"),
    INCOMPLETE_SIGNATURE(403, "IncompleteSignatureException", null, "Authorization header requires 'Credential' parameter."),
    UNKNOWN_OPERATION(404, "UnknownOperationException", null, "Unknown operation");

    private final int status;
    private final String code;
    private final String streamMember;
    private final String defaultMessage;

    BedrockErrorKind(int status, String code, String streamMember, String defaultMessage) {
        this.status = status;
        this.code = code;
        this.streamMember = streamMember;
        this.defaultMessage = defaultMessage;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** The lowerCamelCase {@code :exception-type} of a mid-stream frame; empty when only a generic error frame fits. */
    public Optional<String> streamMember() {
        return Optional.ofNullable(streamMember);
    }

    public String defaultMessage() {
        return defaultMessage;
    }

    /** The name used in directives: {@code throttling}, {@code service_unavailable}, {@code model_timeout}, ... */
    public String directiveName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** By directive name, or one of the short aliases {@code 429 503 500 timeout unavailable}. */
    static Optional<BedrockErrorKind> byName(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT).replace('-', '_');
        return Optional.ofNullable(switch (n) {
            case "429", "throttle", "throttled" -> THROTTLING;
            case "503", "unavailable" -> SERVICE_UNAVAILABLE;
            case "500", "internal_error", "internal_server" -> INTERNAL;
            case "timeout", "408" -> MODEL_TIMEOUT;
            case "400" -> VALIDATION;
            case "stream_error", "424" -> MODEL_STREAM_ERROR;
            default -> {
                for (BedrockErrorKind k : values()) {
                    if (k.directiveName().equals(n)) {
                        yield k;
                    }
                }
                yield null;
            }
        });
    }
}
