package ccag.server.proxy.translate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ccag.server.errors.InvalidRequest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class RequestTranslatorTest {
    private final RequestTranslator translator = Fixtures.translator();
    private final ModelCatalog catalog = Fixtures.catalog();

    private static final String MINIMAL = "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":1000,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";

    private BedrockRequest translate(String json, String model, String... betas) {
        return translator.translate(Fixtures.json(json), List.of(betas), catalog.resolve(model));
    }

    private BedrockRequest translate(String json) {
        return translate(json, "claude-sonnet-4-5");
    }

    private BedrockRequest withBetas(String json, String... betas) {
        return translate(json, "claude-sonnet-4-5", betas);
    }

    // ---- validation

    @Test
    void missingMaxTokensIsAnInvalidRequestNamingTheField() {
        assertThatThrownBy(() -> translate("{\"model\":\"claude-sonnet-4-5\",\"messages\":[]}"))
                .isInstanceOfSatisfying(InvalidRequest.class, e -> assertThat(e.field()).isEqualTo("max_tokens"))
                .hasMessageContaining("max_tokens");
    }

    @Test
    void missingMessagesIsAnInvalidRequestNamingTheField() {
        assertThatThrownBy(() -> translate("{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":5}"))
                .isInstanceOfSatisfying(InvalidRequest.class, e -> assertThat(e.field()).isEqualTo("messages"));
    }

    @Test
    void missingModelIsAnInvalidRequestNamingTheField() {
        assertThatThrownBy(() -> RequestTranslator.requestedModel(Fixtures.json("{\"messages\":[]}")))
                .isInstanceOfSatisfying(InvalidRequest.class, e -> assertThat(e.field()).isEqualTo("model"));
    }

    @Test
    void nonIntegerMaxTokensIsRejected() {
        assertThatThrownBy(() -> translate("{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":\"lots\",\"messages\":[]}"))
                .isInstanceOfSatisfying(InvalidRequest.class, e -> assertThat(e.field()).isEqualTo("max_tokens"));
    }

    @Test
    void malformedJsonAndNonObjectsAreInvalidRequests() {
        assertThatThrownBy(() -> RequestTranslator.parse("{\"model\":".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidRequest.class).hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> RequestTranslator.parse("[1]".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidRequest.class).hasMessageContaining("JSON object");
        assertThatThrownBy(() -> RequestTranslator.parse(new byte[0])).isInstanceOf(InvalidRequest.class);
    }

    // ---- allowlist

    @Test
    void unknownTopLevelFieldsAreDroppedAndReportedByName() {
        BedrockRequest r = translate(MINIMAL + ",\"brand_new_field\":{\"x\":1},\"service_tier\":\"auto\",\"speed\":\"fast\","
                + "\"cache_control\":{\"type\":\"ephemeral\"},\"mcp_servers\":[],\"output_format\":{},\"stream\":false}");

        assertThat(r.body().fieldNames()).toIterable()
                .containsExactly("anthropic_version", "max_tokens", "messages");
        assertThat(r.unknownFields()).containsExactly("brand_new_field");
        assertThat(r.removedFields()).contains("service_tier", "speed", "cache_control", "mcp_servers", "output_format");
        assertThat(r.stream()).isFalse();
    }

    @Test
    void samplingParametersAndStopSequencesPass() {
        BedrockRequest r = translate(MINIMAL + ",\"temperature\":0.5,\"top_p\":0.9,\"top_k\":5,\"stop_sequences\":[\"END\"]}");

        assertThat(r.body().get("temperature").asDouble()).isEqualTo(0.5);
        assertThat(r.body().get("top_k").asInt()).isEqualTo(5);
        assertThat(r.body().get("stop_sequences").get(0).asText()).isEqualTo("END");
    }

    @Test
    void samplingParametersAreStrippedForModelsThatRejectThem() {
        BedrockRequest r = translate(MINIMAL + ",\"temperature\":0.5,\"top_p\":0.9}", "claude-sonnet-5-5");

        assertThat(r.body().has("temperature")).isFalse();
        assertThat(r.body().has("top_p")).isFalse();
        assertThat(r.removedFields()).contains("temperature", "top_p");
    }

    @Test
    void metadataIsReducedToUserId() {
        BedrockRequest r = translate(MINIMAL + ",\"metadata\":{\"user_id\":\"{\\\"session_id\\\":\\\"x\\\"}\",\"other\":1}}");

        assertThat(r.body().get("metadata")).isEqualTo(Fixtures.json("{\"user_id\":\"{\\\"session_id\\\":\\\"x\\\"}\"}"));
        assertThat(r.removedFields()).contains("metadata.other");
    }

    @Test
    void metadataCanBeDroppedEntirelyByConfiguration() {
        RequestTranslator noMetadata = new RequestTranslator(BetaPolicy.builtIn(), new LearnedRejections(),
                new RequestTranslator.Options(true, false, true));
        BedrockRequest r = noMetadata.translate(Fixtures.json(MINIMAL + ",\"metadata\":{\"user_id\":\"u\"}}"), List.of(),
                catalog.resolve("claude-sonnet-4-5"));

        assertThat(r.body().has("metadata")).isFalse();
    }

    // ---- betas

    @Test
    void betasFromSeveralHeaderLinesAndTheBodyAreMergedTrimmedAndDeduplicated() {
        BedrockRequest r = withBetas(MINIMAL + ",\"betas\":[\"context-1m-2025-08-07\"]}",
                " interleaved-thinking-2025-05-14 ,, context-1m-2025-08-07", "interleaved-thinking-2025-05-14,fine-grained-tool-streaming-2025-05-14");

        assertThat(r.forwardedBetas()).containsExactly("interleaved-thinking-2025-05-14", "context-1m-2025-08-07",
                "fine-grained-tool-streaming-2025-05-14");
        assertThat(r.body().get("anthropic_beta")).hasSize(3);
        assertThat(r.body().has("betas")).isFalse();
    }

    @Test
    void noSurvivingBetaMeansNoAnthropicBetaField() {
        BedrockRequest r = withBetas(MINIMAL + "}", "claude-code-20250219,prompt-caching-scope-2026-01-05,oauth-2025-04-20");

        assertThat(r.body().has("anthropic_beta")).isFalse();
        assertThat(r.droppedBetas()).hasSize(3);
    }

    @Test
    void ccagCompatCombinationForwardsOnlyWhatTheModelTakes() {
        // spec §9.12
        String header = "claude-code-20250219,adaptive-thinking-2026-01-28,context-management-2025-06-27,prompt-caching-scope-2026-01-05,effort-2025-11-24";
        BedrockRequest opus45 = translate(MINIMAL + ",\"output_config\":{\"effort\":\"high\"}}", "claude-opus-4-5", header);
        BedrockRequest sonnet4 = translate(MINIMAL + ",\"output_config\":{\"effort\":\"high\"},"
                + "\"context_management\":{\"edits\":[{\"type\":\"clear_tool_uses_20250919\"}]}}", "claude-sonnet-4", header);

        assertThat(opus45.forwardedBetas()).containsExactly("context-management-2025-06-27", "effort-2025-11-24");
        assertThat(opus45.body().get("output_config").get("effort").asText()).isEqualTo("high");
        assertThat(sonnet4.forwardedBetas()).isEmpty();
        assertThat(sonnet4.body().has("output_config")).isFalse();
        assertThat(sonnet4.body().has("context_management")).isFalse();
    }

    @Test
    void effortWithoutItsBetaIsDroppedOnOpus45ButKeptWhereItIsGa() {
        String body = MINIMAL + ",\"output_config\":{\"effort\":\"low\",\"format\":{\"type\":\"json_schema\"}}}";

        assertThat(translate(body, "claude-opus-4-5").body().has("output_config")).isFalse();
        BedrockRequest opus46 = translate(body, "claude-opus-4-6");
        assertThat(opus46.body().get("output_config")).isEqualTo(Fixtures.json("{\"effort\":\"low\"}"));
        assertThat(opus46.removedFields()).contains("output_config.format");
    }

    @Test
    void oneMillionSuffixAddsTheContextBetaWhereTheModelSupportsIt() {
        BedrockRequest sonnet = translate(MINIMAL + "}", "claude-sonnet-4-5[1m]");
        BedrockRequest haiku = translate(MINIMAL + "}", "claude-haiku-4-5[1m]");

        assertThat(sonnet.forwardedBetas()).containsExactly("context-1m-2025-08-07");
        assertThat(haiku.forwardedBetas()).isEmpty();
        assertThat(haiku.droppedBetas()).containsEntry("context-1m-2025-08-07", BetaPolicy.Reason.NOT_FOR_MODEL);
    }

    @Test
    void configuredAllowAndDenyListsOverrideTheTable() {
        RequestTranslator custom = new RequestTranslator(
                BetaPolicy.builtIn(List.of("thinking-token-count-2026-05-13"), List.of("interleaved-thinking-*")),
                new LearnedRejections(), RequestTranslator.Options.defaults());
        BedrockRequest r = custom.translate(Fixtures.json(MINIMAL + "}"),
                List.of("thinking-token-count-2026-05-13,interleaved-thinking-2025-05-14"), catalog.resolve("claude-sonnet-4-5"));

        assertThat(r.forwardedBetas()).containsExactly("thinking-token-count-2026-05-13");
        assertThat(r.droppedBetas()).containsEntry("interleaved-thinking-2025-05-14", BetaPolicy.Reason.DENIED_BY_CONFIG);
    }

    @Test
    void aComputerToolBringsItsComputerUseBeta() {
        BedrockRequest r = translate(MINIMAL + ",\"tools\":[{\"type\":\"computer_20250124\",\"name\":\"computer\","
                + "\"display_width_px\":1024,\"display_height_px\":768}]}");

        assertThat(r.forwardedBetas()).containsExactly("computer-use-2025-01-24");
        assertThat(r.body().get("tools").get(0).get("display_width_px").asInt()).isEqualTo(1024);
    }

    // ---- thinking (spec §1.6)

    @Test
    void displayIsKeptOnlyWithTheThinkingDisplayBeta() {
        String body = MINIMAL + ",\"thinking\":{\"type\":\"adaptive\",\"display\":\"summarized\"}}";

        assertThat(translate(body, "claude-opus-4-6").body().get("thinking").has("display")).isFalse();
        assertThat(translate(body, "claude-opus-4-6", "thinking-display-updates-2026-08-18").body().get("thinking").get("display").asText())
                .isEqualTo("summarized");
    }

    @Test
    void adaptiveBecomesABudgetOnOlderModelsScaledByEffort() {
        BedrockRequest medium = translate("{\"model\":\"x\",\"max_tokens\":32000,\"messages\":[],"
                + "\"thinking\":{\"type\":\"adaptive\"},\"output_config\":{\"effort\":\"medium\"}}", "claude-sonnet-4-5");
        BedrockRequest noEffort = translate("{\"model\":\"x\",\"max_tokens\":10000,\"messages\":[],\"thinking\":{\"type\":\"adaptive\"}}",
                "claude-haiku-4-5");

        assertThat(medium.body().get("thinking")).isEqualTo(Fixtures.json("{\"type\":\"enabled\",\"budget_tokens\":16000}"));
        assertThat(noEffort.body().get("thinking")).isEqualTo(Fixtures.json("{\"type\":\"enabled\",\"budget_tokens\":8000}"));
    }

    @Test
    void adaptiveWithATinyBudgetTurnsThinkingOff() {
        BedrockRequest r = translate("{\"model\":\"x\",\"max_tokens\":1000,\"messages\":[],\"thinking\":{\"type\":\"adaptive\"}}");

        assertThat(r.body().get("thinking")).isEqualTo(Fixtures.json("{\"type\":\"disabled\"}"));
    }

    @Test
    void enabledBecomesAdaptiveOnAdaptiveOnlyModels() {
        BedrockRequest r = translate("{\"model\":\"x\",\"max_tokens\":32000,\"messages\":[],"
                + "\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":31999}}", "claude-opus-4-7");

        assertThat(r.body().get("thinking")).isEqualTo(Fixtures.json("{\"type\":\"adaptive\"}"));
    }

    @Test
    void enabledWithoutBudgetGetsADefaultBelowMaxTokensAndAnOversizedBudgetIsClamped() {
        BedrockRequest noBudget = translate("{\"model\":\"x\",\"max_tokens\":8000,\"messages\":[],\"thinking\":{\"type\":\"enabled\"}}");
        BedrockRequest tooBig = translate("{\"model\":\"x\",\"max_tokens\":8000,\"messages\":[],"
                + "\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":9000}}");

        assertThat(noBudget.body().get("thinking").get("budget_tokens").asInt()).isEqualTo(7999);
        assertThat(tooBig.body().get("thinking").get("budget_tokens").asInt()).isEqualTo(7999);
    }

    @Test
    void bothThinkingFormsPassOnModelsThatTakeBoth() {
        String budget = "{\"model\":\"x\",\"max_tokens\":8000,\"messages\":[],\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":2000}}";

        assertThat(translate(budget, "claude-sonnet-4-6").body().get("thinking"))
                .isEqualTo(Fixtures.json("{\"type\":\"enabled\",\"budget_tokens\":2000}"));
    }

    @Test
    void clearThinkingEditIsDroppedWhenThinkingEndsUpOff() {
        BedrockRequest r = translate("{\"model\":\"x\",\"max_tokens\":1000,\"messages\":[],\"thinking\":{\"type\":\"adaptive\"},"
                + "\"context_management\":{\"edits\":[{\"type\":\"clear_thinking_20251015\"},{\"type\":\"clear_tool_uses_20250919\"}]}}",
                "claude-sonnet-4-5", "context-management-2025-06-27");

        assertThat(r.body().get("context_management").get("edits")).hasSize(1);
        assertThat(r.body().get("context_management").get("edits").get(0).get("type").asText()).isEqualTo("clear_tool_uses_20250919");
    }

    @Test
    void compactEditsNeedTheCompactBeta() {
        String body = "{\"model\":\"x\",\"max_tokens\":1000,\"messages\":[],"
                + "\"context_management\":{\"edits\":[{\"type\":\"compact_20260112\"}]}}";

        assertThat(translate(body, "claude-opus-4-6", "context-management-2025-06-27").body().has("context_management")).isFalse();
        assertThat(translate(body, "claude-opus-4-6", "compact-2026-01-12").body().get("context_management").get("edits")).hasSize(1);
    }

    // ---- cache_control (spec §1.5)

    @Test
    void cacheControlKeepsOnlyTypeAndTtlEverywhere() {
        BedrockRequest r = translate("{\"model\":\"x\",\"max_tokens\":10,"
                + "\"system\":[{\"type\":\"text\",\"text\":\"s\",\"cache_control\":{\"type\":\"ephemeral\",\"scope\":\"global\"}}],"
                + "\"tools\":[{\"name\":\"t\",\"input_schema\":{},\"cache_control\":{\"type\":\"ephemeral\",\"scope\":\"org\",\"ttl\":\"1h\"}}],"
                + "\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"a\",\"content\":"
                + "[{\"type\":\"text\",\"text\":\"x\",\"cache_control\":{\"type\":\"ephemeral\",\"scope\":\"global\"}}]}]}]}");

        BedrockSchema.assertAccepted(r.body());
        assertThat(r.body().get("system").get(0).get("cache_control")).isEqualTo(Fixtures.json("{\"type\":\"ephemeral\"}"));
        assertThat(r.body().get("tools").get(0).get("cache_control")).isEqualTo(Fixtures.json("{\"type\":\"ephemeral\",\"ttl\":\"1h\"}"));
        assertThat(r.body().at("/messages/0/content/0/content/0/cache_control")).isEqualTo(Fixtures.json("{\"type\":\"ephemeral\"}"));
    }

    @Test
    void cacheTtlIsRemovedOnModelsOlderThan45AndWhenItIsNotAKnownValue() {
        String body = "{\"model\":\"x\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":["
                + "{\"type\":\"text\",\"text\":\"a\",\"cache_control\":{\"type\":\"ephemeral\",\"ttl\":\"1h\"}},"
                + "{\"type\":\"text\",\"text\":\"b\",\"cache_control\":{\"type\":\"ephemeral\",\"ttl\":\"2d\"}}]}]}";

        JsonNode sonnet4 = translate(body, "claude-sonnet-4").body().at("/messages/0/content");
        JsonNode sonnet45 = translate(body, "claude-sonnet-4-5").body().at("/messages/0/content");
        assertThat(sonnet4.get(0).get("cache_control")).isEqualTo(Fixtures.json("{\"type\":\"ephemeral\"}"));
        assertThat(sonnet45.get(0).get("cache_control")).isEqualTo(Fixtures.json("{\"type\":\"ephemeral\",\"ttl\":\"1h\"}"));
        assertThat(sonnet45.get(1).get("cache_control")).isEqualTo(Fixtures.json("{\"type\":\"ephemeral\"}"));
    }

    // ---- tools (spec §1.7)

    @Test
    void customToolsLoseKeysBedrockRejectsAndBetaGatedKeysWithoutTheirBeta() {
        BedrockRequest r = translate(MINIMAL + ",\"tools\":[{\"name\":\"t\",\"description\":\"d\",\"input_schema\":{},"
                + "\"custom\":{\"defer_loading\":true},\"strict\":true,\"defer_loading\":true,\"input_examples\":[{}],"
                + "\"eager_input_streaming\":true,\"whatever\":1}]}", "claude-sonnet-4-5", "fine-grained-tool-streaming-2025-05-14");

        assertThat(r.body().get("tools").get(0).fieldNames()).toIterable()
                .containsExactly("name", "description", "input_schema", "eager_input_streaming");
    }

    @Test
    void serverToolsBedrockDoesNotRunAreRemovedAndAForcedChoiceFallsBackToAuto() {
        // spec §9.15
        BedrockRequest r = translate(MINIMAL + ",\"tools\":[{\"type\":\"web_search_20250305\",\"name\":\"web_search\",\"max_uses\":8},"
                + "{\"type\":\"code_execution_20250825\",\"name\":\"code_execution\"},{\"name\":\"Read\",\"input_schema\":{}}],"
                + "\"tool_choice\":{\"type\":\"tool\",\"name\":\"web_search\",\"disable_parallel_tool_use\":true}}");

        assertThat(r.body().get("tools")).hasSize(1);
        assertThat(r.removedTools()).containsExactly("web_search", "code_execution");
        assertThat(r.body().get("tool_choice")).isEqualTo(Fixtures.json("{\"type\":\"auto\",\"disable_parallel_tool_use\":true}"));
    }

    @Test
    void noToolLeftRemovesToolsAndToolChoice() {
        BedrockRequest r = translate(MINIMAL + ",\"tools\":[{\"type\":\"web_search_20250305\",\"name\":\"web_search\"}],"
                + "\"tool_choice\":{\"type\":\"any\"}}");

        assertThat(r.body().has("tools")).isFalse();
        assertThat(r.body().has("tool_choice")).isFalse();
    }

    @Test
    void toolSearchToolsStayOnlyWithTheirBeta() {
        String body = MINIMAL + ",\"tools\":[{\"type\":\"tool_search_tool_regex_20251119\",\"name\":\"tool_search_tool_regex\"},"
                + "{\"name\":\"Read\",\"input_schema\":{},\"defer_loading\":true}]}";

        BedrockRequest with = translate(body, "claude-sonnet-4-5", "advanced-tool-use-2025-11-20");
        BedrockRequest haiku = translate(body, "claude-haiku-4-5", "advanced-tool-use-2025-11-20");
        assertThat(with.body().get("tools")).hasSize(2);
        assertThat(with.forwardedBetas()).containsExactly("tool-search-tool-2025-10-19");
        assertThat(haiku.body().get("tools")).hasSize(1);
        assertThat(haiku.body().get("tools").get(0).has("defer_loading")).isFalse();
    }

    // ---- messages (spec §1.8)

    @Test
    void toolUseIdsAreMadeBedrockSafeConsistentlyOnBothSides() {
        // spec §9.7: parallel tool use keeps order
        BedrockRequest r = translate("{\"model\":\"x\",\"max_tokens\":10,\"messages\":["
                + "{\"role\":\"user\",\"content\":\"go\"},"
                + "{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"call:1.a\",\"name\":\"A\",\"input\":{}},"
                + "{\"type\":\"tool_use\",\"id\":\"toolu_2\",\"name\":\"B\",\"input\":{}}]},"
                + "{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"call:1.a\",\"content\":\"1\"},"
                + "{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_2\",\"content\":\"2\"}]}]}");

        assertThat(r.body().at("/messages/1/content/0/id").asText()).isEqualTo("call_1_a");
        assertThat(r.body().at("/messages/2/content/0/tool_use_id").asText()).isEqualTo("call_1_a");
        assertThat(r.body().at("/messages/2/content/1/tool_use_id").asText()).isEqualTo("toolu_2");
    }

    @Test
    void thinkingBlocksAndSignaturesPassUnchanged() {
        // spec §9.5
        String thinking = "{\"type\":\"thinking\",\"thinking\":\"Let me think\\u00e9\",\"signature\":\"EqQBCkYIBxgCKkD+/=\"}";
        String redacted = "{\"type\":\"redacted_thinking\",\"data\":\"EmwKAhgBEgy3va3pzix/LafPsn4aDFIT\"}";
        ObjectNode in = Fixtures.json("{\"model\":\"x\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"q\"},"
                + "{\"role\":\"assistant\",\"content\":[" + thinking + "," + redacted + ",{\"type\":\"text\",\"text\":\"a\"}]},"
                + "{\"role\":\"user\",\"content\":\"more\"}]}");

        BedrockRequest r = translator.translate(in, List.of(), catalog.resolve("claude-sonnet-4-5"));

        assertThat(r.body().at("/messages/1/content/0")).isSameAs(in.at("/messages/1/content/0")).isEqualTo(Fixtures.json(thinking));
        assertThat(r.body().at("/messages/1/content/1")).isEqualTo(Fixtures.json(redacted));
    }

    @Test
    void unknownContentBlockTypesImagesAndEmptyContentArePassedThrough() {
        // spec §9.1, §9.8, §9.11
        String image = "{\"type\":\"image\",\"source\":{\"type\":\"base64\",\"media_type\":\"image/png\",\"data\":\"iVBORw0KGgo=\"}}";
        BedrockRequest r = translate("{\"model\":\"x\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":["
                + image + ",{\"type\":\"future_block\",\"x\":1},{\"type\":\"text\",\"text\":\"\"}]}]}");

        assertThat(r.body().at("/messages/0/content")).hasSize(3);
        assertThat(r.body().at("/messages/0/content/0")).isEqualTo(Fixtures.json(image));
        assertThat(r.body().at("/messages/0/content/1/type").asText()).isEqualTo("future_block");
    }

    @Test
    void filesApiSourcesAreRefusedWithAClearMessage() {
        assertThatThrownBy(() -> translate("{\"model\":\"x\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":["
                + "{\"type\":\"document\",\"source\":{\"type\":\"file\",\"file_id\":\"file_1\"}}]}]}"))
                .isInstanceOf(InvalidRequest.class).hasMessageContaining("Files API is not supported");
    }

    @Test
    void webSearchHistoryBlocksAreRewrittenBecauseBedrockRefusesThem() {
        BedrockRequest r = translate("{\"model\":\"x\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"q\"},"
                + "{\"role\":\"assistant\",\"content\":[{\"type\":\"server_tool_use\",\"id\":\"srvtoolu_1\",\"name\":\"web_search\",\"input\":{\"query\":\"x\"}},"
                + "{\"type\":\"web_search_tool_result\",\"tool_use_id\":\"srvtoolu_1\",\"content\":[{\"type\":\"web_search_result\",\"title\":\"T\",\"url\":\"https://e.x\"}]},"
                + "{\"type\":\"text\",\"text\":\"answer\"}]}]}");

        JsonNode content = r.body().at("/messages/1/content");
        assertThat(content).hasSize(2);
        assertThat(content.get(0).get("text").asText()).contains("[1] T", "URL: https://e.x");
        assertThat(content.get(1).get("text").asText()).isEqualTo("answer");
    }

    @Test
    void systemMessageWithoutAPrecedingUserTurnJoinsTheNextOneAfterItsToolResults() {
        BedrockRequest r = translate("{\"model\":\"x\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"q\"},"
                + "{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"t1\",\"name\":\"A\",\"input\":{}}]},"
                + "{\"role\":\"system\",\"content\":\"mid-conversation note\"},"
                + "{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"t1\",\"content\":\"ok\"},{\"type\":\"text\",\"text\":\"next\"}]}]}");

        JsonNode last = r.body().at("/messages/2/content");
        assertThat(r.body().get("messages")).hasSize(3);
        assertThat(last.get(0).get("type").asText()).isEqualTo("tool_result");
        assertThat(last.get(1).get("text").asText()).isEqualTo("mid-conversation note");
        assertThat(last.get(2).get("text").asText()).isEqualTo("next");
    }

    @Test
    void systemMessageWithNoUserTurnAtAllIsAnInvalidRequest() {
        assertThatThrownBy(() -> translate("{\"model\":\"x\",\"max_tokens\":10,\"messages\":[{\"role\":\"system\",\"content\":\"s\"}]}"))
                .isInstanceOfSatisfying(InvalidRequest.class, e -> assertThat(e.field()).isEqualTo("messages"));
    }

    // ---- system (spec §1.9, §9.21)

    @Test
    void systemThatIsOnlyTheBillingBlockOrEmptyIsRemoved() {
        assertThat(translate(MINIMAL + ",\"system\":[{\"type\":\"text\",\"text\":\"x-anthropic-billing-header: cc_version=2.1.330.440;\"}]}")
                .body().has("system")).isFalse();
        assertThat(translate(MINIMAL + ",\"system\":\"\"}").body().has("system")).isFalse();
        assertThat(translate(MINIMAL + ",\"system\":\"Be brief.\"}").body().get("system").asText()).isEqualTo("Be brief.");
    }

    @Test
    void billingBlockRemovalCanBeSwitchedOff() {
        RequestTranslator keep = new RequestTranslator(BetaPolicy.builtIn(), new LearnedRejections(),
                new RequestTranslator.Options(false, true, true));
        BedrockRequest r = keep.translate(Fixtures.json(MINIMAL + ",\"system\":[{\"type\":\"text\",\"text\":\"x-anthropic-billing-header: a;\"}]}"),
                List.of(), catalog.resolve("claude-sonnet-4-5"));

        assertThat(r.body().get("system")).hasSize(1);
    }

    // ---- body bytes

    @Test
    void bodyBytesAreTheSerialisedBodyWithoutModelOrStream() throws Exception {
        BedrockRequest r = translate(MINIMAL + ",\"stream\":true}");

        JsonNode parsed = Fixtures.MAPPER.readTree(r.bodyBytes());
        assertThat(parsed).isEqualTo(r.body());
        assertThat(r.stream()).isTrue();
        assertThat(new String(r.bodyBytes(), StandardCharsets.UTF_8)).doesNotContain("\"model\"", "\"stream\"");
    }
}
