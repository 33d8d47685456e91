package ccag.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import ccag.server.CcagApplication;
import ccag.server.config.CcagConfiguration;
import ccag.server.testing.Api;
import ccag.server.testing.CcagTestApp;
import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Tiers 1 and 2 through real HTTP: login, keys, the chain's refusals, and the attack cases. */
@ExtendWith(DropwizardExtensionsSupport.class)
class AuthFlowIT {
    static final DropwizardAppExtension<CcagConfiguration> APP = CcagTestApp.create();
    static Api api;
    static String admin;

    @BeforeAll
    static void login() {
        api = new Api(APP.getLocalPort());
        admin = api.adminToken();
    }

    private static String newKey(String name, Object... extra) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("name", name));
        for (int i = 0; i + 1 < extra.length; i += 2) {
            body.put((String) extra[i], extra[i + 1]);
        }
        Api.Reply r = api.post("/admin/keys", admin, body);
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json().path("key").asText();
    }

    private static Api.Reply meWithKey(String key) {
        return api.call("GET", "/auth/me", null, null, "x-api-key", key);
    }

    @Test
    void theSeedsCurlSequenceRunsAsWritten() throws Exception {
        // The auth guide's commands, verbatim but for the host, run by bash with curl and jq.
        String script = """
                set -euo pipefail
                TOKEN=$(curl -sf -X POST %1$s/auth/login \\
                -H "content-type: application/json" \\
                -d '{"username":"admin","password":"'$ADMIN_PASSWORD'"}' | jq -r '.token')
                CREATED=$(curl -s -X POST %1$s/admin/keys \\
                -H "authorization: Bearer $TOKEN" \\
                -H "content-type: application/json" \\
                -d '{"name": "dev-team-key", "rate_limit_rpm": 120}')
                echo "$CREATED"
                KEY_ID=$(echo "$CREATED" | jq -r '.id')
                KEY=$(echo "$CREATED" | jq -r '.key')
                curl -s -o /dev/null -w '%%{http_code}\\n' %1$s/auth/me -H "x-api-key: $KEY"
                curl -s -o /dev/null -w '%%{http_code}\\n' -X POST %1$s/admin/keys/$KEY_ID/revoke \\
                -H "authorization: Bearer $TOKEN"
                curl -s -o /dev/null -w '%%{http_code}\\n' %1$s/auth/me -H "x-api-key: $KEY"
                """.formatted(api.base());
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", script).redirectErrorStream(true);
        pb.environment().put("ADMIN_PASSWORD", CcagTestApp.ADMIN_PASSWORD);
        Process p = pb.start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out).isZero();
        String[] lines = out.strip().split("\n");
        JsonNode created = Api.JSON.readTree(lines[0]);
        assertThat(created.fieldNames()).toIterable().contains("key", "id", "prefix", "name", "created_at");
        assertThat(created.path("key").asText()).matches("sk-proxy-[0-9a-f]{64}");
        assertThat(created.path("prefix").asText()).isEqualTo(created.path("key").asText().substring(0, 13));
        assertThat(created.path("name").asText()).isEqualTo("dev-team-key");
        assertThat(created.path("created_at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z");
        assertThat(UUID.fromString(created.path("id").asText())).isNotNull();
        assertThat(lines[1]).isEqualTo("200");
        assertThat(lines[2]).isEqualTo("200");
        assertThat(lines[3]).as("revoked key").isEqualTo("401");
    }

    @Test
    void loginAnswersTokenAndExpiryAndWrongPasswordIsA401ThatIsNotRetried() {
        Api.Reply ok = api.post("/auth/login", null, Map.of("username", "admin", "password", CcagTestApp.ADMIN_PASSWORD));
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.json().path("token").asText()).startsWith("ccag-session-");
        assertThat(ok.json().path("expires_at").asText()).endsWith("Z");

        Api.Reply bad = api.post("/auth/login", null, Map.of("username", "nobody-" + UUID.randomUUID(), "password", "x"));
        assertThat(bad.status()).isEqualTo(401);
        assertThat(bad.header("x-should-retry")).isEqualTo("false");
        assertThat(bad.errorType()).isEqualTo("authentication_error");
        assertThat(bad.json().path("request_id").asText()).isEqualTo(bad.header("request-id"));
    }

    @Test
    void meTellsSessionAndKeyCallersWhoTheyAre() {
        Api.Reply me = api.get("/auth/me", admin);
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.json().path("auth_method").asText()).isEqualTo("session");
        assertThat(me.json().path("role").asText()).isEqualTo("admin");
        assertThat(me.json().path("subject").asText()).isEqualTo("admin");

        String key = newKey("me-key");
        Api.Reply viaKey = meWithKey(key);
        assertThat(viaKey.status()).isEqualTo(200);
        assertThat(viaKey.json().path("auth_method").asText()).isEqualTo("virtual_key");
        assertThat(viaKey.json().path("role").asText()).isEqualTo("member");
        // the same key as Bearer works too
        assertThat(api.get("/auth/me", key).status()).isEqualTo(200);
    }

    @Test
    void aBadApiKeyFallsBackToAValidBearerAndBothBadIsA401() {
        String key = newKey("fallback-key");
        Api.Reply both = api.call("GET", "/auth/me", key, null, "x-api-key", "sk-proxy-" + "0".repeat(64));
        assertThat(both.status()).isEqualTo(200);
        Api.Reply none = api.get("/auth/me", null);
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.json().path("error").path("message").asText()).contains("Missing credentials");
        assertThat(none.header("x-should-retry")).isEqualTo("false");
    }

    @Test
    void aVirtualKeyIsNotACredentialOnAdminOrLogout() {
        String key = newKey("ci-key");
        Api.Reply r = api.get("/admin/keys", key);
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.errorType()).isEqualTo("authentication_error");
        assertThat(r.json().path("error").path("message").asText()).contains("/v1");
        assertThat(api.call("GET", "/admin/users", null, null, "x-api-key", key).status()).isEqualTo(401);
        assertThat(api.call("POST", "/auth/logout", null, null, "x-api-key", key).status()).isEqualTo(401);
    }

    @Test
    void forgedTruncatedAndPaddedKeysAreRefused() {
        String key = newKey("real-key");
        String rightPrefixWrongBody = key.substring(0, 13) + "f".repeat(key.length() - 13);
        for (String bad : new String[] {rightPrefixWrongBody, key.substring(0, key.length() - 1), key + "0", key.toUpperCase(),
                "sk-proxy-", "sk-proxy-' OR '1'='1", key.substring(0, 13)}) {
            Api.Reply r = meWithKey(bad);
            assertThat(r.status()).as(bad).isEqualTo(401);
            assertThat(r.errorType()).isEqualTo("authentication_error");
        }
        assertThat(meWithKey(key).status()).isEqualTo(200);
    }

    @Test
    void aSessionIsRefusedAfterLogout() {
        String token = api.adminToken();
        assertThat(api.get("/admin/keys", token).status()).isEqualTo(200);
        assertThat(api.post("/auth/logout", token, null).status()).isEqualTo(204);
        Api.Reply after = api.get("/admin/keys", token);
        assertThat(after.status()).isEqualTo(401);
        assertThat(after.header("x-should-retry")).isEqualTo("false");
        assertThat(api.get("/auth/me", admin).status()).as("other sessions live on").isEqualTo(200);
    }

    @Test
    void deletingAUserCutsOffItsKeysAndDeactivatingItIsA403() {
        String uid = api.post("/admin/users", admin, Map.of("subject", "temp-" + UUID.randomUUID(), "email", "t@example.com", "role", "member"))
                .json().path("id").asText();
        String key = newKey("user-key", "user_id", uid);
        assertThat(meWithKey(key).status()).isEqualTo(200);

        Api.Reply deactivated = api.call("PATCH", "/admin/users/" + uid, admin, Map.of("active", false));
        assertThat(deactivated.status()).isEqualTo(200);
        Api.Reply refused = meWithKey(key);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.errorType()).isEqualTo("permission_error");

        assertThat(api.call("PATCH", "/admin/users/" + uid, admin, Map.of("active", true)).status()).isEqualTo(200);
        assertThat(meWithKey(key).status()).isEqualTo(200);

        assertThat(api.call("DELETE", "/admin/users/" + uid, admin, null).status()).isEqualTo(204);
        assertThat(meWithKey(key).status()).isEqualTo(401);
        assertThat(api.get("/admin/users/" + uid, admin).status()).isEqualTo(404);
    }

    @Test
    void expiredKeysAreRefusedAndPastExpiryIsA400() {
        Api.Reply past = api.post("/admin/keys", admin, Map.of("name", "old", "expires_at", "2020-01-01T00:00:00Z"));
        assertThat(past.status()).isEqualTo(400);
        assertThat(past.json().path("error").path("field").asText()).isEqualTo("expires_at");

        String soon = java.time.Instant.now().plusSeconds(2).toString();
        String key = newKey("short-lived", "expires_at", soon);
        assertThat(meWithKey(key).status()).isEqualTo(200);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
                .until(() -> meWithKey(key).status() == 401);
    }

    @Test
    void sqlLookingNamesAreStoredAsText() {
        String evil = "x'); DROP TABLE users; -- " + UUID.randomUUID();
        Api.Reply team = api.post("/admin/teams", admin, Map.of("name", evil));
        assertThat(team.status()).isEqualTo(201);
        assertThat(team.json().path("name").asText()).isEqualTo(evil);
        Api.Reply user = api.post("/admin/users", admin, Map.of("subject", evil, "role", "member"));
        assertThat(user.status()).isEqualTo(201);
        assertThat(api.get("/admin/users/" + user.json().path("id").asText(), admin).json().path("subject").asText()).isEqualTo(evil);
        Api.Reply login = api.post("/auth/login", null, Map.of("username", "admin' OR '1'='1", "password", "' OR '1'='1"));
        assertThat(login.status()).isEqualTo(401);
        assertThat(api.get("/admin/users", admin).status()).isEqualTo(200);
    }

    @Test
    void aOneMegabyteHeaderIsRefusedInTheJsonShape() throws Exception {
        String huge = "a".repeat(1024 * 1024);
        Api.Reply r = api.call("GET", "/auth/me", null, null, "x-api-key", "sk-proxy-" + huge);
        assertThat(r.status()).isEqualTo(431);
        assertThat(r.header("content-type")).startsWith("application/json");
        assertThat(r.json().path("type").asText()).isEqualTo("error");
        assertThat(r.errorType()).isEqualTo("request_too_large");
        assertThat(api.get("/auth/me", admin).status()).isEqualTo(200);
    }

    @Test
    void unknownFieldsAndBadValuesNameTheField() {
        Api.Reply unknown = api.post("/admin/keys", admin, Map.of("name", "k", "rate_limit", 5));
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().path("error").path("field").asText()).isEqualTo("rate_limit");
        Api.Reply negative = api.post("/admin/keys", admin, Map.of("name", "k", "rate_limit_rpm", -1));
        assertThat(negative.status()).isEqualTo(400);
        assertThat(negative.json().path("error").path("field").asText()).isEqualTo("rate_limit_rpm");
        Api.Reply absurd = api.post("/admin/keys", admin, Map.of("name", "k", "rate_limit_rpm", 2_000_000_000));
        assertThat(absurd.status()).isEqualTo(400);
        Api.Reply noName = api.post("/admin/keys", admin, Map.of("rate_limit_rpm", 5));
        assertThat(noName.status()).isEqualTo(400);
        assertThat(noName.json().path("error").path("field").asText()).isEqualTo("name");
        Api.Reply badRole = api.post("/admin/users", admin, Map.of("subject", "r", "role", "root"));
        assertThat(badRole.status()).isEqualTo(400);
        assertThat(badRole.json().path("error").path("field").asText()).isEqualTo("role");
        assertThat(api.get("/admin/keys/" + UUID.randomUUID(), admin).status()).isEqualTo(404);
        assertThat(api.get("/admin/keys?limit=0", admin).json().path("error").path("field").asText()).isEqualTo("limit");
    }

    @Test
    void teamsAreUniqueAndCannotBeDeletedWhileInUse() {
        String name = "Engineering-" + UUID.randomUUID();
        Api.Reply t = api.post("/admin/teams", admin, Map.of("name", name));
        assertThat(t.status()).isEqualTo(201);
        String tid = t.json().path("id").asText();
        assertThat(api.post("/admin/teams", admin, Map.of("name", name.toLowerCase())).status()).isEqualTo(409);
        assertThat(api.get("/admin/teams", admin).json().path("teams").findValuesAsText("name")).contains(name);

        String uid = api.post("/admin/users", admin, Map.of("subject", "jdoe-" + UUID.randomUUID(), "email", "jdoe@example.com", "role", "member"))
                .json().path("id").asText();
        Api.Reply assigned = api.call("PUT", "/admin/users/" + uid + "/team", admin, Map.of("team_id", tid));
        assertThat(assigned.status()).isEqualTo(200);
        assertThat(assigned.json().path("team_id").asText()).isEqualTo(tid);
        assertThat(api.get("/admin/teams/" + tid, admin).json().path("member_count").asInt()).isEqualTo(1);

        Api.Reply inUse = api.call("DELETE", "/admin/teams/" + tid, admin, null);
        assertThat(inUse.status()).isEqualTo(409);
        assertThat(api.call("PUT", "/admin/users/" + uid + "/team", admin, Map.of()).status()).isEqualTo(200);
        String key = newKey("team-key", "team_id", tid);
        assertThat(api.call("DELETE", "/admin/teams/" + tid, admin, null).status()).as("a key remains").isEqualTo(409);
        String keyId = api.get("/admin/keys?team_id=" + tid, admin).json().path("keys").get(0).path("id").asText();
        assertThat(api.post("/admin/keys/" + keyId + "/revoke", admin, null).json().path("status").asText()).isEqualTo("revoked");
        assertThat(meWithKey(key).status()).isEqualTo(401);
        Api.Reply renamed = api.call("PATCH", "/admin/teams/" + tid, admin, Map.of("name", name + "-2"));
        assertThat(renamed.json().path("name").asText()).isEqualTo(name + "-2");
        assertThat(api.call("DELETE", "/admin/teams/" + tid, admin, null).status()).isEqualTo(204);
        assertThat(api.get("/admin/teams/" + tid, admin).status()).isEqualTo(404);
    }

    @Test
    void duplicateSubjectsAtOneProviderAreA409() {
        String subject = "dup-" + UUID.randomUUID();
        assertThat(api.post("/admin/users", admin, Map.of("subject", subject)).status()).isEqualTo(201);
        Api.Reply again = api.post("/admin/users", admin, Map.of("subject", subject));
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().path("error").path("field").asText()).isEqualTo("subject");
    }

    @Test
    void theLastAdminCannotBeDemoted() {
        String me = api.get("/auth/me", admin).json().path("user_id").asText();
        Api.Reply r = api.call("PATCH", "/admin/users/" + me, admin, Map.of("role", "member"));
        assertThat(r.status()).isEqualTo(409);
        assertThat(api.call("DELETE", "/admin/users/" + me, admin, null).status()).isEqualTo(409);
    }

    @Test
    void everyAdminMutationIsAudited() {
        String name = "audited-" + UUID.randomUUID();
        String tid = api.post("/admin/teams", admin, Map.of("name", name)).json().path("id").asText();
        Api.Reply audit = api.get("/admin/audit?target_id=" + tid, admin);
        assertThat(audit.status()).isEqualTo(200);
        JsonNode e = audit.json().path("events").get(0);
        assertThat(e.path("action").asText()).isEqualTo("team.create");
        assertThat(e.path("actor").asText()).isEqualTo("admin");
        assertThat(e.path("target_type").asText()).isEqualTo("team");
        assertThat(e.path("client_address").asText()).isEqualTo("127.0.0.1");
        assertThat(e.path("at").asText()).endsWith("Z");
        assertThat(e.path("details").path("name").asText()).isEqualTo(name);

        Api.Reply created = api.post("/admin/keys", admin, Map.of("name", "audit-key"));
        String keyId = created.json().path("id").asText();
        api.post("/admin/keys/" + keyId + "/revoke", admin, null);
        api.call("DELETE", "/admin/keys/" + keyId, admin, null);
        assertThat(api.get("/admin/audit?target_id=" + keyId, admin).json().path("events").findValuesAsText("action"))
                .containsExactlyInAnyOrder("key.create", "key.revoke", "key.delete");
        assertThat(api.get("/admin/audit?target_id=" + keyId, admin).raw().body()).doesNotContain(created.json().path("key").asText());
    }

    @Test
    void aKeyCacheHitCostsNoDatabaseQuery() {
        String key = newKey("cached");
        assertThat(meWithKey(key).status()).isEqualTo(200);
        var metrics = APP.getEnvironment().metrics();
        long misses = metrics.counter("ccag.auth.credential_cache.misses").getCount();
        long hits = metrics.counter("ccag.auth.credential_cache.hits").getCount();
        for (int i = 0; i < 20; i++) {
            assertThat(meWithKey(key).status()).isEqualTo(200);
        }
        assertThat(metrics.counter("ccag.auth.credential_cache.misses").getCount()).isEqualTo(misses);
        assertThat(metrics.counter("ccag.auth.credential_cache.hits").getCount()).isGreaterThanOrEqualTo(hits + 20);
    }

    static CcagApplication.Wiring wiring() {
        return APP.<CcagApplication>getApplication().wiring();
    }
}
