package ccag.server.persistence;

import java.util.List;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/** Publishes a change on a channel inside the caller's transaction (version bump + NOTIFY, sent at commit). */
public interface ChangeDao {
    record ChannelVersion(String channel, long version) {
    }

    @SqlQuery("SELECT ccag_publish(:channel, :payload)")
    long publish(@Bind("channel") String channel, @Bind("payload") String payload);

    @SqlQuery("SELECT channel, version FROM change_versions")
    @RegisterConstructorMapper(ChannelVersion.class)
    List<ChannelVersion> versions();
}
