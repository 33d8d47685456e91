package ccag.server.proxy.translate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ccag.server.errors.NotFound;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelCatalogTest {
    private final ModelCatalog us = Fixtures.catalog();

    @Test
    void claudeCodeDefaultsResolveToInferenceProfilesOfTheRegionsGeoMarkedUnverified() {
        for (String tier : List.of("opus", "sonnet", "haiku")) {
            ResolvedModel m = us.resolve("claude-" + tier + "-5-5");
            assertThat(m.bedrockModelId()).isEqualTo("us.anthropic.claude-" + tier + "-5-5");
            assertThat(m.source()).isEqualTo(ResolvedModel.Source.SEED_UNVERIFIED);
            assertThat(m.verified()).isFalse();
            assertThat(m.family()).isEqualTo(new ModelFamily(tier, 5, 5));
        }
    }

    @Test
    void aliasesAndDatedFormsResolveToTheSameVerifiedId() {
        assertThat(us.resolve("claude-sonnet-4-5").bedrockModelId()).isEqualTo("us.anthropic.claude-sonnet-4-5-20250929-v1:0");
        assertThat(us.resolve("claude-sonnet-4-5-20250929").bedrockModelId()).isEqualTo("us.anthropic.claude-sonnet-4-5-20250929-v1:0");
        assertThat(us.resolve("claude-haiku-4-5-20251001").source()).isEqualTo(ResolvedModel.Source.SEED);
    }

    @Test
    void geoPrefixFollowsTheRegionOrTheOperatorsChoice() {
        assertThat(ModelCatalog.builder().region("eu-central-1").build().resolve("claude-sonnet-4-5").bedrockModelId())
                .startsWith("eu.anthropic.");
        assertThat(ModelCatalog.builder().region("ap-south-1").build().resolve("claude-sonnet-4-5").bedrockModelId())
                .startsWith("apac.anthropic.");
        assertThat(ModelCatalog.builder().region("us-east-1").geoPrefix("global").build().resolve("claude-sonnet-4-5").bedrockModelId())
                .startsWith("global.anthropic.");
        assertThat(ModelCatalog.geoPrefixForRegion("us-gov-west-1")).isEqualTo("us-gov");
        assertThat(ModelCatalog.geoPrefixForRegion("ca-central-1")).isEqualTo("us");
        assertThat(ModelCatalog.geoPrefixForRegion("ap-southeast-2")).isEqualTo("au");
        assertThat(ModelCatalog.geoPrefixForRegion("ap-northeast-1")).isEqualTo("jp");
        assertThat(ModelCatalog.geoPrefixForRegion("me-central-1")).isEqualTo("apac");
    }

    @Test
    void oneMillionSuffixIsStrippedForMappingAndRemembered() {
        ResolvedModel m = us.resolve("claude-opus-4-7[1m]");

        assertThat(m.bedrockModelId()).isEqualTo("us.anthropic.claude-opus-4-7");
        assertThat(m.oneMillionContext()).isTrue();
        assertThat(m.responseModel()).isEqualTo("claude-opus-4-7");
        assertThat(m.requested()).isEqualTo("claude-opus-4-7[1m]");
    }

    @Test
    void bedrockIdsAndArnsPassUnchanged() {
        ResolvedModel id = us.resolve("eu.anthropic.claude-sonnet-4-5-20250929-v1:0");
        ResolvedModel arn = us.resolve("arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc123");

        assertThat(id.bedrockModelId()).isEqualTo("eu.anthropic.claude-sonnet-4-5-20250929-v1:0");
        assertThat(id.source()).isEqualTo(ResolvedModel.Source.PASSTHROUGH);
        assertThat(id.family()).isEqualTo(new ModelFamily("sonnet", 4, 5));
        assertThat(arn.bedrockModelId()).startsWith("arn:aws:bedrock:");
        assertThat(arn.family().known()).isFalse();
        assertThat(arn.baseModelId()).isEmpty();
    }

    @Test
    void unknownModelsAreNotFoundNamingTheModel() {
        assertThatThrownBy(() -> us.resolve("gpt-5")).isInstanceOf(NotFound.class).hasMessage("model: gpt-5");
    }

    @Test
    void oddBracketsAreNotStrippedAndFallThroughToNotFound() {
        // spec §9.30
        for (String odd : List.of("claude-opus-4-7[]", "claude-opus-4-7[1m", "claude[1m]-opus-4-7")) {
            assertThat(us.find(odd)).as(odd).isEmpty();
        }
    }

    @Test
    void dateFallbackNeverReachesAnOlderBareMajor() {
        ModelCatalog c = ModelCatalog.builder().configMappings(Map.of("claude-opus-4", "anthropic.claude-opus-4-20250514-v1:0")).build();

        assertThat(c.find("claude-opus-4-8-20270101").map(ResolvedModel::bedrockModelId)).contains("us.anthropic.claude-opus-4-8");
        assertThat(c.find("claude-opus-4-20250514")).isEmpty();
        assertThat(c.find("claude-opus-4-9")).as("no prefix matching").isEmpty();
    }

    @Test
    void adminBeatsConfigBeatsDiscoveryBeatsSeed() {
        ModelCatalog c = ModelCatalog.builder()
                .adminMappings(Map.of("claude-opus-5-5", "arn:aws:bedrock:us-east-1:1:application-inference-profile/opus"))
                .configMappings(Map.of("claude-opus-5-5", "anthropic.claude-opus-5-5-v9", "claude-sonnet-5-5", "global.anthropic.claude-sonnet-5-5"))
                .discoveredProfiles(List.of("us.anthropic.claude-sonnet-5-5-v2:0", "us.anthropic.claude-haiku-5-5-20261101-v1:0"))
                .build();

        ResolvedModel opus = c.resolve("claude-opus-5-5");
        assertThat(opus.source()).isEqualTo(ResolvedModel.Source.ADMIN);
        assertThat(opus.family()).as("family from the name when the ARN has none").isEqualTo(new ModelFamily("opus", 5, 5));
        assertThat(c.resolve("claude-sonnet-5-5").bedrockModelId()).isEqualTo("global.anthropic.claude-sonnet-5-5");
        ResolvedModel haiku = c.resolve("claude-haiku-5-5");
        assertThat(haiku.bedrockModelId()).isEqualTo("us.anthropic.claude-haiku-5-5-20261101-v1:0");
        assertThat(haiku.source()).isEqualTo(ResolvedModel.Source.DISCOVERED);
        assertThat(haiku.verified()).isTrue();
    }

    @Test
    void discoveryMatchesTheBaseNameExactlyWithinTheConfiguredGeoAndPicksTheNewest() {
        ModelCatalog c = ModelCatalog.builder().discoveredProfiles(List.of(
                "eu.anthropic.claude-fable-6", "us.anthropic.claude-fable-6-v1:0", "us.anthropic.claude-fable-6-v2:0",
                "us.anthropic.claude-fable-6-1", "arn:aws:bedrock:us-east-1:1:inference-profile/us.anthropic.claude-opus-6",
                "arn:aws:bedrock:us-east-1:1:application-inference-profile/xyz")).build();

        assertThat(c.resolve("claude-fable-6").bedrockModelId()).isEqualTo("us.anthropic.claude-fable-6-v2:0");
        assertThat(c.resolve("claude-fable-6-1").bedrockModelId()).isEqualTo("us.anthropic.claude-fable-6-1");
        assertThat(c.resolve("claude-opus-6").bedrockModelId()).isEqualTo("us.anthropic.claude-opus-6");
        assertThat(c.find("claude-fable")).isEmpty();
    }

    @Test
    void globalDiscoveryIsOnlyUsedWhenAllowed() {
        List<String> profiles = List.of("global.anthropic.claude-fable-6");

        assertThat(ModelCatalog.builder().discoveredProfiles(profiles).build().find("claude-fable-6")).isEmpty();
        assertThat(ModelCatalog.builder().discoveredProfiles(profiles).allowGlobalDiscovery(true).build().resolve("claude-fable-6")
                .bedrockModelId()).isEqualTo("global.anthropic.claude-fable-6");
    }

    @Test
    void aMappingToAnotherNameResolvesThatName() {
        ModelCatalog c = ModelCatalog.builder().configMappings(Map.of("gw-opus", "claude-opus-4-6")).build();

        ResolvedModel m = c.resolve("gw-opus");
        assertThat(m.bedrockModelId()).isEqualTo("us.anthropic.claude-opus-4-6-v1");
        assertThat(m.source()).isEqualTo(ResolvedModel.Source.CONFIG);
        assertThat(m.responseModel()).isEqualTo("gw-opus");
    }

    @Test
    void withCopiesReplaceOneSourceAndLeaveTheOriginalAlone() {
        ModelCatalog updated = us.withDiscoveredProfiles(List.of("us.anthropic.claude-fable-6")).withAdminMappings(Map.of("x", "claude-fable-6"));

        assertThat(updated.resolve("x").bedrockModelId()).isEqualTo("us.anthropic.claude-fable-6");
        assertThat(us.find("claude-fable-6")).isEmpty();
    }

    @Test
    void baseModelIdDropsTheGeoPrefixForCountTokens() {
        assertThat(us.resolve("claude-haiku-4-5").baseModelId()).contains("anthropic.claude-haiku-4-5-20251001-v1:0");
        assertThat(us.resolve("us-gov.anthropic.claude-sonnet-4-5-20250929-v1:0").baseModelId())
                .contains("anthropic.claude-sonnet-4-5-20250929-v1:0");
    }

    @Test
    void reverseMappingGivesAnthropicNames() {
        assertThat(us.anthropicName("us.anthropic.claude-sonnet-4-5-20250929-v1:0")).isEqualTo("claude-sonnet-4-5-20250929");
        assertThat(us.anthropicName("global.anthropic.claude-opus-4-6-v1")).isEqualTo("claude-opus-4-6-20250605");
        assertThat(us.anthropicName("eu.anthropic.claude-fable-9-v1:0")).isEqualTo("claude-fable-9");
        assertThat(us.anthropicName("arn:aws:bedrock:x")).isEqualTo("arn:aws:bedrock:x");
    }

    @Test
    void modelsListHasAnthropicsListShape() {
        ModelCatalog c = ModelCatalog.builder().adminMappings(Map.of("team-model", "anthropic.claude-sonnet-4-6")).build();

        JsonNode list = c.modelsList();
        assertThat(list.get("has_more").asBoolean()).isFalse();
        JsonNode data = list.get("data");
        assertThat(data.get(0).get("id").asText()).isEqualTo("team-model");
        assertThat(list.get("first_id").asText()).isEqualTo("team-model");
        assertThat(list.get("last_id").asText()).isEqualTo(data.get(data.size() - 1).get("id").asText());
        JsonNode opus = null;
        for (JsonNode m : data) {
            assertThat(m.fieldNames()).toIterable().containsExactly("type", "id", "display_name", "created_at");
            assertThat(m.get("type").asText()).isEqualTo("model");
            if (m.get("id").asText().equals("claude-opus-5-5")) {
                opus = m;
            }
        }
        assertThat(opus).isNotNull();
        assertThat(opus.get("display_name").asText()).isEqualTo("Claude Opus 5.5");
    }
}
