package ccag.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** What every list command does around its table: JSON as is, a note when empty, a hint when there is more. */
final class Lists {
    private Lists() {
    }

    /** In JSON mode prints the answer; in text mode only the paging hint (the caller prints the table). */
    static void print(Output out, JsonNode answer, String plural) {
        if (out.json()) {
            out.printJson(answer);
        }
        JsonNode next = answer.get("next_offset");
        if (next != null && next.canConvertToInt()) {
            out.info("More " + plural + " follow: add --offset " + next.asInt() + " for the next page.");
        }
    }

    static void table(Output out, List<String> headers, List<List<String>> rows, String plural) {
        if (rows.isEmpty()) {
            out.info("No " + plural + ".");
            return;
        }
        out.table(headers, rows);
    }
}
