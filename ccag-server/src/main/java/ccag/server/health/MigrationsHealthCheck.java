package ccag.server.health;

import ccag.server.persistence.Migrations;
import com.codahale.metrics.health.HealthCheck;
import java.util.List;

/** Critical: the schema must be at the version this build expects. */
public final class MigrationsHealthCheck extends HealthCheck {
    private final Migrations migrations;
    /** Applied changesets are never un-applied, so once the schema is current it stays current. */
    private volatile boolean upToDate;

    public MigrationsHealthCheck(Migrations migrations) {
        this.migrations = migrations;
    }

    @Override
    protected Result check() throws Exception {
        if (upToDate) {
            return Result.healthy("schema up to date");
        }
        List<String> pending = migrations.pending();
        if (pending.isEmpty()) {
            upToDate = true;
            return Result.healthy("schema up to date");
        }
        return Result.unhealthy("%d pending migration(s): %s", pending.size(), String.join(", ", pending));
    }
}
