package ccag.server.simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The Anthropic models the simulated account sees, with the facts validation needs: where each one
 * is offered (cross-region inference profiles by geo), its output limit, its context window and its
 * thinking mode. Sources: translation-spec §1.11.1 (availability table from Anthropic's Bedrock
 * page); the 4.7+ and 5.x rows are guesses in the same pattern, since Claude Code 2.1.330 asks for
 * {@code claude-*-5-5} by default.
 */
final class ModelCatalog {
    enum Thinking { NONE, BUDGET_ONLY, BOTH, ADAPTIVE_ONLY }

    /**
     * @param foundationId    {@code anthropic.…}, the id without geo prefix
     * @param geos            the geo prefixes with a system inference profile
     * @param onDemand        whether the bare foundation id may be invoked on demand (old models only)
     * @param generation      model generation times ten (45 = 4.5), for rules that changed across generations
     * @param effortGa        {@code output_config.effort} accepted without a beta
     * @param oneMillion      1M-token context with the {@code context-1m-2025-08-07} beta (or natively from 5.x)
     */
    record Model(String foundationId, String displayName, Set<String> geos, boolean onDemand, int generation,
                 int maxOutputTokens, Thinking thinking, boolean effortGa, boolean oneMillion) {
        /** The name Bedrock puts in the response's {@code model} field: {@code claude-sonnet-4-5-20250929}. */
        String responseName() {
            return foundationId.substring("anthropic.".length()).replaceAll("-v\\d+(:\\d+)?$", "");
        }

        int contextWindow(Set<String> betas) {
            if (generation >= 50 || (oneMillion && betas.contains("context-1m-2025-08-07"))) {
                return oneMillion ? 1_000_000 : 200_000;
            }
            return 200_000;
        }
    }

    /** How a model id in a request path resolved. */
    record Resolved(Model model, Form form) {
    }

    enum Form { FOUNDATION, PROFILE, PROFILE_ARN, APPLICATION_PROFILE_ARN, FOUNDATION_ARN }

    static final List<String> GEOS = List.of("global", "us", "eu", "jp", "apac", "au");

    private final List<Model> models;

    ModelCatalog(List<Model> models) {
        this.models = List.copyOf(models);
    }

    static ModelCatalog standard() {
        Set<String> all = Set.of("global", "us", "eu", "jp", "au");
        List<Model> m = new ArrayList<>();
        m.add(new Model("anthropic.claude-3-5-haiku-20241022-v1:0", "Claude 3.5 Haiku", Set.of("us"), true, 35, 8192, Thinking.NONE, false, false));
        m.add(new Model("anthropic.claude-3-7-sonnet-20250219-v1:0", "Claude 3.7 Sonnet", Set.of("us", "eu", "apac"), false, 37, 64000, Thinking.BUDGET_ONLY, false, false));
        m.add(new Model("anthropic.claude-sonnet-4-20250514-v1:0", "Claude Sonnet 4", Set.of("global", "us", "eu", "apac"), false, 40, 64000, Thinking.BUDGET_ONLY, false, true));
        m.add(new Model("anthropic.claude-opus-4-20250514-v1:0", "Claude Opus 4", Set.of("us"), false, 40, 32000, Thinking.BUDGET_ONLY, false, false));
        m.add(new Model("anthropic.claude-opus-4-1-20250805-v1:0", "Claude Opus 4.1", Set.of("us"), false, 41, 32000, Thinking.BUDGET_ONLY, false, false));
        m.add(new Model("anthropic.claude-sonnet-4-5-20250929-v1:0", "Claude Sonnet 4.5", Set.of("global", "us", "eu", "jp"), false, 45, 64000, Thinking.BUDGET_ONLY, false, true));
        m.add(new Model("anthropic.claude-haiku-4-5-20251001-v1:0", "Claude Haiku 4.5", Set.of("global", "us", "eu"), false, 45, 64000, Thinking.BUDGET_ONLY, false, false));
        m.add(new Model("anthropic.claude-opus-4-5-20251101-v1:0", "Claude Opus 4.5", Set.of("global", "us", "eu"), false, 45, 64000, Thinking.BUDGET_ONLY, false, false));
        m.add(new Model("anthropic.claude-opus-4-6-v1", "Claude Opus 4.6", Set.of("global", "us", "eu", "jp", "apac", "au"), false, 46, 128000, Thinking.BOTH, true, true));
        m.add(new Model("anthropic.claude-sonnet-4-6", "Claude Sonnet 4.6", all, false, 46, 64000, Thinking.BOTH, true, true));
        m.add(new Model("anthropic.claude-opus-4-7", "Claude Opus 4.7", all, false, 47, 128000, Thinking.ADAPTIVE_ONLY, true, true));
        m.add(new Model("anthropic.claude-opus-4-8", "Claude Opus 4.8", all, false, 48, 128000, Thinking.ADAPTIVE_ONLY, true, true));
        m.add(new Model("anthropic.claude-fable-5", "Claude Fable 5", Set.of("global", "us", "eu"), false, 50, 128000, Thinking.ADAPTIVE_ONLY, true, true));
        m.add(new Model("anthropic.claude-opus-5-5", "Claude Opus 5.5", all, false, 55, 128000, Thinking.ADAPTIVE_ONLY, true, true));
        m.add(new Model("anthropic.claude-sonnet-5-5", "Claude Sonnet 5.5", all, false, 55, 128000, Thinking.ADAPTIVE_ONLY, true, true));
        m.add(new Model("anthropic.claude-haiku-5-5", "Claude Haiku 5.5", all, false, 55, 64000, Thinking.ADAPTIVE_ONLY, true, false));
        return new ModelCatalog(m);
    }

    List<Model> models() {
        return models;
    }

    /** Resolves a (percent-decoded) model id as Bedrock would; empty when the id names no model. */
    Optional<Resolved> resolve(String id) {
        if (id.startsWith("arn:")) {
            String[] parts = id.split(":", 6);
            if (parts.length < 6 || !parts[2].equals("bedrock")) {
                return Optional.empty();
            }
            String resource = parts[5];
            if (resource.startsWith("application-inference-profile/") && resource.length() > 30) {
                // An application profile wraps a system profile; the simulated account maps each one to Sonnet 4.5.
                return byFoundation("anthropic.claude-sonnet-4-5-20250929-v1:0").map(m -> new Resolved(m, Form.APPLICATION_PROFILE_ARN));
            }
            if (resource.startsWith("inference-profile/")) {
                return resolve(resource.substring("inference-profile/".length()))
                        .filter(r -> r.form() == Form.PROFILE).map(r -> new Resolved(r.model(), Form.PROFILE_ARN));
            }
            if (resource.startsWith("foundation-model/")) {
                return byFoundation(resource.substring("foundation-model/".length())).map(m -> new Resolved(m, Form.FOUNDATION_ARN));
            }
            return Optional.empty();
        }
        Optional<Model> direct = byFoundation(id);
        if (direct.isPresent()) {
            return Optional.of(new Resolved(direct.get(), Form.FOUNDATION));
        }
        int dot = id.indexOf('.');
        if (dot > 0) {
            String geo = id.substring(0, dot);
            return byFoundation(id.substring(dot + 1)).filter(m -> m.geos().contains(geo)).map(m -> new Resolved(m, Form.PROFILE));
        }
        return Optional.empty();
    }

    private Optional<Model> byFoundation(String foundationId) {
        return models.stream().filter(m -> m.foundationId().equals(foundationId)).findFirst();
    }
}
