package ccag.server.proxy.translate;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Which {@code anthropic-beta} values may reach Bedrock, as data: the built-in table
 * ({@code bedrock-betas.json}, spec §1.4.2) plus the operator's extra allow and deny lists.
 * Order of precedence: extra deny, extra allow (any model), built-in drop, built-in accept (gated
 * by a model capability, see {@link ModelFamily#has}), otherwise unknown → dropped. Entries ending
 * in {@code *} match by prefix. Immutable and thread-safe.
 */
public final class BetaPolicy {
    private static final String RESOURCE = "bedrock-betas.json";

    /** Why a beta was not forwarded, reported with each dropped beta. */
    public enum Reason {
        /** On the operator's deny list. */
        DENIED_BY_CONFIG,
        /** On the built-in drop list (Anthropic-only). */
        NOT_ON_BEDROCK,
        /** Accepted by Bedrock, but not for this model. */
        NOT_FOR_MODEL,
        /** On no list. */
        UNKNOWN,
        /** Bedrock rejected it for this model before (learned). */
        LEARNED_REJECTED
    }

    private final Map<String, String> rename;
    private final Map<String, Optional<String>> accept;
    private final List<String> drop;
    private final List<String> extraAllow;
    private final List<String> extraDeny;

    private BetaPolicy(Map<String, String> rename, Map<String, Optional<String>> accept, List<String> drop,
                       Collection<String> extraAllow, Collection<String> extraDeny) {
        this.rename = Map.copyOf(rename);
        this.accept = Map.copyOf(accept);
        this.drop = List.copyOf(drop);
        this.extraAllow = normalise(extraAllow);
        this.extraDeny = normalise(extraDeny);
    }

    /** The built-in table only. */
    public static BetaPolicy builtIn() {
        return builtIn(List.of(), List.of());
    }

    /**
     * The built-in table with the operator's lists on top.
     *
     * @param extraAllow betas forwarded for every model even if the table drops them or does not know them
     * @param extraDeny  betas never forwarded
     */
    public static BetaPolicy builtIn(Collection<String> extraAllow, Collection<String> extraDeny) {
        JsonNode table = readTable();
        Map<String, String> rename = new HashMap<>();
        table.path("rename").properties().forEach(e -> rename.put(e.getKey(), e.getValue().asText()));
        Map<String, Optional<String>> accept = new LinkedHashMap<>();
        table.path("accept").properties().forEach(e ->
                accept.put(e.getKey(), e.getValue().isNull() ? Optional.empty() : Optional.of(e.getValue().asText())));
        List<String> drop = new java.util.ArrayList<>();
        table.path("drop").forEach(n -> drop.add(n.asText()));
        return new BetaPolicy(rename, accept, drop, extraAllow, extraDeny);
    }

    private static JsonNode readTable() {
        try (InputStream in = BetaPolicy.class.getResourceAsStream(RESOURCE)) {
            return Json.MAPPER.readTree(Objects.requireNonNull(in, RESOURCE));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    private static List<String> normalise(Collection<String> betas) {
        return betas == null ? List.of() : betas.stream().map(s -> s.trim().toLowerCase(Locale.ROOT))
                .filter(s -> !s.isEmpty()).distinct().toList();
    }

    /** The name Bedrock knows a beta under ({@code advanced-tool-use-2025-11-20} → {@code tool-search-tool-2025-10-19}). */
    public String canonical(String beta) {
        return rename.getOrDefault(beta, beta);
    }

    /** Null when the beta may be forwarded for this family, else the reason it may not. */
    public Reason refusal(String beta, ModelFamily family) {
        if (matches(extraDeny, beta)) {
            return Reason.DENIED_BY_CONFIG;
        }
        if (matches(extraAllow, beta)) {
            return null;
        }
        if (matches(drop, beta)) {
            return Reason.NOT_ON_BEDROCK;
        }
        Optional<String> requires = accept.get(beta);
        if (requires == null) {
            return Reason.UNKNOWN;
        }
        return requires.isEmpty() || family.has(requires.get()) ? null : Reason.NOT_FOR_MODEL;
    }

    private static boolean matches(List<String> list, String beta) {
        for (String entry : list) {
            if (entry.endsWith("*") ? beta.startsWith(entry.substring(0, entry.length() - 1)) : entry.equals(beta)) {
                return true;
            }
        }
        return false;
    }
}
