package ccag.server.health;

import ccag.server.persistence.Migrations;
import com.codahale.metrics.health.HealthCheck;
import java.util.List;

/** Critical: the schema must be at the version this build expects. */
public final class MigrationsHealthCheck extends HealthCheck {
    private final Migrations migrations;

    public MigrationsHealthCheck(Migrations migrations) {
        this.migrations = migrations;
    }

    @Override
    protected Result check() throws Exception {
        List<String> pending = migrations.pending();
        return pending.isEmpty()
                ? Result.healthy("schema up to date")
                : Result.unhealthy("%d pending migration(s): %s", pending.size(), String.join(", ", pending));
    }
}
