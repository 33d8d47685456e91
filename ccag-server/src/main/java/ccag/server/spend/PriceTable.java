package ccag.server.spend;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Prices per model family, as data ({@code prices.json}, spec §5.4: Bedrock "Standard, Global"
 * rates, which equal Anthropic's list prices). A model is looked up by its base name (geo prefix,
 * {@code anthropic.}, {@code [1m]}, date and {@code -vN:M} removed) matched <b>exactly</b> against the
 * names of a family, never by prefix: {@code claude-opus-4-8} must not fall to Opus 4's $15 rate.
 * An unknown model has no price: the caller records the cost as unknown, never a guess. Operators
 * price new models with a file of the same shape ({@link #read}, {@link #withOverrides}).
 * Immutable and thread-safe.
 */
public final class PriceTable {
    private static final String RESOURCE = "prices.json";
    private static final Pattern VERSION = Pattern.compile("-v\\d+(?::\\d+)?$");
    private static final Pattern DATE = Pattern.compile("-\\d{8}$");

    private final Map<String, Prices> byModel;
    private final List<Prices> families;

    private PriceTable(Map<String, Prices> byModel, List<Prices> families) {
        this.byModel = Map.copyOf(byModel);
        this.families = List.copyOf(families);
    }

    /** The table shipped in the jar. */
    public static PriceTable builtIn() {
        try (InputStream in = PriceTable.class.getResourceAsStream(RESOURCE)) {
            return parse(new ObjectMapper().readTree(Objects.requireNonNull(in, RESOURCE)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    /** A table from JSON of the shape of {@code prices.json}. */
    public static PriceTable parse(JsonNode root) {
        Map<String, Prices> byModel = new HashMap<>();
        List<Prices> families = new java.util.ArrayList<>();
        for (JsonNode f : root.path("families")) {
            JsonNode lc = f.path("long_context");
            Prices p = new Prices(f.path("family").asText(), dec(f, "input"), dec(f, "output"), dec(f, "cache_write_5m"),
                    dec(f, "cache_write_1h"), dec(f, "cache_read"), lc.path("threshold").asLong(0),
                    lc.has("input_multiplier") ? lc.get("input_multiplier").decimalValue() : BigDecimal.ONE,
                    lc.has("output_multiplier") ? lc.get("output_multiplier").decimalValue() : BigDecimal.ONE);
            families.add(p);
            for (JsonNode m : f.path("models")) {
                if (byModel.put(m.asText(), p) != null) {
                    throw new IllegalArgumentException("model " + m.asText() + " is priced twice");
                }
            }
        }
        return new PriceTable(byModel, families);
    }

    /** A table from a file of the shape of {@code prices.json} (an operator's prices). */
    public static PriceTable read(java.nio.file.Path file) throws IOException {
        try (InputStream in = java.nio.file.Files.newInputStream(file)) {
            return parse(new ObjectMapper().readTree(in));
        }
    }

    /**
     * This table with {@code overrides} on top: a model priced in {@code overrides} takes that price,
     * every other model keeps its own.
     */
    public PriceTable withOverrides(PriceTable overrides) {
        Map<String, Prices> merged = new HashMap<>(byModel);
        merged.putAll(overrides.byModel);
        List<Prices> all = new java.util.ArrayList<>(overrides.families);
        all.addAll(families);
        return new PriceTable(merged, all);
    }

    private static BigDecimal dec(JsonNode f, String field) {
        JsonNode v = f.get(field);
        if (v == null || !v.isNumber()) {
            throw new IllegalArgumentException("family " + f.path("family").asText() + " lacks " + field);
        }
        return v.decimalValue();
    }

    /** How many model names have a price. */
    public int modelCount() {
        return byModel.size();
    }

    /** Every family, in file order. */
    public List<Prices> families() {
        return families;
    }

    /**
     * The prices of a model, by Anthropic name ({@code claude-sonnet-4-5-20250929}) or Bedrock id
     * ({@code us.anthropic.claude-sonnet-4-5-20250929-v1:0}). Pass the client's logical model first;
     * an ARN names no family.
     */
    public Optional<Prices> find(String model) {
        return model == null ? Optional.empty() : Optional.ofNullable(byModel.get(baseName(model)));
    }

    /** The cost of a request, or empty when the model has no price. */
    public Optional<Cost> costOf(Usage usage, String model) {
        return find(model).map(p -> Cost.of(usage, p));
    }

    static String baseName(String model) {
        String s = model.trim().toLowerCase(Locale.ROOT);
        int bracket = s.indexOf('[');
        if (bracket >= 0) {
            s = s.substring(0, bracket);
        }
        int at = s.lastIndexOf("claude-");
        if (at > 0) {
            s = s.substring(at);
        }
        s = VERSION.matcher(s).replaceFirst("");
        return DATE.matcher(s).replaceFirst("");
    }
}
