package ccag.server.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DirectivesTest {
    @Test
    void toolUseTakesANameAndAJsonObjectWithSpacesAndBrackets() throws Exception {
        Behaviour b = Directives.fromText("please [[sim:tool_use name=Read input={\"file_path\": \"a]] b.txt\", \"n\": [1, 2]}]] now").orElseThrow();
        assertThat(b.kind()).isEqualTo(Behaviour.Kind.TOOL_USE);
        assertThat(b.toolName()).isEqualTo("Read");
        assertThat(b.toolInputJson()).isEqualTo("{\"file_path\": \"a]] b.txt\", \"n\": [1, 2]}");
    }

    @Test
    void errorTakesItsKindAsAWord() throws Exception {
        Behaviour b = Directives.fromText("[[sim:error throttling]]").orElseThrow();
        assertThat(b.kind()).isEqualTo(Behaviour.Kind.ERROR);
        assertThat(b.error()).isEqualTo(BedrockErrorKind.THROTTLING);
        assertThat(Directives.fromText("[[sim:error 503]]").orElseThrow().error()).isEqualTo(BedrockErrorKind.SERVICE_UNAVAILABLE);
        assertThat(Directives.fromText("[[sim:error validation message=\"nope here\"]]").orElseThrow().text()).isEqualTo("nope here");
    }

    @Test
    void latencyDirectivesCombineWithTheBehaviour() throws Exception {
        Behaviour b = Directives.fromText("[[sim:long tokens=50]] and [[sim:ttfb ms=200]] [[sim:token_delay ms=5]]").orElseThrow();
        assertThat(b.kind()).isEqualTo(Behaviour.Kind.LONG);
        assertThat(b.count()).isEqualTo(50);
        assertThat(b.ttfb()).contains(Duration.ofMillis(200));
        assertThat(b.tokenDelay()).contains(Duration.ofMillis(5));
        Behaviour latencyOnly = Directives.fromText("[[sim:ttfb ms=10]]").orElseThrow();
        assertThat(latencyOnly.kind()).isEqualTo(Behaviour.Kind.ECHO);
    }

    @Test
    void midstreamErrorDefaultsToAModelStreamError() throws Exception {
        Behaviour b = Directives.fromText("[[sim:midstream_error after=3]]").orElseThrow();
        assertThat(b.count()).isEqualTo(3);
        assertThat(b.error()).isEqualTo(BedrockErrorKind.MODEL_STREAM_ERROR);
        assertThat(Directives.fromText("[[sim:midstream_error after=2 kind=throttling]]").orElseThrow().error())
                .isEqualTo(BedrockErrorKind.THROTTLING);
    }

    @Test
    void textWithoutDirectivesAsksForNothing() throws Exception {
        assertThat(Directives.fromText("just a question [[not a directive]]")).isEmpty();
    }

    @Test
    void malformedDirectivesAreRefusedWithAReason() {
        assertThatThrownBy(() -> Directives.fromText("[[sim:dance]]")).hasMessageContaining("unknown simulator directive [[sim:dance]]");
        assertThatThrownBy(() -> Directives.fromText("[[sim:error wobbly]]")).hasMessageContaining("unknown kind 'wobbly'");
        assertThatThrownBy(() -> Directives.fromText("[[sim:tool_use name=Read input={\"a\":]]")).hasMessageContaining("[[sim:tool_use");
        assertThatThrownBy(() -> Directives.fromText("[[sim:long tokens=many]]")).hasMessageContaining("must be a number");
    }
}
