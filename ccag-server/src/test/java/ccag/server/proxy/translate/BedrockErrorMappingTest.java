package ccag.server.proxy.translate;

import static org.assertj.core.api.Assertions.assertThat;

import ccag.server.errors.ErrorKind;
import ccag.server.errors.UpstreamFailure;
import org.junit.jupiter.api.Test;

class BedrockErrorMappingTest {
    private final BedrockErrorMapping mapping = new BedrockErrorMapping(7, 60, 3);

    private UpstreamFailure map(String code, int status, String message) {
        return mapping.fromBedrock(code, status, message, "claude-opus-5-5");
    }

    @Test
    void throttlingIsA429WithRetryAfterWhicheverWayTheSdkSpellsIt() {
        for (String code : new String[] {"ThrottlingException", "throttlingException",
                "ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/", "com.amazon.bedrock#ThrottlingException"}) {
            UpstreamFailure f = map(code, 429, "Too many tokens, please wait before trying again.");
            assertThat(f.kind()).as(code).isEqualTo(ErrorKind.RATE_LIMIT);
            assertThat(f.retryAfterSeconds()).isEqualTo(7);
            assertThat(f.shouldRetry()).isTrue();
            assertThat(f.getMessage()).isEqualTo("Too many tokens, please wait before trying again.");
        }
    }

    @Test
    void theSpecTableOfExceptions() {
        assertThat(map("ServiceQuotaExceededException", 400, "quota").kind()).isEqualTo(ErrorKind.RATE_LIMIT);
        assertThat(map("ServiceQuotaExceededException", 400, "quota").retryAfterSeconds()).isEqualTo(60);
        assertThat(map("ModelNotReadyException", 429, "warming").kind()).isEqualTo(ErrorKind.OVERLOADED);
        assertThat(map("ServiceUnavailableException", 503, "busy").kind()).isEqualTo(ErrorKind.OVERLOADED);
        assertThat(map("ServiceUnavailableException", 503, "busy").retryAfterSeconds()).isEqualTo(3);
        assertThat(map("InternalServerException", 500, "boom").kind()).isEqualTo(ErrorKind.API_ERROR);
        assertThat(map("ModelErrorException", 424, "model failed").kind()).isEqualTo(ErrorKind.API_ERROR);
        assertThat(map("ModelStreamErrorException", 424, "stream failed").kind()).isEqualTo(ErrorKind.API_ERROR);
        assertThat(map("ModelTimeoutException", 408, "slow").kind()).isEqualTo(ErrorKind.TIMEOUT);
        assertThat(map("AccessDeniedException", 403, "no access").kind()).isEqualTo(ErrorKind.PERMISSION);
        assertThat(map("AccessDeniedException", 403, "no access").shouldRetry()).isFalse();
        assertThat(map("ResourceNotFoundException", 404, "gone").kind()).isEqualTo(ErrorKind.NOT_FOUND);
        assertThat(map("ConflictException", 400, "conflict").kind()).isEqualTo(ErrorKind.CONFLICT);
        assertThat(map("ValidationException", 400, "messages: bad").kind()).isEqualTo(ErrorKind.INVALID_REQUEST);
        assertThat(map("ValidationException", 400, "messages: bad").getMessage()).isEqualTo("messages: bad");
    }

    @Test
    void credentialFailuresAreTheGatewaysProblemAndNotRetried() {
        UpstreamFailure f = map("UnrecognizedClientException", 403, "The security token included in the request is invalid.");

        assertThat(f.kind()).isEqualTo(ErrorKind.API_ERROR);
        assertThat(f.shouldRetry()).isFalse();
        assertThat(f.getMessage()).contains("The security token included in the request is invalid.");
    }

    @Test
    void contextOverflowAlwaysSaysPromptIsTooLongAndKeepsBedrocksWording() {
        UpstreamFailure bedrock = map("ValidationException", 400, "The model returned the following errors: Input is too long for requested model.");
        UpstreamFailure anthropic = map("ValidationException", 400, "prompt is too long: 210000 tokens > 200000 maximum");

        assertThat(bedrock.getMessage()).isEqualTo("prompt is too long: The model returned the following errors: Input is too long for requested model.");
        assertThat(anthropic.getMessage()).isEqualTo("prompt is too long: 210000 tokens > 200000 maximum");
        assertThat(bedrock.kind()).isEqualTo(ErrorKind.INVALID_REQUEST);
    }

    @Test
    void thinkingSignatureRejectionsPassVerbatim() {
        String msg = "messages.1.content.0: Invalid `signature` in `thinking` block";

        assertThat(map("ValidationException", 400, msg).getMessage()).isEqualTo(msg);
    }

    @Test
    void anInvalidModelIdIsA404NamingTheRequestedModel() {
        UpstreamFailure f = map("ValidationException", 400, "The provided model identifier is invalid.");

        assertThat(f.kind()).isEqualTo(ErrorKind.NOT_FOUND);
        assertThat(f.getMessage()).isEqualTo("model: claude-opus-5-5 (Bedrock: The provided model identifier is invalid.)");
    }

    @Test
    void onDemandThroughputGetsAMappingHint() {
        UpstreamFailure f = map("ValidationException", 400, "Invocation of model ID anthropic.claude-x with on-demand throughput isn't supported.");

        assertThat(f.getMessage()).startsWith("Invocation of model ID anthropic.claude-x").contains("inference profile");
    }

    @Test
    void unknownCodesAreClassifiedByStatus() {
        assertThat(map("SomethingNew", 429, "x").kind()).isEqualTo(ErrorKind.RATE_LIMIT);
        assertThat(map(null, 503, "x").kind()).isEqualTo(ErrorKind.OVERLOADED);
        assertThat(map("Weird", 418, "x").kind()).isEqualTo(ErrorKind.INVALID_REQUEST);
        assertThat(map("Weird", 500, null).kind()).isEqualTo(ErrorKind.BAD_GATEWAY);
        assertThat(map("Weird", 500, null).getMessage()).isEqualTo("Bedrock returned Weird (HTTP 500)");
    }

    @Test
    void clientSideFailuresAreTimeoutsOrBadGateways() {
        assertThat(mapping.clientFailure(true, null, null).kind()).isEqualTo(ErrorKind.TIMEOUT);
        assertThat(mapping.clientFailure(false, "Connection refused", null).kind()).isEqualTo(ErrorKind.BAD_GATEWAY);
    }

    @Test
    void midStreamErrorsUseTheSseTypesClaudeCodeRetries() {
        assertThat(mapping.midStream("throttlingException", "Too many tokens").kind().type()).isEqualTo("overloaded_error");
        assertThat(mapping.midStream("serviceUnavailableException", "x").kind().type()).isEqualTo("overloaded_error");
        assertThat(mapping.midStream("modelTimeoutException", "x").kind().type()).isEqualTo("timeout_error");
        assertThat(mapping.midStream("validationException", "x").kind().type()).isEqualTo("invalid_request_error");
        assertThat(mapping.midStream("internalServerException", "x").kind().type()).isEqualTo("api_error");
        assertThat(mapping.midStream("modelStreamErrorException", "boom").getMessage()).isEqualTo("boom");
    }

    @Test
    void learnableRejectionsAreRecognised() {
        assertThat(BedrockErrorMapping.isLearnable("ValidationException", 400, "invalid beta flag")).isTrue();
        assertThat(BedrockErrorMapping.isLearnable("validationException", 400, "context_management: Extra inputs are not permitted")).isTrue();
        assertThat(BedrockErrorMapping.isLearnable("ThrottlingException", 429, "invalid beta flag")).isFalse();
        assertThat(BedrockErrorMapping.isLearnable("ValidationException", 400, "Input is too long")).isFalse();
    }
}
