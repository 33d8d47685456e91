package ccag.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DatabaseConfigTest {
    private static DatabaseConfig withUrl(String url) {
        return new ObjectMapper().convertValue(Map.of("url", url), DatabaseConfig.class);
    }

    @Test
    void seedFormBecomesJdbcWithCredentials() {
        DatabaseConfig.Coordinates c = withUrl("postgres://proxy:s%40cret@db.internal:5433/proxy").coordinates();
        assertThat(c.jdbcUrl()).isEqualTo("jdbc:postgresql://db.internal:5433/proxy");
        assertThat(c.user()).isEqualTo("proxy");
        assertThat(c.password()).isEqualTo("s@cret");
    }

    @Test
    void queryParametersAreKept() {
        assertThat(withUrl("postgresql://u:p@h/db?sslmode=require").coordinates().jdbcUrl())
                .isEqualTo("jdbc:postgresql://h/db?sslmode=require");
    }

    @Test
    void jdbcUrlPassesUnchanged() {
        assertThat(withUrl("jdbc:postgresql://h:5432/db").coordinates().jdbcUrl()).isEqualTo("jdbc:postgresql://h:5432/db");
    }

    @Test
    void missingUrlIsAOneLineStartupError() {
        assertThatThrownBy(() -> withUrl("").coordinates())
                .isInstanceOf(StartupException.class)
                .hasMessageStartingWith("DATABASE_URL is not set");
    }

    @Test
    void malformedUrlIsRefusedWithoutLeakingThePassword() {
        assertThatThrownBy(() -> withUrl("mysql://u:hunter2@h/db").coordinates())
                .isInstanceOf(StartupException.class)
                .hasMessageContaining("DATABASE_URL is malformed")
                .hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> withUrl("postgres://u:hunter2@/db").coordinates())
                .isInstanceOf(StartupException.class)
                .hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> withUrl("postgres://u:p@host").coordinates())
                .hasMessageContaining("no database name");
    }

    @Test
    void redactionHidesPasswords() {
        assertThat(DatabaseConfig.redact("postgres://u:hunter2@h/db")).isEqualTo("postgres://u:***@h/db");
        assertThat(DatabaseConfig.redact("jdbc:postgresql://h/db?user=u&password=hunter2")).doesNotContain("hunter2");
    }
}
