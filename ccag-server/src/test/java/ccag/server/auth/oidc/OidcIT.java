package ccag.server.auth.oidc;

import static ccag.server.testing.CcagTestApp.set;
import static org.assertj.core.api.Assertions.assertThat;

import ccag.server.config.CcagConfiguration;
import ccag.server.testing.Api;
import ccag.server.testing.CcagTestApp;
import ccag.server.testing.TestBrowser;
import ccag.server.testing.TestDatabase;
import ccag.server.testing.TestIdp;
import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.keys.HmacKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Tier 3 through real HTTP with a real OpenID provider: the environment's IdP and IdPs added at run time,
 * provisioning rules, attacks, the CLI and portal browser logins, and a change reaching a second instance.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class OidcIT {
    static final String AUD = "ccag-test";
    static final TestIdp IDP = TestIdp.startInteractive();
    static final TestDatabase.Db DB = TestDatabase.fresh();
    static final int PORT = TestBrowser.freePort();
    static final DropwizardAppExtension<CcagConfiguration> APP = CcagTestApp.on(DB,
            set("oidc.issuer", IDP.issuer("corp")), set("oidc.audience", AUD), set("oidc.allowHttpLoopback", "true"),
            set("publicUrl", "http://127.0.0.1:" + PORT), set("server.applicationConnectors[0].port", String.valueOf(PORT)));
    static final DropwizardAppExtension<CcagConfiguration> SECOND = CcagTestApp.on(DB,
            set("oidc.issuer", IDP.issuer("corp")), set("oidc.audience", AUD), set("oidc.allowHttpLoopback", "true"));

    static Api api;
    static Api second;
    static String admin;

    @BeforeAll
    static void login() {
        assertThat(APP.getLocalPort()).as("the app listens where its public URL says").isEqualTo(PORT);
        api = new Api(APP.getLocalPort());
        second = new Api(SECOND.getLocalPort());
        admin = api.adminToken();
    }

    @AfterAll
    static void stopIdp() {
        IDP.close();
    }

    private static String token(String issuerId, String sub, String email) {
        Map<String, Object> claims = email == null ? Map.of() : Map.of("email", email);
        return IDP.token(issuerId, sub, AUD, claims, 600);
    }

    private static Api.Reply me(Api on, String token) {
        return on.get("/auth/me", token);
    }

    private static UUID createIdp(String issuerId, Object... fields) {
        Map<String, Object> body = new HashMap<>(Map.of("name", issuerId, "issuer_url", IDP.issuer(issuerId), "audience", AUD));
        for (int i = 0; i + 1 < fields.length; i += 2) {
            body.put((String) fields[i], fields[i + 1]);
        }
        Api.Reply r = api.post("/admin/idps", admin, body);
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return UUID.fromString(r.json().path("id").asText());
    }

    private JwtClaims claims(String issuerId, String sub) {
        JwtClaims c = new JwtClaims();
        c.setIssuer(IDP.issuer(issuerId));
        c.setAudience(AUD);
        c.setSubject(sub);
        c.setIssuedAtToNow();
        c.setExpirationTimeMinutesInTheFuture(10);
        return c;
    }

    private static void assertRefused(Api.Reply r, String message) {
        assertThat(r.status()).as(r.toString()).isEqualTo(401);
        assertThat(r.errorType()).isEqualTo("authentication_error");
        assertThat(r.json().path("error").path("message").asText()).contains(message);
    }

    @Test
    void environmentIdpTokenSignsInAndAutoProvisionsAMember() {
        Api.Reply r = me(api, token("corp", "alice-" + UUID.randomUUID(), "alice@example.com"));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().path("auth_method").asText()).isEqualTo("oidc");
        assertThat(r.json().path("role").asText()).isEqualTo("member");
        assertThat(r.json().path("idp_id").asText()).isEqualTo("00000000-0000-0000-0000-000000000002");
        assertThat(r.json().path("email").asText()).isEqualTo("alice@example.com");
        assertThat(r.json().path("expires_at").asText()).isNotEmpty();
        // x-api-key works too (Claude Code sends the apiKeyHelper's value there).
        Api.Reply viaKeyHeader = api.call("GET", "/auth/me", null, null, "x-api-key", token("corp", "alice-k", null));
        assertThat(viaKeyHeader.status()).as(viaKeyHeader.toString()).isEqualTo(200);
    }

    @Test
    void aTokenWhoseSubjectIsTheBootstrapAdminsNameIsNotTheAdmin() {
        Api.Reply adminMe = me(api, admin);
        Api.Reply r = me(api, token("corp", CcagTestApp.ADMIN_USERNAME, null));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().path("role").asText()).isEqualTo("member");
        assertThat(r.json().path("user_id").asText()).isNotEqualTo(adminMe.json().path("user_id").asText());
        assertThat(api.get("/admin/users", token("corp", CcagTestApp.ADMIN_USERNAME, null)).status()).isEqualTo(403);
    }

    @Test
    void idpListShowsTheEnvironmentIdpReadOnly() {
        Api.Reply list = api.get("/admin/idps", admin);
        assertThat(list.status()).as(list.toString()).isEqualTo(200);
        JsonNode env = list.json().path("idps").get(0);
        assertThat(env.path("source").asText()).isEqualTo("env");
        assertThat(env.path("issuer_url").asText()).isEqualTo(IDP.issuer("corp"));
        assertThat(env.has("client_secret")).isFalse();
        Api.Reply patch = api.call("PATCH", "/admin/idps/" + env.path("id").asText(), admin, Map.of("enabled", false));
        assertThat(patch.status()).as(patch.toString()).isEqualTo(409);
        assertThat(api.call("DELETE", "/admin/idps/" + env.path("id").asText(), admin, null).status()).isEqualTo(409);
        assertThat(api.get("/admin/idps", token("corp", "member-" + UUID.randomUUID(), null)).status()).isEqualTo(403);
    }

    @Test
    void idpCreationValidatesItsFields() {
        assertThat(api.post("/admin/idps", admin, Map.of("name", "x", "issuer_url", "http://idp.example.com", "audience", "a"))
                .status()).isEqualTo(400);
        assertThat(api.post("/admin/idps", admin, Map.of("name", "x", "issuer_url", IDP.issuer("corp"), "audience", "a"))
                .status()).isEqualTo(409);
        assertThat(api.post("/admin/idps", admin, Map.of("name", "x", "issuer_url", IDP.issuer("v1"), "audience", "a",
                "allowed_domains", List.of("not a domain"))).status()).isEqualTo(400);
        assertThat(api.post("/admin/idps", admin, Map.of("name", "x", "issuer_url", IDP.issuer("v2"), "audience", "a",
                "surprise", true)).status()).isEqualTo(400);
    }

    @Test
    void withoutAutoProvisionAnAdminMustCreateTheUserAndDeactivationRefusesIt() {
        UUID idp = createIdp("manual", "auto_provision", false);
        String sub = "dana-" + UUID.randomUUID();
        Api.Reply refused = me(api, IDP.token("manual", sub, AUD, Map.of(), 600));
        assertThat(refused.status()).as(refused.toString()).isEqualTo(403);
        assertThat(refused.json().path("error").path("message").asText()).contains("an admin must create the user");

        Api.Reply created = api.post("/admin/users", admin, Map.of("subject", sub, "idp_id", idp.toString(), "role", "member"));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        Api.Reply ok = me(api, IDP.token("manual", sub, AUD, Map.of(), 600));
        assertThat(ok.status()).as(ok.toString()).isEqualTo(200);
        assertThat(ok.json().path("user_id").asText()).isEqualTo(created.json().path("id").asText());

        api.call("PATCH", "/admin/users/" + created.json().path("id").asText(), admin, Map.of("active", false));
        Api.Reply deactivated = me(second, IDP.token("manual", sub, AUD, Map.of(), 600));
        assertThat(deactivated.status()).as(deactivated.toString()).isEqualTo(403);
        assertThat(me(api, IDP.token("manual", sub, AUD, Map.of(), 600)).status()).isEqualTo(403);
    }

    @Test
    void defaultRoleIsGivenToAutoProvisionedUsers() {
        createIdp("admins", "default_role", "admin");
        String t = IDP.token("admins", "erin-" + UUID.randomUUID(), AUD, Map.of(), 600);
        assertThat(me(api, t).json().path("role").asText()).isEqualTo("admin");
        assertThat(api.get("/admin/users", t).status()).isEqualTo(200);
    }

    @Test
    void allowedDomainsRestrictSignInByEmail() {
        createIdp("domains", "allowed_domains", List.of("example.com"));
        assertThat(me(api, IDP.token("domains", "f1", AUD, Map.of("email", "frank@example.com"), 600)).status()).isEqualTo(200);
        Api.Reply other = me(api, IDP.token("domains", "f2", AUD, Map.of("email", "frank@evil-example.com"), 600));
        assertThat(other.status()).as(other.toString()).isEqualTo(403);
        assertThat(me(api, IDP.token("domains", "f3", AUD, Map.of(), 600)).status()).isEqualTo(403);
        assertThat(me(api, IDP.token("domains", "f4", AUD, Map.of("email", "f@example.com", "email_verified", false), 600))
                .status()).isEqualTo(403);
    }

    @Test
    void theSameSubjectAtTwoIdpsIsTwoUsers() {
        createIdp("partner");
        String sub = "gale-" + UUID.randomUUID();
        String a = me(api, token("corp", sub, null)).json().path("user_id").asText();
        String b = me(api, IDP.token("partner", sub, AUD, Map.of(), 600)).json().path("user_id").asText();
        assertThat(a).isNotEmpty().isNotEqualTo(b);
    }

    @Test
    void anIdpAddedOnOneInstanceIsTrustedByTheOtherWithinASecond() {
        String t = IDP.token("late", "hal", AUD, Map.of(), 600);
        assertThat(me(second, t).status()).isEqualTo(401);
        long start = System.nanoTime();
        createIdp("late");
        Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                .until(() -> me(second, t).status() == 200);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void aValidTokenOfADeletedIdpIsRefusedEverywhere() {
        UUID idp = createIdp("doomed");
        String t = IDP.token("doomed", "ivy", AUD, Map.of(), 600);
        assertThat(me(api, t).status()).isEqualTo(200);
        assertThat(me(second, t).status()).isEqualTo(200);
        assertThat(api.call("DELETE", "/admin/idps/" + idp, admin, null).status()).isEqualTo(204);
        assertThat(me(api, t).status()).isEqualTo(401);
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> me(second, t).status() == 401);
        assertThat(api.get("/admin/idps/" + idp, admin).status()).isEqualTo(404);
    }

    @Test
    void disablingAnIdpRefusesItsTokens() {
        UUID idp = createIdp("paused");
        String t = IDP.token("paused", "jo", AUD, Map.of(), 600);
        assertThat(me(api, t).status()).isEqualTo(200);
        Api.Reply p = api.call("PATCH", "/admin/idps/" + idp, admin, Map.of("enabled", false));
        assertThat(p.status()).as(p.toString()).isEqualTo(200);
        assertThat(p.json().path("enabled").asBoolean()).isFalse();
        assertThat(me(api, t).status()).isEqualTo(401);
    }

    @Test
    void forgedTokensAreRefusedWithA401() throws Exception {
        JsonWebSignature none = new JsonWebSignature();
        none.setPayload(claims("corp", "mallory").toJson());
        none.setAlgorithmConstraints(AlgorithmConstraints.NO_CONSTRAINTS);
        none.setAlgorithmHeaderValue(AlgorithmIdentifiers.NONE);
        assertRefused(me(api, none.getCompactSerialization()), "signing algorithm not allowed");

        JsonWebSignature hs = new JsonWebSignature();
        hs.setPayload(claims("corp", "mallory").toJson());
        hs.setAlgorithmHeaderValue(AlgorithmIdentifiers.HMAC_SHA256);
        hs.setKeyIdHeaderValue(IDP.currentKid("corp"));
        hs.setKey(new HmacKey(IDP.publicJwkJson("corp").getBytes(StandardCharsets.UTF_8)));
        assertRefused(me(api, hs.getCompactSerialization()), "signing algorithm not allowed");

        assertRefused(me(api, IDP.token("corp", "mallory", "other-app", Map.of(), 600)), "wrong audience");

        JwtClaims expired = claims("corp", "mallory");
        expired.setIssuedAt(NumericDate.fromSeconds(NumericDate.now().getValue() - 900));
        expired.setExpirationTime(NumericDate.fromSeconds(NumericDate.now().getValue() - 300));
        assertRefused(me(api, IDP.signWithIdpKey("corp", expired)), "expired");

        JwtClaims early = claims("corp", "mallory");
        early.setNotBefore(NumericDate.fromSeconds(NumericDate.now().getValue() + 600));
        assertRefused(me(api, IDP.signWithIdpKey("corp", early)), "not yet valid");

        String[] parts = token("corp", "mallory", null).split("\\.");
        String forged = Base64.getUrlEncoder().withoutPadding().encodeToString(
                claims("corp", "mallory-admin").toJson().getBytes(StandardCharsets.UTF_8));
        assertRefused(me(api, parts[0] + "." + forged + "." + parts[2]), "bad signature");

        KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
        gen.initialize(2048);
        JsonWebSignature rogue = new JsonWebSignature();
        rogue.setPayload(claims("corp", "mallory").toJson());
        rogue.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        rogue.setKeyIdHeaderValue("rogue-kid");
        rogue.setKey(gen.generateKeyPair().getPrivate());
        assertRefused(me(api, rogue.getCompactSerialization()), "unknown signing key");

        // A token naming an issuer nobody configured is just an invalid credential.
        Api.Reply stranger = me(api, IDP.token("stranger", "mallory", AUD, Map.of(), 600));
        assertThat(stranger.status()).isEqualTo(401);
    }

    @Test
    void rotatedIdpKeysAreUsedWithoutARestart() {
        UUID idp = createIdp("rotating");
        assertThat(idp).isNotNull();
        assertThat(me(api, IDP.token("rotating", "kim", AUD, Map.of(), 600)).status()).isEqualTo(200);
        IDP.rotate("rotating");
        String fresh = IDP.token("rotating", "kim", AUD, Map.of(), 600);
        // The first refresh on an unknown kid may be held back by the 5-second limit; within it, it is picked up.
        Awaitility.await().atMost(Duration.ofSeconds(8)).pollInterval(Duration.ofMillis(500))
                .until(() -> me(api, fresh).status() == 200);
    }

    // --- CLI login ------------------------------------------------------------------------------------

    private static JsonNode startCliLogin() {
        Api.Reply r = api.get("/auth/cli/login", null);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json();
    }

    private static Api.Reply poll(Api on, String sessionCode, String secret) {
        return on.call("GET", "/auth/cli/poll?session_code=" + sessionCode, null, null, "X-CCAG-Poll-Secret", secret);
    }

    /** The user's browser: types {@code sub} into the IdP's login form, with an e-mail claim when given. */
    private static TestBrowser browserOf(String sub, String email) {
        return new TestBrowser(sub, email == null ? "" : "{\"email\": \"" + email + "\"}");
    }

    @Test
    void cliLoginDeliversTheIdTokenOnceToThePollerOnAnyInstance() {
        JsonNode start = startCliLogin();
        String code = start.path("session_code").asText();
        String secret = start.path("poll_secret").asText();
        assertThat(code).hasSizeGreaterThanOrEqualTo(22).isNotEqualTo(secret);
        assertThat(start.path("expires_in").asInt()).isEqualTo(300);
        assertThat(start.path("interval").asInt()).isEqualTo(2);
        assertThat(start.path("login_url").asText()).startsWith("http://127.0.0.1:" + PORT + "/auth/cli/authorize?login=")
                .doesNotContain(secret).doesNotContain(code);
        assertThat(poll(second, code, secret).json().path("status").asText()).isEqualTo("pending");

        String sub = "lee-" + UUID.randomUUID();
        TestBrowser browser = browserOf(sub, "lee@example.com");
        TestBrowser.Page done = browser.open(start.path("login_url").asText());
        assertThat(done.status()).as(done.body()).isEqualTo(200);
        assertThat(done.body()).contains("signed in").contains(start.path("verification_code").asText());
        String authorizeUrl = browser.visited().stream().map(p -> p.uri().toString())
                .filter(u -> u.startsWith(IDP.issuer("corp") + "/authorize")).findFirst()
                .orElseThrow(() -> new AssertionError("never at the IdP: " + browser.visited()));
        assertThat(authorizeUrl).contains("code_challenge_method=S256").contains("code_challenge=").contains("nonce=")
                .contains("redirect_uri=http%3A%2F%2F127.0.0.1%3A" + PORT + "%2Fauth%2Fcli%2Fcallback");

        Api.Reply wrongSecret = poll(second, code, "x".repeat(43));
        assertThat(wrongSecret.status()).isEqualTo(404);
        Api.Reply got = poll(second, code, secret);
        assertThat(got.status()).as(got.toString()).isEqualTo(200);
        assertThat(got.json().path("status").asText()).isEqualTo("complete");
        String idToken = got.json().path("token").asText();
        assertThat(got.json().path("expires_at").asText()).isNotEmpty();
        Api.Reply who = me(api, idToken);
        assertThat(who.status()).as(who.toString()).isEqualTo(200);
        assertThat(who.json().path("subject").asText()).isEqualTo(sub);
        assertThat(who.json().path("auth_method").asText()).isEqualTo("oidc");
        // The token is what Claude Code sends: the Anthropic SDK puts it in x-api-key.
        com.anthropic.client.AnthropicClient claude = com.anthropic.client.okhttp.AnthropicOkHttpClient.builder()
                .baseUrl(api.base()).apiKey(idToken).maxRetries(0).build();
        com.anthropic.models.messages.Message answer = claude.messages().create(com.anthropic.models.messages.MessageCreateParams
                .builder().model("claude-sonnet-4-5").maxTokens(64).addUserMessage("hello from SSO").build());
        assertThat(answer.content()).isNotEmpty();
        claude.close();

        // Once only: the session code replayed is gone, and so is the callback.
        Api.Reply again = poll(api, code, secret);
        assertThat(again.status()).isEqualTo(410);
        assertThat(again.json().path("status").asText()).isEqualTo("expired");
        String callback = browser.visited().stream().map(p -> p.uri().toString())
                .filter(u -> u.contains("/auth/cli/callback")).findFirst().orElseThrow();
        TestBrowser.Page replay = new TestBrowser(sub, null).open(callback);
        assertThat(replay.status()).isEqualTo(409);
        assertThat(new TestBrowser(sub, null).open(start.path("login_url").asText()).status()).isEqualTo(409);
    }

    @Test
    void pollingSomeoneElsesSessionIsLikePollingNone() {
        JsonNode mine = startCliLogin();
        JsonNode theirs = startCliLogin();
        Api.Reply r = poll(api, theirs.path("session_code").asText(), mine.path("poll_secret").asText());
        assertThat(r.status()).isEqualTo(404);
        Api.Reply unknown = poll(api, "A".repeat(43), mine.path("poll_secret").asText());
        assertThat(unknown.status()).isEqualTo(404);
        Api.Reply noSecret = api.get("/auth/cli/poll?session_code=" + theirs.path("session_code").asText(), null);
        assertThat(noSecret.status()).isEqualTo(404);
    }

    @Test
    void completingTwiceIsAConflictAndAnUnknownCodeIsNotFound() {
        JsonNode start = startCliLogin();
        String sub = "max-" + UUID.randomUUID();
        TestBrowser browser = browserOf(sub, null);
        browser.open(start.path("login_url").asText());
        String callbackPage = browser.visited().stream().filter(p -> p.uri().toString().contains("/auth/cli/callback"))
                .findFirst().orElseThrow().body();
        Matcher m = Pattern.compile("name=\"complete_code\" value=\"([^\"]+)\"").matcher(callbackPage);
        assertThat(m.find()).isTrue();
        Api.Reply again = api.post("/auth/cli/complete", null, Map.of("complete_code", m.group(1)));
        assertThat(again.status()).as(again.toString()).isEqualTo(409);
        assertThat(api.post("/auth/cli/complete", null, Map.of("complete_code", "B".repeat(43))).status()).isEqualTo(404);
    }

    @Test
    void aRefusedSignInStopsThePoller() {
        UUID idp = createIdp("closed", "auto_provision", false);
        Api.Reply r = api.get("/auth/cli/login?idp=" + idp, null);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        String sub = "ned-" + UUID.randomUUID();
        TestBrowser.Page page = browserOf(sub, null).open(r.json().path("login_url").asText());
        assertThat(page.status()).isEqualTo(403);
        assertThat(page.body()).contains("an admin must create the user");
        Api.Reply p = poll(api, r.json().path("session_code").asText(), r.json().path("poll_secret").asText());
        assertThat(p.status()).isEqualTo(410);
        assertThat(p.json().path("status").asText()).isEqualTo("failed");
    }

    @Test
    void cliLoginAtAnUnknownIdpIsNotFound() {
        assertThat(api.get("/auth/cli/login?idp=" + UUID.randomUUID(), null).status()).isEqualTo(404);
        assertThat(api.get("/auth/cli/login?idp=nope", null).status()).isEqualTo(400);
    }

    // --- portal SSO and the token script -------------------------------------------------------------

    @Test
    void portalSignInEndsWithAGatewaySession() {
        String sub = "ola-" + UUID.randomUUID();
        TestBrowser browser = browserOf(sub, "ola@example.com");
        TestBrowser.Page page = browser.open(api.base() + "/auth/sso/login");
        assertThat(page.status()).as(page.body()).isEqualTo(200);
        Matcher m = Pattern.compile("'(ccag-session-[0-9a-f]+)'").matcher(page.body());
        assertThat(m.find()).as(page.body()).isTrue();
        Api.Reply who = me(api, m.group(1));
        assertThat(who.status()).as(who.toString()).isEqualTo(200);
        assertThat(who.json().path("auth_method").asText()).isEqualTo("session");
        assertThat(who.json().path("subject").asText()).isEqualTo(sub);
        String callback = browser.visited().stream().map(p -> p.uri().toString())
                .filter(u -> u.contains("/auth/sso/callback")).findFirst().orElseThrow();
        assertThat(new TestBrowser(sub, null).open(callback).status()).isEqualTo(409);
    }

    @Test
    void tokenScriptIsServedForThisGateway() {
        Api.Reply r = api.get("/auth/setup/token-script", null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.raw().body()).startsWith("#!/usr/bin/env bash")
                .contains("CCAG_URL=\"${CCAG_URL:-http://127.0.0.1:" + PORT + "}\"")
                .contains("X-CCAG-Poll-Secret");
    }

    @Test
    void tokenScriptSignsInThroughTheBrowserThenReusesItsCache(@org.junit.jupiter.api.io.TempDir java.nio.file.Path home)
            throws Exception {
        java.nio.file.Path script = home.resolve("proxy-login.sh");
        java.nio.file.Files.writeString(script, api.get("/auth/setup/token-script", null).raw().body());
        // The "browser": follows the redirects through the IdP and submits the page's completion form, as a browser does.
        java.nio.file.Path browser = home.resolve("browser.sh");
        java.nio.file.Files.writeString(browser, """
                #!/usr/bin/env bash
                echo opened >> "%s/opened"
                login=$(curl -sL -o /dev/null -w '%%{url_effective}' "$1")
                page=$(curl -sL --data-urlencode "username=$SIGN_IN_AS" --data-urlencode "claims=" "$login")
                code=$(printf '%%s' "$page" | sed -n 's/.*name="complete_code" value="\\([^"]*\\)".*/\\1/p')
                curl -s -o /dev/null -X POST --data-urlencode "complete_code=$code" "%s/auth/cli/complete"
                """.formatted(home, api.base()));
        browser.toFile().setExecutable(true);
        String sub = "pat-" + UUID.randomUUID();

        String first = runScript(script, home, browser, sub);
        Api.Reply who = me(api, first);
        assertThat(who.status()).as(who.toString()).isEqualTo(200);
        assertThat(who.json().path("subject").asText()).isEqualTo(sub);
        String second = runScript(script, home, browser, sub);
        assertThat(second).isEqualTo(first);
        assertThat(java.nio.file.Files.readAllLines(home.resolve("opened"))).hasSize(1);
        java.nio.file.Path tokenFile = home.resolve(".claude/tokens").toFile().listFiles()[0].toPath();
        assertThat(java.nio.file.Files.getPosixFilePermissions(tokenFile))
                .containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                        java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
    }

    private static String runScript(java.nio.file.Path script, java.nio.file.Path home, java.nio.file.Path browser, String sub)
            throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", script.toString()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().put("HOME", home.toString());
        pb.environment().put("BROWSER", browser.toString());
        pb.environment().put("SIGN_IN_AS", sub);
        Process p = pb.start();
        assertThat(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(err).isZero();
        assertThat(out).as("exactly one line: the token").matches("[A-Za-z0-9_.-]+\\n");
        return out.strip();
    }
}
