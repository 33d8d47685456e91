package ccag.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import ccag.server.config.CcagConfiguration;
import ccag.server.testing.Api;
import ccag.server.testing.CcagTestApp;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

/** Passwords, keys, session tokens and their hashes never reach a log line, whatever the request. */
@ExtendWith(DropwizardExtensionsSupport.class)
class SecretsNeverLoggedIT {
    static final DropwizardAppExtension<CcagConfiguration> APP = CcagTestApp.create();

    static final class Capture extends AppenderBase<ILoggingEvent> {
        final List<String> lines = new CopyOnWriteArrayList<>();

        @Override
        protected void append(ILoggingEvent e) {
            String thrown = e.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(e.getThrowableProxy());
            lines.add(e.getLevel() + " " + e.getLoggerName() + " " + e.getFormattedMessage() + " " + e.getMDCPropertyMap() + " " + thrown);
        }
    }

    @Test
    void noSecretAppearsInTheLogs() {
        // Attached now that the app runs: Dropwizard resets logging at startup.
        Logger root = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Level before = root.getLevel();
        Capture capture = new Capture();
        capture.start();
        root.addAppender(capture);
        root.setLevel(Level.DEBUG);
        try {
            Api api = new Api(APP.getLocalPort());
            String token = api.adminToken();
            String wrongPassword = "wrong-password-7c1d9e";
            api.post("/auth/login", null, Map.of("username", "admin", "password", wrongPassword));
            api.post("/auth/login", null, "{\"username\":\"admin\",\"password\":\"" + wrongPassword + "\",\"extra\":1}");
            api.post("/auth/login", null, "{\"username\":\"admin\",\"password\":\"" + wrongPassword);
            Api.Reply created = api.post("/admin/keys", token, Map.of("name", "logged?"));
            String key = created.json().path("key").asText();
            api.call("GET", "/auth/me", null, null, "x-api-key", key);
            api.get("/auth/me", key);
            api.get("/admin/keys", key);
            String forged = key.substring(0, 20) + "0".repeat(key.length() - 20);
            api.call("GET", "/auth/me", null, null, "x-api-key", forged);
            api.call("GET", "/auth/me", token, null, "x-api-key", forged);
            api.post("/admin/keys/" + created.json().path("id").asText() + "/revoke", token, null);
            api.get("/auth/me", key);
            api.post("/auth/logout", token, null);
            api.get("/admin/keys", token);

            assertThat(capture.lines).as("something was captured at all").isNotEmpty();
            for (String secret : List.of(CcagTestApp.ADMIN_PASSWORD, wrongPassword, key, key.substring(13), forged.substring(20),
                    token, token.substring(13), Secrets.sha256(key), Secrets.sha256(token))) {
                assertThat(capture.lines).noneMatch(line -> line.contains(secret));
            }
        } finally {
            root.detachAppender(capture);
            root.setLevel(before);
        }
    }
}
