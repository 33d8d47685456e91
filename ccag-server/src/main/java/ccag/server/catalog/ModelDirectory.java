package ccag.server.catalog;

import ccag.api.ModelMappingView;
import ccag.server.errors.InvalidRequest;
import ccag.server.errors.NotFound;
import ccag.server.persistence.ModelMappingDao;
import ccag.server.persistence.ModelMappingRow;
import ccag.server.persistence.Notifications;
import ccag.server.audit.AuditLog;
import ccag.server.proxy.translate.ModelCatalog;
import ccag.server.proxy.translate.ResolvedModel;
import ccag.server.upstream.Upstream;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's current model catalog: admin mappings (database), configuration mappings,
 * inference profiles discovered from Bedrock (at start and, at most once a minute, on a miss) and
 * the built-in seed. Admin changes reload every instance (notification, with a periodic reload as
 * the safety net).
 */
public final class ModelDirectory implements Notifications.Listener {
    /** The notification channel of admin mapping changes. */
    public static final String CHANNEL = "models";
    private static final Logger LOG = LoggerFactory.getLogger(ModelDirectory.class);
    private static final Duration REDISCOVER_AFTER = Duration.ofMinutes(1);

    private final Jdbi jdbi;
    private final Notifications notifications;
    private final AuditLog audit;
    private final Upstream upstream;
    private final Clock clock;
    private final Map<String, String> configMappings;
    private final AtomicReference<ModelCatalog> current;
    private volatile Instant lastDiscovery = Instant.EPOCH;

    public ModelDirectory(Jdbi jdbi, Notifications notifications, AuditLog audit, Upstream upstream, Clock clock,
                          ModelCatalog base, Map<String, String> configMappings) {
        this.jdbi = jdbi;
        this.notifications = notifications;
        this.audit = audit;
        this.upstream = upstream;
        this.clock = clock;
        this.configMappings = Map.copyOf(configMappings);
        this.current = new AtomicReference<>(base);
    }

    /** Resolves a client's model name; 404 {@code not_found_error} naming it when nothing knows it. */
    public ResolvedModel resolve(String requested) {
        Optional<ResolvedModel> found = current.get().find(requested);
        if (found.isPresent()) {
            return found.get();
        }
        if (Duration.between(lastDiscovery, clock.instant()).compareTo(REDISCOVER_AFTER) > 0) {
            discover(Duration.ofSeconds(5));
            found = current.get().find(requested);
        }
        return found.orElseThrow(() -> new NotFound("model: " + requested
                + " is not available on this gateway (see GET /v1/models, or ask an admin to map it)"));
    }

    /** The {@code GET /v1/models} body. */
    public ObjectNode modelsList() {
        return current.get().modelsList();
    }

    /** Re-reads the admin mappings from the database. */
    public void reload() {
        List<ModelMappingRow> rows = jdbi.withExtension(ModelMappingDao.class, ModelMappingDao::all);
        Map<String, String> admin = new LinkedHashMap<>();
        rows.forEach(r -> admin.put(r.model(), r.bedrockModelId()));
        current.updateAndGet(c -> c.withAdminMappings(admin));
    }

    /** Asks Bedrock for the inference profiles it offers; failures keep the previous list. */
    public void discover(Duration wait) {
        lastDiscovery = clock.instant();
        try {
            List<String> profiles = upstream.listInferenceProfiles().get(wait.toMillis(), TimeUnit.MILLISECONDS);
            current.updateAndGet(c -> c.withDiscoveredProfiles(profiles));
            LOG.info("model discovery: {} inference profile(s)", profiles.size());
        } catch (Exception e) {
            LOG.warn("model discovery failed, keeping the configured and built-in mappings: {}", e.toString());
        }
    }

    /** Every mapping an admin can see, by source. */
    public List<ModelMappingView> mappings() {
        List<ModelMappingView> views = new ArrayList<>();
        jdbi.withExtension(ModelMappingDao.class, ModelMappingDao::all)
                .forEach(r -> views.add(new ModelMappingView(r.model(), r.bedrockModelId(), "admin", true)));
        configMappings.forEach((k, v) -> views.add(new ModelMappingView(k, v, "config", true)));
        ModelCatalog catalog = current.get();
        for (ModelCatalog.SeedRow row : ModelCatalog.builtInSeed()) {
            catalog.find(row.name()).ifPresent(m -> views.add(new ModelMappingView(row.name(), m.bedrockModelId(),
                    m.source() == ResolvedModel.Source.DISCOVERED ? "discovery" : "builtin", m.verified())));
        }
        return views;
    }

    @Override
    public void onMessage(String payload) {
        reload();
    }

    @Override
    public void onResync() {
        reload();
    }

    public ModelMappingView set(String model, String bedrockModelId, AuditLog.Actor actor) {
        if (model == null || model.isBlank() || model.length() > 200) {
            throw new InvalidRequest("model must be 1 to 200 characters", "model");
        }
        String target = bedrockModelId.trim();
        if (target.chars().anyMatch(Character::isWhitespace)) {
            throw new InvalidRequest("bedrock_model_id must not contain spaces", "bedrock_model_id");
        }
        jdbi.useExtension(ModelMappingDao.class, d -> d.upsert(model, target, clock.instant(), actor.name()));
        audit.record(actor, "model_mapping.set", "model", model, Map.of("bedrock_model_id", target));
        reload();
        notifications.publish(CHANNEL, model);
        return new ModelMappingView(model, target, "admin", true);
    }

    public void delete(String model, AuditLog.Actor actor) {
        int n = jdbi.withExtension(ModelMappingDao.class, d -> d.delete(model));
        if (n == 0) {
            throw new NotFound("model mapping " + model + " not found");
        }
        audit.record(actor, "model_mapping.delete", "model", model, Map.of());
        reload();
        notifications.publish(CHANNEL, model);
    }
}
