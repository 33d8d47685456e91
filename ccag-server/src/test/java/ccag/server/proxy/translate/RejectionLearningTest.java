package ccag.server.proxy.translate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** Spec §1.4.4: learn from Bedrock's 400, retry once, remember per model. */
class RejectionLearningTest {
    private final LearnedRejections learned = new LearnedRejections();
    private final RequestTranslator translator = new RequestTranslator(BetaPolicy.builtIn(), learned, RequestTranslator.Options.defaults());
    private final ModelCatalog catalog = Fixtures.catalog();
    private static final String BODY = "{\"model\":\"claude-opus-4-6\",\"max_tokens\":100,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
            + "\"context_management\":{\"edits\":[{\"type\":\"clear_tool_uses_20250919\"}]},\"metadata\":{\"user_id\":\"u\"},"
            + "\"tools\":[{\"name\":\"a\",\"input_schema\":{}},{\"name\":\"b\",\"input_schema\":{}}]}";
    private static final List<String> BETAS = List.of("interleaved-thinking-2025-05-14,context-management-2025-06-27,context-1m-2025-08-07");

    private BedrockRequest first(String model) {
        return translator.translate(Fixtures.json(BODY), BETAS, catalog.resolve(model));
    }

    @Test
    void aNamedInvalidBetaIsRemovedWithItsPairedFieldAndSkippedByLaterRequests() {
        BedrockRequest sent = first("claude-opus-4-6");
        assertThat(sent.body().has("context_management")).isTrue();

        Optional<BedrockRequest> retry = translator.retryAfterRejection(sent,
                "The model returned the following errors: invalid beta flag: context-management-2025-06-27");

        assertThat(retry).isPresent();
        assertThat(retry.get().isRetry()).isTrue();
        assertThat(retry.get().forwardedBetas()).containsExactly("interleaved-thinking-2025-05-14", "context-1m-2025-08-07");
        assertThat(retry.get().body().has("context_management")).isFalse();
        BedrockRequest later = first("claude-opus-4-6");
        assertThat(later.forwardedBetas()).doesNotContain("context-management-2025-06-27");
        assertThat(later.droppedBetas()).containsEntry("context-management-2025-06-27", BetaPolicy.Reason.LEARNED_REJECTED);
        assertThat(later.body().has("context_management")).isFalse();
    }

    @Test
    void learningIsPerModel() {
        translator.retryAfterRejection(first("claude-opus-4-6"), "invalid beta flag context-1m-2025-08-07");

        assertThat(first("claude-sonnet-4-6").forwardedBetas()).contains("context-1m-2025-08-07");
        assertThat(first("claude-opus-4-6").forwardedBetas()).doesNotContain("context-1m-2025-08-07");
    }

    @Test
    void anUnnamedInvalidBetaDropsTheBetasNoSuccessConfirmed() {
        translator.recordSuccess(translator.translate(Fixtures.json(BODY), List.of("interleaved-thinking-2025-05-14"),
                catalog.resolve("claude-opus-4-6")));

        Optional<BedrockRequest> retry = translator.retryAfterRejection(first("claude-opus-4-6"),
                "The model returned the following errors: invalid beta flag");

        assertThat(retry).isPresent();
        assertThat(retry.get().forwardedBetas()).containsExactly("interleaved-thinking-2025-05-14");
        assertThat(learned.rejectedBetas("us.anthropic.claude-opus-4-6-v1"))
                .containsExactlyInAnyOrder("context-management-2025-06-27", "context-1m-2025-08-07");
    }

    @Test
    void extraInputsRemovesThePathForEveryIndexAndIsRemembered() {
        BedrockRequest sent = first("claude-opus-4-6");

        Optional<BedrockRequest> retry = translator.retryAfterRejection(sent,
                "The model returned the following errors: tools.1.input_schema: Extra inputs are not permitted");

        assertThat(retry).isPresent();
        assertThat(retry.get().body().get("tools").get(0).has("input_schema")).isFalse();
        assertThat(retry.get().body().get("tools").get(1).has("input_schema")).isFalse();
        assertThat(learned.rejectedPaths("us.anthropic.claude-opus-4-6-v1")).containsExactly("tools.*.input_schema");
        assertThat(first("claude-opus-4-6").removedFields()).contains("tools.*.input_schema (learned)");
        assertThat(sent.body().get("tools").get(0).has("input_schema")).as("the rejected request is not modified").isTrue();
    }

    @Test
    void rejectedMetadataUserIdTakesTheEmptyMetadataObjectWithIt() {
        // spec §9.24
        Optional<BedrockRequest> retry = translator.retryAfterRejection(first("claude-opus-4-6"),
                "metadata.user_id: Extra inputs are not permitted");

        assertThat(retry).isPresent();
        assertThat(retry.get().body().has("metadata")).isFalse();
    }

    @Test
    void severalExtraInputsInOneMessageAreAllLearned() {
        Optional<BedrockRequest> retry = translator.retryAfterRejection(first("claude-opus-4-6"),
                "context_management: Extra inputs are not permitted\nmetadata: Extra inputs are not permitted");

        assertThat(retry.get().body().has("context_management")).isFalse();
        assertThat(retry.get().body().has("metadata")).isFalse();
    }

    @Test
    void onlyOneRetryPerRequest() {
        BedrockRequest retry = translator.retryAfterRejection(first("claude-opus-4-6"), "metadata: Extra inputs are not permitted").orElseThrow();

        assertThat(translator.retryAfterRejection(retry, "context_management: Extra inputs are not permitted")).isEmpty();
        assertThat(learned.rejectedPaths("us.anthropic.claude-opus-4-6-v1")).contains("context_management");
    }

    @Test
    void anUnlearnableMessageGivesNoRetry() {
        assertThat(translator.retryAfterRejection(first("claude-opus-4-6"), "messages: text content blocks must be non-empty")).isEmpty();
        assertThat(translator.retryAfterRejection(first("claude-opus-4-6"), "messages: Extra inputs are not permitted")).isEmpty();
        assertThat(translator.retryAfterRejection(first("claude-opus-4-6"), null)).isEmpty();
    }

    @Test
    void whatIsLearnedPerModelIsBounded() {
        for (int i = 0; i < LearnedRejections.MAX_ENTRIES_PER_MODEL + 10; i++) {
            learned.rejectPath("m", "p" + i);
        }
        assertThat(learned.rejectedPaths("m")).hasSize(LearnedRejections.MAX_ENTRIES_PER_MODEL);
    }

    @Test
    void concurrentRequestsLearnWithoutLosingAnything() throws Exception {
        int threads = 8;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int n = t;
            workers.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                for (int i = 0; i < 6; i++) {
                    translator.retryAfterRejection(first("claude-opus-4-6"), "field_" + n + "_" + i + ": Extra inputs are not permitted");
                }
            }));
        }
        start.countDown();
        for (Thread w : workers) {
            w.join();
        }
        assertThat(learned.rejectedPaths("us.anthropic.claude-opus-4-6-v1")).hasSize(threads * 6);
    }
}
