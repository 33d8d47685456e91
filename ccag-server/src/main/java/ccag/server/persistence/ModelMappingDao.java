package ccag.server.persistence;

import java.time.Instant;
import java.util.List;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Admin-set model mappings. */
@RegisterConstructorMapper(ModelMappingRow.class)
public interface ModelMappingDao {
    @SqlQuery("SELECT model, bedrock_model_id, updated_at, updated_by FROM model_mappings ORDER BY model")
    List<ModelMappingRow> all();

    @SqlUpdate("""
            INSERT INTO model_mappings (model, bedrock_model_id, updated_at, updated_by)
            VALUES (:model, :bedrockModelId, :at, :by)
            ON CONFLICT (model) DO UPDATE SET bedrock_model_id = EXCLUDED.bedrock_model_id,
                                              updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by
            """)
    void upsert(@Bind("model") String model, @Bind("bedrockModelId") String bedrockModelId, @Bind("at") Instant at,
                @Bind("by") String by);

    @SqlUpdate("DELETE FROM model_mappings WHERE model = :model")
    int delete(@Bind("model") String model);
}
