package ccag.server.persistence;

import java.sql.Types;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.argument.AbstractArgumentFactory;
import org.jdbi.v3.core.argument.Argument;
import org.jdbi.v3.core.config.ConfigRegistry;
import org.jdbi.v3.core.statement.StatementExceptions;

/** Settings every DAO relies on. */
public final class JdbiSetup {
    private JdbiSetup() {
    }

    public static Jdbi configure(Jdbi jdbi) {
        // A null UUID must reach PostgreSQL untyped; Jdbi's default types it as varchar, which uuid columns refuse.
        jdbi.registerArgument(new AbstractArgumentFactory<UUID>(Types.OTHER) {
            @Override
            protected Argument build(UUID value, ConfigRegistry config) {
                return (position, statement, ctx) -> statement.setObject(position, value);
            }
        });
        // Error messages (which end up in logs) name the statement but never its bound values: those include hashes.
        jdbi.getConfig(StatementExceptions.class).setMessageRendering(StatementExceptions.MessageRendering.SHORT_STATEMENT);
        return jdbi;
    }
}
