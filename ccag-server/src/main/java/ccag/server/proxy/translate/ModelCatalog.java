package ccag.server.proxy.translate;

import ccag.server.errors.NotFound;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves the model names clients send ({@code claude-opus-5-5}, {@code claude-sonnet-4-5-20250929},
 * {@code claude-opus-4-7[1m]}, ...) to Bedrock model ids (spec §1.11). Immutable and thread-safe;
 * the {@code with...} methods return an updated copy (hold the current one in an
 * {@code AtomicReference} and swap it when admin mappings or discovered profiles change).
 *
 * <p>Algorithm: strip a trailing {@code [word]} suffix ({@code [1m]} asks for the 1M-context beta);
 * a name containing {@code .} or starting with {@code arn:} is a Bedrock id and passes unchanged;
 * otherwise exact lookups, in order: admin mappings, config mappings, discovered inference profiles
 * (base-name match, configured geo prefix only, {@code global.} only when allowed), the built-in seed.
 * A dated name ({@code -YYYYMMDD}) that misses is retried without its date only when the rest ends in
 * two numeric segments ({@code claude-opus-4-8}, never {@code claude-opus-4}): no prefix matching,
 * so a new model never shadow-matches a retired one. Mapping values that start with
 * {@code anthropic.} get the geo prefix; values with a prefix or ARNs are used as they are; a value
 * without a dot is another model name, resolved once more.
 */
public final class ModelCatalog {
    private static final String SEED_RESOURCE = "model-seed.json";
    private static final Pattern SUFFIX = Pattern.compile("^(.*[^\\[\\]])\\[(\\w+)]$");
    private static final Pattern DATED = Pattern.compile("^(.*-\\d+-\\d+)-\\d{8}$");
    private static final int DISCOVERY_MEMO = 1_024;
    /** Claude Code's model picker needs a date; the list has no real one (CCAG uses a fixed value too). */
    private static final String CREATED_AT = "2025-01-01T00:00:00Z";

    /** One built-in seed row. */
    public record SeedRow(String name, List<String> aliases, String bedrockSuffix, String displayName, boolean verified) {
        public SeedRow {
            aliases = List.copyOf(aliases);
        }
    }

    private final String geoPrefix;
    private final boolean allowGlobalDiscovery;
    private final Map<String, String> admin;
    private final Map<String, String> config;
    private final List<String> discovered;
    /** Discovery matches already computed for this snapshot (names are few; at most {@link #DISCOVERY_MEMO} kept). */
    private final Map<String, Optional<String>> discoveryMemo = new java.util.concurrent.ConcurrentHashMap<>();
    private final List<SeedRow> seed;
    private final Map<String, SeedRow> seedByName;

    private ModelCatalog(Builder b) {
        this.geoPrefix = b.geoPrefix != null ? b.geoPrefix : geoPrefixForRegion(b.region);
        this.allowGlobalDiscovery = b.allowGlobalDiscovery;
        this.admin = Map.copyOf(b.admin);
        this.config = Map.copyOf(b.config);
        this.discovered = normaliseProfiles(b.discovered);
        this.seed = List.copyOf(b.seed != null ? b.seed : builtInSeed());
        Map<String, SeedRow> byName = new HashMap<>();
        for (SeedRow row : seed) {
            byName.put(row.name(), row);
            row.aliases().forEach(a -> byName.put(a, row));
        }
        this.seedByName = Map.copyOf(byName);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The geo prefix of inference profiles for an AWS region (spec §1.11.1): {@code us-gov*} → us-gov,
     * {@code us-*}/{@code ca-*} → us, {@code eu-*} → eu, ap-southeast-2/4 → au, ap-northeast-1 → jp,
     * other {@code ap-*}/{@code me-*} → apac, anything else → us. {@code global} is an operator choice.
     */
    public static String geoPrefixForRegion(String region) {
        String r = region == null ? "" : region.trim().toLowerCase(Locale.ROOT);
        if (r.startsWith("us-gov")) {
            return "us-gov";
        }
        if (r.startsWith("us-") || r.startsWith("ca-")) {
            return "us";
        }
        if (r.startsWith("eu-")) {
            return "eu";
        }
        if (r.equals("ap-southeast-2") || r.equals("ap-southeast-4")) {
            return "au";
        }
        if (r.equals("ap-northeast-1")) {
            return "jp";
        }
        if (r.startsWith("ap-") || r.startsWith("me-")) {
            return "apac";
        }
        return "us";
    }

    /** The seed shipped in the jar ({@code model-seed.json}). */
    public static List<SeedRow> builtInSeed() {
        try (InputStream in = ModelCatalog.class.getResourceAsStream(SEED_RESOURCE)) {
            JsonNode root = Json.MAPPER.readTree(Objects.requireNonNull(in, SEED_RESOURCE));
            List<SeedRow> rows = new ArrayList<>();
            for (JsonNode m : root.path("models")) {
                List<String> aliases = new ArrayList<>();
                m.path("aliases").forEach(a -> aliases.add(a.asText()));
                rows.add(new SeedRow(m.path("name").asText(), aliases, m.path("bedrock").asText(),
                        m.path("display").asText(m.path("name").asText()), m.path("verified").asBoolean(false)));
            }
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + SEED_RESOURCE, e);
        }
    }

    public String geoPrefix() {
        return geoPrefix;
    }

    /** A copy with new administrator mappings (requested name → Bedrock id, ARN or another name). */
    public ModelCatalog withAdminMappings(Map<String, String> mappings) {
        return toBuilder().adminMappings(mappings).build();
    }

    /** A copy with a new list of discovered inference profile ids or ARNs. */
    public ModelCatalog withDiscoveredProfiles(Collection<String> profiles) {
        return toBuilder().discoveredProfiles(profiles).build();
    }

    private Builder toBuilder() {
        Builder b = new Builder();
        b.geoPrefix = geoPrefix;
        b.allowGlobalDiscovery = allowGlobalDiscovery;
        b.admin = admin;
        b.config = config;
        b.discovered = discovered;
        b.seed = seed;
        return b;
    }

    /**
     * Resolves a client's model name.
     *
     * @throws NotFound (404 {@code not_found_error}, message {@code model: <name>}) when no source knows it
     */
    public ResolvedModel resolve(String requested) {
        return find(requested).orElseThrow(() -> new NotFound("model: " + requested));
    }

    /** Resolves a client's model name; empty when no source knows it (the caller may refresh discovery and retry). */
    public Optional<ResolvedModel> find(String requested) {
        if (requested == null || requested.isBlank()) {
            return Optional.empty();
        }
        String name = requested.trim();
        boolean oneM = false;
        Matcher s = SUFFIX.matcher(name);
        if (s.matches()) {
            name = s.group(1);
            oneM = s.group(2).equalsIgnoreCase("1m");
        }
        if (isBedrockId(name)) {
            return Optional.of(model(requested, name, name, oneM, ResolvedModel.Source.PASSTHROUGH));
        }
        return lookup(requested, name, oneM, 0);
    }

    private Optional<ResolvedModel> lookup(String requested, String name, boolean oneM, int depth) {
        Optional<ResolvedModel> r = exact(requested, name, oneM, depth);
        if (r.isEmpty()) {
            Matcher d = DATED.matcher(name);
            if (d.matches()) {
                r = exact(requested, d.group(1), oneM, depth);
            }
        }
        return r;
    }

    private Optional<ResolvedModel> exact(String requested, String name, boolean oneM, int depth) {
        String client = clientModel(requested);
        String v = admin.get(name);
        if (v != null) {
            return mapped(requested, client, v, oneM, ResolvedModel.Source.ADMIN, depth);
        }
        v = config.get(name);
        if (v != null) {
            return mapped(requested, client, v, oneM, ResolvedModel.Source.CONFIG, depth);
        }
        Optional<String> profile = discover(name);
        if (profile.isPresent()) {
            return Optional.of(model(requested, client, profile.get(), oneM, ResolvedModel.Source.DISCOVERED));
        }
        SeedRow row = seedByName.get(name);
        if (row != null) {
            return Optional.of(model(requested, client, geoPrefix + "." + row.bedrockSuffix(), oneM,
                    row.verified() ? ResolvedModel.Source.SEED : ResolvedModel.Source.SEED_UNVERIFIED));
        }
        return Optional.empty();
    }

    private Optional<ResolvedModel> mapped(String requested, String client, String value, boolean oneM,
                                           ResolvedModel.Source source, int depth) {
        String v = value.trim();
        if (v.startsWith("anthropic.")) {
            return Optional.of(model(requested, client, geoPrefix + "." + v, oneM, source));
        }
        if (isBedrockId(v)) {
            return Optional.of(model(requested, client, v, oneM, source));
        }
        if (depth > 0) {
            return Optional.empty();
        }
        return lookup(requested, v, oneM, depth + 1)
                .map(r -> new ResolvedModel(r.requested(), r.clientModel(), r.bedrockModelId(), r.oneMillionContext(),
                        r.family(), source));
    }

    private Optional<String> discover(String name) {
        if (discovered.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> known = discoveryMemo.get(name);
        if (known != null) {
            return known;
        }
        Optional<String> found = matchDiscovered(name);
        if (discoveryMemo.size() < DISCOVERY_MEMO) {
            discoveryMemo.put(name, found);
        }
        return found;
    }

    private Optional<String> matchDiscovered(String name) {
        String n = Pattern.quote(name.toLowerCase(Locale.ROOT));
        // A dated name matches only its own date; an undated one any date. Newest (greatest) id wins.
        String date = DATED.matcher(name).matches() ? "" : "(?:-\\d{8})?";
        List<String> prefixes = allowGlobalDiscovery && !geoPrefix.equals("global")
                ? List.of(geoPrefix, "global") : List.of(geoPrefix);
        for (String prefix : prefixes) {
            Pattern p = Pattern.compile("^" + Pattern.quote(prefix) + "\\.anthropic\\." + n + date + "(?:-v\\d+(?::\\d+)?)?$");
            String best = null;
            for (String id : discovered) {
                if (p.matcher(id.toLowerCase(Locale.ROOT)).matches() && (best == null || id.compareTo(best) > 0)) {
                    best = id;
                }
            }
            if (best != null) {
                return Optional.of(best);
            }
        }
        return Optional.empty();
    }

    private static List<String> normaliseProfiles(Collection<String> profiles) {
        List<String> out = new ArrayList<>();
        for (String p : profiles) {
            if (p == null || p.isBlank()) {
                continue;
            }
            String id = p.trim();
            if (id.startsWith("arn:")) {
                int at = id.indexOf(":inference-profile/");
                if (at < 0) {
                    continue; // application inference profiles carry no model name; map them explicitly
                }
                id = id.substring(at + ":inference-profile/".length());
            }
            out.add(id);
        }
        return List.copyOf(out);
    }

    private static boolean isBedrockId(String name) {
        return name.contains(".") || name.startsWith("arn:");
    }

    private static String clientModel(String requested) {
        Matcher s = SUFFIX.matcher(requested.trim());
        return s.matches() ? s.group(1) : requested.trim();
    }

    private static ResolvedModel model(String requested, String client, String bedrockId, boolean oneM,
                                       ResolvedModel.Source source) {
        ModelFamily family = ModelFamily.of(bedrockId);
        if (!family.known()) {
            family = ModelFamily.of(client);
        }
        return new ResolvedModel(requested, client, bedrockId, oneM, family, source);
    }

    /**
     * The Anthropic-style name for a Bedrock model id ({@code us.anthropic.claude-sonnet-4-5-20250929-v1:0}
     * → {@code claude-sonnet-4-5-20250929}): the seed row's dated alias when there is one, else the id
     * without geo prefix, {@code anthropic.} and version. Returns the input for ARNs and non-Claude ids.
     * Responses echo {@link ResolvedModel#responseModel()} instead; this serves logs and reports.
     */
    public String anthropicName(String bedrockId) {
        if (bedrockId == null || bedrockId.startsWith("arn:") || !bedrockId.contains("claude-")) {
            return bedrockId;
        }
        String suffix = bedrockId.substring(bedrockId.indexOf("anthropic.") >= 0 ? bedrockId.indexOf("anthropic.") : 0);
        for (SeedRow row : seed) {
            if (row.bedrockSuffix().equals(suffix)) {
                return row.aliases().isEmpty() ? row.name() : row.aliases().get(0);
            }
        }
        String s = bedrockId.substring(bedrockId.indexOf("claude-"));
        return s.replaceFirst("-v\\d+(?::\\d+)?$", "");
    }

    /**
     * The body of {@code GET /v1/models} in Anthropic's list shape: every name this gateway resolves
     * (admin mappings, config mappings, then the seed), without duplicates.
     */
    public ObjectNode modelsList() {
        Map<String, String> names = new LinkedHashMap<>();
        admin.keySet().stream().sorted().forEach(n -> names.putIfAbsent(n, displayName(n)));
        config.keySet().stream().sorted().forEach(n -> names.putIfAbsent(n, displayName(n)));
        seed.forEach(r -> names.putIfAbsent(r.name(), r.displayName()));
        Set<String> resolvable = new LinkedHashSet<>();
        names.keySet().forEach(n -> {
            if (find(n).isPresent()) {
                resolvable.add(n);
            }
        });
        ObjectNode body = Json.NODES.objectNode();
        ArrayNode data = body.putArray("data");
        for (String n : resolvable) {
            data.addObject().put("type", "model").put("id", n).put("display_name", names.get(n)).put("created_at", CREATED_AT);
        }
        body.put("has_more", false);
        if (resolvable.isEmpty()) {
            body.putNull("first_id");
            body.putNull("last_id");
        } else {
            body.put("first_id", data.get(0).get("id").asText());
            body.put("last_id", data.get(data.size() - 1).get("id").asText());
        }
        return body;
    }

    private String displayName(String name) {
        SeedRow row = seedByName.get(name);
        return row != null ? row.displayName() : name;
    }

    /** Builds a catalog. Region or an explicit prefix; all maps and lists default to empty, the seed to the built-in one. */
    public static final class Builder {
        private String region = "us-east-1";
        private String geoPrefix;
        private boolean allowGlobalDiscovery;
        private Map<String, String> admin = Map.of();
        private Map<String, String> config = Map.of();
        private Collection<String> discovered = List.of();
        private List<SeedRow> seed;

        private Builder() {
        }

        /** The AWS region; its geo prefix is used unless {@link #geoPrefix} is set. */
        public Builder region(String region) {
            this.region = region;
            return this;
        }

        /** An explicit prefix ({@code us}, {@code eu}, {@code apac}, {@code global}, ...), overriding the region's. */
        public Builder geoPrefix(String prefix) {
            this.geoPrefix = prefix == null || prefix.isBlank() ? null : prefix.trim().toLowerCase(Locale.ROOT);
            return this;
        }

        /** Let discovery fall back to {@code global.} profiles (data leaves the geography: an operator choice). */
        public Builder allowGlobalDiscovery(boolean allow) {
            this.allowGlobalDiscovery = allow;
            return this;
        }

        public Builder adminMappings(Map<String, String> mappings) {
            this.admin = Objects.requireNonNull(mappings);
            return this;
        }

        public Builder configMappings(Map<String, String> mappings) {
            this.config = Objects.requireNonNull(mappings);
            return this;
        }

        /** Inference profile ids or ARNs from ListInferenceProfiles. */
        public Builder discoveredProfiles(Collection<String> profiles) {
            this.discovered = Objects.requireNonNull(profiles);
            return this;
        }

        /** Replaces the built-in seed (tests). */
        public Builder seed(List<SeedRow> rows) {
            this.seed = rows;
            return this;
        }

        public ModelCatalog build() {
            return new ModelCatalog(this);
        }
    }
}
