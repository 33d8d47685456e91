package ccag.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import ccag.server.CcagApplication;
import ccag.server.config.CcagConfiguration;
import ccag.server.testing.Api;
import ccag.server.testing.CcagTestApp;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Roles per the auth guide: members manage their own keys; admins everything. */
@ExtendWith(DropwizardExtensionsSupport.class)
class MemberRulesIT {
    static final DropwizardAppExtension<CcagConfiguration> APP = CcagTestApp.create();
    static Api api;
    static String admin;
    static String member;
    static String memberId;
    static String otherMemberId;
    static String teamId;

    @BeforeAll
    static void setUp() {
        api = new Api(APP.getLocalPort());
        admin = api.adminToken();
        teamId = api.post("/admin/teams", admin, Map.of("name", "Engineering")).json().path("id").asText();
        memberId = api.post("/admin/users", admin, Map.of("subject", "alice", "email", "alice@example.com", "role", "member",
                "team_id", teamId)).json().path("id").asText();
        otherMemberId = api.post("/admin/users", admin, Map.of("subject", "bob", "role", "member")).json().path("id").asText();
        // Members sign in through OIDC (a later tier); here the session is issued directly for the member.
        member = APP.<CcagApplication>getApplication().wiring().sessions().issue(UUID.fromString(memberId), "127.0.0.1").token();
    }

    @Test
    void aMemberSeesItselfAsMember() {
        Api.Reply me = api.get("/auth/me", member);
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.json().path("role").asText()).isEqualTo("member");
        assertThat(me.json().path("user_id").asText()).isEqualTo(memberId);
        assertThat(me.json().path("team_id").asText()).isEqualTo(teamId);
    }

    @Test
    void aMemberCreatesListsAndRevokesOwnKeysOnly() {
        Api.Reply created = api.post("/admin/keys", member, Map.of("name", "alice-laptop"));
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().path("user_id").asText()).isEqualTo(memberId);
        String ownId = created.json().path("id").asText();

        Api.Reply forOther = api.post("/admin/keys", member, Map.of("name", "for-bob", "user_id", otherMemberId));
        assertThat(forOther.status()).isEqualTo(403);
        assertThat(forOther.errorType()).isEqualTo("permission_error");

        String bobsKeyId = api.post("/admin/keys", admin, Map.of("name", "bob-key", "user_id", otherMemberId)).json().path("id").asText();
        Api.Reply listed = api.get("/admin/keys", member);
        assertThat(listed.status()).isEqualTo(200);
        assertThat(listed.json().path("keys").findValuesAsText("user_id")).containsOnly(memberId);
        assertThat(listed.json().path("keys").findValuesAsText("id")).contains(ownId).doesNotContain(bobsKeyId);
        assertThat(api.get("/admin/keys?user_id=" + otherMemberId, member).status()).isEqualTo(403);

        assertThat(api.get("/admin/keys/" + bobsKeyId, member).status()).isEqualTo(404);
        assertThat(api.post("/admin/keys/" + bobsKeyId + "/revoke", member, null).status()).isEqualTo(404);
        assertThat(api.call("DELETE", "/admin/keys/" + bobsKeyId, member, null).status()).isEqualTo(404);
        assertThat(api.get("/admin/keys/" + bobsKeyId, admin).json().path("status").asText()).isEqualTo("active");

        assertThat(api.post("/admin/keys/" + ownId + "/revoke", member, null).json().path("status").asText()).isEqualTo("revoked");
        assertThat(api.call("DELETE", "/admin/keys/" + ownId, member, null).status()).isEqualTo(204);

        assertThat(api.get("/admin/keys", admin).json().path("keys").findValuesAsText("id")).contains(bobsKeyId);
    }

    @Test
    void aMemberMayNotManageUsersTeamsOrTheAudit() {
        for (String path : new String[] {"/admin/users", "/admin/teams", "/admin/audit", "/admin/users/" + memberId, "/admin/teams/" + teamId}) {
            Api.Reply r = api.get(path, member);
            assertThat(r.status()).as(path).isEqualTo(403);
            assertThat(r.errorType()).isEqualTo("permission_error");
        }
        assertThat(api.post("/admin/teams", member, Map.of("name", "mine")).status()).isEqualTo(403);
        assertThat(api.call("PATCH", "/admin/users/" + memberId, member, Map.of("role", "admin")).status()).isEqualTo(403);
        assertThat(api.get("/auth/me", member).json().path("role").asText()).isEqualTo("member");
    }

    @Test
    void promotionTakesEffectOnTheNextRequest() {
        String carolId = api.post("/admin/users", admin, Map.of("subject", "carol", "role", "member")).json().path("id").asText();
        String carol = APP.<CcagApplication>getApplication().wiring().sessions().issue(UUID.fromString(carolId), "127.0.0.1").token();
        assertThat(api.get("/admin/users", carol).status()).isEqualTo(403);
        assertThat(api.call("PATCH", "/admin/users/" + carolId, admin, Map.of("role", "admin")).status()).isEqualTo(200);
        assertThat(api.get("/admin/users", carol).status()).isEqualTo(200);
    }
}
