package ccag.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * How results reach stdout: aligned tables and {@code Label: value} blocks for people, the server's JSON
 * for scripts ({@code --output json}). Messages go to stderr, so stdout carries results only.
 */
final class Output {
    /** The value of {@code --output}. */
    enum Format {
        TEXT, JSON
    }

    private final Format format;
    private final PrintWriter out;
    private final PrintWriter err;

    Output(Format format, PrintWriter out, PrintWriter err) {
        this.format = format;
        this.out = out;
        this.err = err;
    }

    boolean json() {
        return format == Format.JSON;
    }

    /** A result line on stdout (an id, a key, a token). */
    void result(String line) {
        out.println(line);
    }

    /** A message for the person at the terminal, on stderr. */
    void info(String message) {
        err.println(message);
    }

    void printJson(JsonNode node) {
        try {
            out.println(Json.PRETTY.writeValueAsString(node));
        } catch (JsonProcessingException e) {
            throw CliException.local("cannot print JSON: " + e.getOriginalMessage());
        }
    }

    /** Columns separated by three spaces and padded to the widest cell; no trailing blanks. */
    void table(List<String> headers, List<List<String>> rows) {
        out.print(renderTable(headers, rows));
    }

    static String renderTable(List<String> headers, List<List<String>> rows) {
        int n = headers.size();
        int[] widths = new int[n];
        List<List<String>> all = new ArrayList<>();
        all.add(headers);
        all.addAll(rows);
        for (List<String> row : all) {
            for (int i = 0; i < n; i++) {
                widths[i] = Math.max(widths[i], cell(row, i).length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (List<String> row : all) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < n; i++) {
                String c = cell(row, i);
                line.append(c);
                if (i < n - 1) {
                    line.append(" ".repeat(widths[i] - c.length() + 3));
                }
            }
            sb.append(stripTrailing(line)).append('\n');
        }
        return sb.toString();
    }

    /** {@code Label:  value} lines, labels padded to the longest; used by the show commands. */
    void fields(List<List<String>> pairs) {
        out.print(renderFields(pairs));
    }

    static String renderFields(List<List<String>> pairs) {
        int width = 0;
        for (List<String> p : pairs) {
            width = Math.max(width, p.get(0).length());
        }
        StringBuilder sb = new StringBuilder();
        for (List<String> p : pairs) {
            sb.append(p.get(0)).append(':').append(" ".repeat(width - p.get(0).length() + 2))
                    .append(p.get(1) == null ? "-" : p.get(1)).append('\n');
        }
        return sb.toString();
    }

    private static String cell(List<String> row, int i) {
        String v = i < row.size() ? row.get(i) : null;
        return v == null || v.isEmpty() ? "-" : v.replace('\n', ' ').replace('\t', ' ');
    }

    private static String stripTrailing(StringBuilder line) {
        int end = line.length();
        while (end > 0 && line.charAt(end - 1) == ' ') {
            end--;
        }
        return line.substring(0, end);
    }

    /** An instant to the second, RFC 3339 in UTC; null stays null. */
    static String time(Instant t) {
        return t == null ? null : DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(ChronoUnit.SECONDS));
    }

    static String text(Object o) {
        return o == null ? null : o.toString();
    }
}
