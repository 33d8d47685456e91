package ccag.server.persistence;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;
import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.Liquibase;
import liquibase.changelog.ChangeSet;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.exception.LiquibaseException;
import liquibase.resource.ClassLoaderResourceAccessor;

/**
 * The Liquibase changelog ({@code migrations.xml}, append-only). Used at startup, by the health
 * check, and, through dropwizard-migrations, by {@code db migrate} / {@code db status}.
 */
public final class Migrations {
    public static final String CHANGELOG = "migrations.xml";

    private final DataSource dataSource;

    public Migrations(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Applies every pending changeset; Liquibase's lock table serialises instances starting together. */
    public void migrate() throws SQLException, LiquibaseException {
        try (Connection c = dataSource.getConnection(); Liquibase lb = liquibase(c)) {
            // Liquibase's progress goes to the log, not to stdout.
            liquibase.Scope.child(java.util.Map.of(liquibase.Scope.Attr.ui.name(), new liquibase.ui.LoggerUIService()),
                    () -> lb.update(new Contexts(), new LabelExpression()));
        } catch (Exception e) {
            if (e instanceof SQLException s) {
                throw s;
            }
            if (e instanceof LiquibaseException l) {
                throw l;
            }
            throw new IllegalStateException(e);
        }
    }

    /** The ids of changesets not yet applied to the database. */
    public List<String> pending() throws Exception {
        try (Connection c = dataSource.getConnection(); Liquibase lb = liquibase(c)) {
            return lb.listUnrunChangeSets(new Contexts(), new LabelExpression()).stream()
                    .map(ChangeSet::getId)
                    .toList();
        }
    }

    private static Liquibase liquibase(Connection c) throws LiquibaseException {
        Database db = DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(c));
        return new Liquibase(CHANGELOG, new ClassLoaderResourceAccessor(Migrations.class.getClassLoader()), db);
    }
}
