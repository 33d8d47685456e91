package ccag.server.proxy.translate;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What Bedrock refused, per Bedrock model id, learned from its 400 answers (spec §1.4.4): betas
 * ("invalid beta flag") and body paths ("{@code <path>: Extra inputs are not permitted}", numeric
 * segments generalised to {@code *}). Also the betas a 200 confirmed, so that an unnamed
 * "invalid beta flag" drops only the unconfirmed ones. In memory only (one instance per process,
 * shared by all requests); thread-safe; bounded to {@value #MAX_MODELS} models and
 * {@value #MAX_ENTRIES_PER_MODEL} entries of each kind per model, so the per-request work stays small.
 */
public final class LearnedRejections {
    static final int MAX_MODELS = 1024;
    static final int MAX_ENTRIES_PER_MODEL = 64;

    private final Map<String, Set<String>> rejectedBetas = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> rejectedPaths = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> confirmedBetas = new ConcurrentHashMap<>();

    /** Betas Bedrock rejected for this model (read-only view). */
    public Set<String> rejectedBetas(String modelId) {
        return view(rejectedBetas, modelId);
    }

    /** Body paths (e.g. {@code context_management}, {@code tools.*.custom}) Bedrock rejected for this model. */
    public Set<String> rejectedPaths(String modelId) {
        return view(rejectedPaths, modelId);
    }

    /** Betas a successful call carried for this model. */
    public Set<String> confirmedBetas(String modelId) {
        return view(confirmedBetas, modelId);
    }

    /** Forgets everything learned about one model (after an operator changed its configuration). */
    public void forget(String modelId) {
        rejectedBetas.remove(modelId);
        rejectedPaths.remove(modelId);
        confirmedBetas.remove(modelId);
    }

    /** Forgets everything. */
    public void clear() {
        rejectedBetas.clear();
        rejectedPaths.clear();
        confirmedBetas.clear();
    }

    /** Returns true when something new was learned. */
    boolean rejectBeta(String modelId, String beta) {
        Set<String> confirmed = confirmedBetas.get(modelId);
        if (confirmed != null) {
            confirmed.remove(beta);
        }
        return add(rejectedBetas, modelId, beta);
    }

    boolean rejectPath(String modelId, String path) {
        return add(rejectedPaths, modelId, path);
    }

    void confirm(String modelId, Iterable<String> betas) {
        for (String beta : betas) {
            Set<String> rejected = rejectedBetas.get(modelId);
            if (rejected == null || !rejected.contains(beta)) {
                add(confirmedBetas, modelId, beta);
            }
        }
    }

    private static Set<String> view(Map<String, Set<String>> map, String modelId) {
        Set<String> s = map.get(modelId);
        return s == null ? Set.of() : java.util.Collections.unmodifiableSet(s);
    }

    private static boolean add(Map<String, Set<String>> map, String modelId, String value) {
        Set<String> set = map.get(modelId);
        if (set == null) {
            if (map.size() >= MAX_MODELS) {
                return false;
            }
            set = map.computeIfAbsent(modelId, k -> ConcurrentHashMap.newKeySet());
        }
        return set.size() < MAX_ENTRIES_PER_MODEL && set.add(value);
    }
}
