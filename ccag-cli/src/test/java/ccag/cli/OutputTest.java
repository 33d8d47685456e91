package ccag.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutputTest {
    @Test
    void tablesAlignColumnsShowMissingValuesAsDashAndHaveNoTrailingBlanks() {
        String t = Output.renderTable(List.of("ID", "NAME", "RPM"), List.of(
                Arrays.asList("1", "dev-team-key", "120"),
                Arrays.asList("22", null, "")));
        assertThat(t).isEqualTo("""
                ID   NAME           RPM
                1    dev-team-key   120
                22   -              -
                """);
    }

    @Test
    void cellsStayOnOneLine() {
        String t = Output.renderTable(List.of("A", "B"), List.of(Arrays.asList("x\ny", "z")));
        assertThat(t.lines()).hasSize(2);
    }

    @Test
    void fieldsAlignValuesAfterTheLongestLabel() {
        assertThat(Output.renderFields(List.of(Arrays.asList("ID", "1"), Arrays.asList("Last used", null)))).isEqualTo("""
                ID:         1
                Last used:  -
                """);
    }

    @Test
    void jsonIsIndentedLikeJqAndOmitsNothingTheServerSent() throws Exception {
        StringWriter out = new StringWriter();
        new Output(Output.Format.JSON, new PrintWriter(out), new PrintWriter(new StringWriter()))
                .printJson(Json.MAPPER.readTree("{\"keys\":[{\"id\":\"a\",\"extra\":null}],\"next_offset\":2}"));
        assertThat(out.toString()).isEqualTo("""
                {
                  "keys": [
                    {
                      "id": "a",
                      "extra": null
                    }
                  ],
                  "next_offset": 2
                }
                """);
    }

    @Test
    void timesAreRfc3339InUtcToTheSecond() {
        assertThat(Output.time(java.time.Instant.parse("2026-03-16T00:00:00.123456Z"))).isEqualTo("2026-03-16T00:00:00Z");
        assertThat(Output.time(null)).isNull();
    }
}
