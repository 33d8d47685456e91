package ccag.server.proxy.translate;

import ccag.server.errors.ErrorKind;
import ccag.server.errors.UpstreamFailure;
import java.util.Locale;

/**
 * Bedrock errors → Anthropic errors (spec §2.4, §2.6, §3.6). The error code may come the way the SDK
 * reports it: class style ({@code ThrottlingException}), lowerCamel for event-stream exceptions
 * ({@code throttlingException}), with a namespace ({@code com.amazon.bedrock#ValidationException},
 * {@code ThrottlingException:http://internal.amazon.com/...}) or without the {@code Exception}
 * suffix. Bedrock's message passes verbatim (Claude Code reacts to its wording); only context
 * overflow gains the phrase {@code prompt is too long} when it lacks it, and an invalid model id
 * becomes a 404 naming the model the client asked for. Thread-safe.
 */
public final class BedrockErrorMapping {
    private static final String PROMPT_TOO_LONG = "prompt is too long";
    private final long throttleRetryAfterSeconds;
    private final long quotaRetryAfterSeconds;
    private final long overloadedRetryAfterSeconds;

    /**
     * @param throttleRetryAfterSeconds   {@code retry-after} on Bedrock throttling (429)
     * @param quotaRetryAfterSeconds      {@code retry-after} when a service quota is exhausted (429, longer)
     * @param overloadedRetryAfterSeconds {@code retry-after} on 529 overloaded
     */
    public BedrockErrorMapping(long throttleRetryAfterSeconds, long quotaRetryAfterSeconds, long overloadedRetryAfterSeconds) {
        this.throttleRetryAfterSeconds = throttleRetryAfterSeconds;
        this.quotaRetryAfterSeconds = quotaRetryAfterSeconds;
        this.overloadedRetryAfterSeconds = overloadedRetryAfterSeconds;
    }

    /** 10 s after throttling, 60 s after an exhausted quota, 5 s after overload. */
    public static BedrockErrorMapping defaults() {
        return new BedrockErrorMapping(10, 60, 5);
    }

    /**
     * {@code ThrottlingException}, {@code throttlingException}, {@code com.amazon.bedrock#Throttling},
     * {@code ThrottlingException:http://...} → {@code throttling}; null → empty.
     */
    public static String normalisedCode(String errorCode) {
        if (errorCode == null) {
            return "";
        }
        String c = errorCode.trim();
        int colon = c.indexOf(':');
        if (colon >= 0) {
            c = c.substring(0, colon);
        }
        int hash = c.lastIndexOf('#');
        if (hash >= 0) {
            c = c.substring(hash + 1);
        }
        c = c.toLowerCase(Locale.ROOT);
        return c.endsWith("exception") ? c.substring(0, c.length() - "exception".length()) : c;
    }

    /**
     * True for a 400 whose message the request translator can learn from ({@code invalid beta flag},
     * {@code Extra inputs are not permitted}): call {@link RequestTranslator#retryAfterRejection} first.
     */
    public static boolean isLearnable(String errorCode, int httpStatus, String message) {
        if (message == null || (httpStatus != 400 && !normalisedCode(errorCode).equals("validation"))) {
            return false;
        }
        String m = message.toLowerCase(Locale.ROOT);
        return m.contains("invalid beta flag") || m.contains("extra inputs are not permitted");
    }

    /**
     * Maps an error Bedrock returned before the response was committed (HTTP status semantics).
     *
     * @param errorCode      the SDK's {@code awsErrorDetails().errorCode()} (any style), may be null
     * @param httpStatus     the SDK's {@code statusCode()}, 0 when unknown
     * @param message        the SDK's {@code awsErrorDetails().errorMessage()}, may be null
     * @param requestedModel the model string the client sent (for the invalid-model 404)
     */
    public UpstreamFailure fromBedrock(String errorCode, int httpStatus, String message, String requestedModel) {
        String code = normalisedCode(errorCode);
        String msg = message == null || message.isBlank() ? defaultMessage(errorCode, httpStatus) : message;
        return switch (code) {
            case "throttling" -> fail(ErrorKind.RATE_LIMIT, msg, throttleRetryAfterSeconds, true);
            case "servicequotaexceeded" -> fail(ErrorKind.RATE_LIMIT, msg, quotaRetryAfterSeconds, true);
            case "modelnotready", "serviceunavailable" -> fail(ErrorKind.OVERLOADED, msg, overloadedRetryAfterSeconds, true);
            case "internalserver", "modelerror", "modelstreamerror" -> fail(ErrorKind.API_ERROR, msg, null, true);
            case "modeltimeout" -> fail(ErrorKind.TIMEOUT, msg, null, true);
            case "validation" -> validation(msg, requestedModel);
            case "accessdenied" -> fail(ErrorKind.PERMISSION, msg, null, false);
            case "resourcenotfound" -> fail(ErrorKind.NOT_FOUND, msg, null, false);
            case "conflict" -> fail(ErrorKind.CONFLICT, msg, null, false);
            case "incompletesignature", "unrecognizedclient", "expiredtoken", "invalidsignature", "signaturedoesnotmatch",
                 "missingauthenticationtoken", "invalidclienttokenid", "expired" ->
                    fail(ErrorKind.API_ERROR, "The gateway's AWS credentials were rejected by Bedrock (" + errorCode + "): " + msg,
                            null, false);
            default -> byStatus(httpStatus, msg, requestedModel);
        };
    }

    /**
     * An SDK client-side failure (connection refused, TLS, checksum, timeout): 504 {@code timeout_error}
     * when it timed out, else 502 {@code api_error}.
     */
    public UpstreamFailure clientFailure(boolean timedOut, String message, Throwable cause) {
        String msg = message == null || message.isBlank() ? (timedOut ? "Upstream request timed out" : "Upstream request failed") : message;
        return new UpstreamFailure(timedOut ? ErrorKind.TIMEOUT : ErrorKind.BAD_GATEWAY, msg, null, true, cause);
    }

    /**
     * Maps an error that arrived after the 200 was committed, for an SSE {@code error} event (spec §3.6):
     * throttling / service unavailable / model not ready → {@code overloaded_error} (Claude Code retries
     * it like a 529), timeouts → {@code timeout_error}, validation → {@code invalid_request_error},
     * anything else → {@code api_error}.
     */
    public UpstreamFailure midStream(String errorCode, String message) {
        String code = normalisedCode(errorCode);
        String msg = message == null || message.isBlank() ? defaultMessage(errorCode, 0) : message;
        ErrorKind kind = switch (code) {
            case "throttling", "serviceunavailable", "modelnotready", "servicequotaexceeded" -> ErrorKind.OVERLOADED;
            case "modeltimeout", "timeout" -> ErrorKind.TIMEOUT;
            case "validation" -> ErrorKind.INVALID_REQUEST;
            default -> ErrorKind.API_ERROR;
        };
        return new UpstreamFailure(kind, msg, null, kind != ErrorKind.INVALID_REQUEST, null);
    }

    private UpstreamFailure validation(String msg, String requestedModel) {
        String lower = msg.toLowerCase(Locale.ROOT);
        if (lower.contains("provided model identifier is invalid")) {
            return fail(ErrorKind.NOT_FOUND, "model: " + requestedModel + " (Bedrock: " + msg + ")", null, false);
        }
        if (lower.contains("input is too long") || lower.contains("too many input tokens") || lower.contains(PROMPT_TOO_LONG)) {
            return fail(ErrorKind.INVALID_REQUEST, lower.contains(PROMPT_TOO_LONG) ? msg : PROMPT_TOO_LONG + ": " + msg, null, false);
        }
        if (lower.contains("on-demand throughput") && lower.contains("isn't supported")) {
            return fail(ErrorKind.INVALID_REQUEST, msg + " (gateway: model " + requestedModel
                    + " is mapped to a foundation model id; map it to an inference profile with a geo prefix)", null, false);
        }
        return fail(ErrorKind.INVALID_REQUEST, msg, null, false);
    }

    private UpstreamFailure byStatus(int status, String msg, String requestedModel) {
        if (status == 429) {
            return fail(ErrorKind.RATE_LIMIT, msg, throttleRetryAfterSeconds, true);
        }
        if (status == 503) {
            return fail(ErrorKind.OVERLOADED, msg, overloadedRetryAfterSeconds, true);
        }
        if (status == 403) {
            return fail(ErrorKind.PERMISSION, msg, null, false);
        }
        if (status == 404) {
            return fail(ErrorKind.NOT_FOUND, msg, null, false);
        }
        if (status == 408) {
            return fail(ErrorKind.TIMEOUT, msg, null, true);
        }
        if (status == 400) {
            return validation(msg, requestedModel);
        }
        if (status > 400 && status < 500) {
            return fail(ErrorKind.INVALID_REQUEST, msg, null, false);
        }
        return fail(ErrorKind.BAD_GATEWAY, msg, null, true);
    }

    private static String defaultMessage(String code, int status) {
        return "Bedrock returned " + (code == null || code.isBlank() ? "an error" : code) + (status > 0 ? " (HTTP " + status + ")" : "");
    }

    private static UpstreamFailure fail(ErrorKind kind, String msg, Long retryAfter, boolean shouldRetry) {
        return new UpstreamFailure(kind, msg, retryAfter, shouldRetry, null);
    }

    private static UpstreamFailure fail(ErrorKind kind, String msg, long retryAfter, boolean shouldRetry) {
        return new UpstreamFailure(kind, msg, retryAfter, shouldRetry, null);
    }
}
