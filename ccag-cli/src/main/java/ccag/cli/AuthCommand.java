package ccag.cli;

import ccag.api.LoginRequest;
import ccag.api.LoginResponse;
import ccag.api.MeView;
import ccag.cli.CredentialStore.Session;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ccagctl auth}: the admin session (tier 1: password → session token). */
@Command(name = "auth", description = "Log in with a password, log out, show who you are.",
        subcommands = {AuthCommand.Login.class, AuthCommand.Logout.class, AuthCommand.Status.class, AuthCommand.Token.class})
final class AuthCommand extends CommandGroup {
    /** A password longer than this on stdin is a mistake (a file piped by accident), not a password. */
    private static final int MAX_PASSWORD_BYTES = 4096;

    @Command(name = "login", description = {
        "Log in with a username and password; saves the session token (never the password) for the profile.",
        "The password is read from the terminal without echo, or from stdin with --password-stdin."})
    static final class Login extends CliCommand {
        @Option(names = {"-u", "--username"}, required = true, paramLabel = "USER", description = "Account name, e.g. admin.")
        String username;

        @Option(names = "--password-stdin", description = "Read the password from stdin (for scripts: printf %%s \"$PW\" | ccagctl auth login -u admin --password-stdin).")
        boolean passwordStdin;

        @Override
        void run() {
            Target target = target();
            char[] password = passwordStdin ? readStdin() : prompt(target);
            LoginResponse login;
            try {
                JsonNode answer = anonymous(target).post(ApiClient.path("auth", "login"), new LoginRequest(username, new String(password)));
                login = answer == null ? null : Json.MAPPER.treeToValue(answer, LoginResponse.class);
            } catch (CliException e) {
                if (e.exitCode() == ExitCodes.NOT_AUTHENTICATED) {
                    throw new CliException(e.exitCode(), e.getMessage().replaceFirst("^not authenticated", "login failed"),
                            "check the username and password");
                }
                throw e;
            } catch (IOException | IllegalArgumentException e) {
                throw new CliException(ExitCodes.SERVER_ERROR, "unexpected answer to the login from " + target.server());
            } finally {
                Arrays.fill(password, '\0');
            }
            if (login == null || login.token() == null || login.token().isBlank()) {
                throw new CliException(ExitCodes.SERVER_ERROR, "the login answer of " + target.server() + " holds no token");
            }
            credentials().saveSession(target.profile(), new Session(target.server(), username, login.token(), login.expiresAt()));
            ConfigStore config = config();
            java.util.Optional<String> configured = config.server(target.profile());
            if (configured.isEmpty()) {
                config.setServer(target.profile(), target.server());
            } else if (!configured.get().equals(target.server())) {
                output().info("note: profile '" + target.profile() + "' uses " + configured.get() + " when no server is given;"
                        + " to make this server its own: ccagctl " + (target.profileGiven() ? "--profile " + target.profile() + " " : "")
                        + "config set-server " + target.server());
            }
            if (target.url().scheme().equals("http") && !isLoopback(target.url().host())) {
                output().info("warning: " + target.server() + " is plain HTTP: the password and token crossed the network unencrypted");
            }
            output().info("Logged in to " + target.server() + " as " + username
                    + (target.profile().equals(ConfigStore.DEFAULT_PROFILE) ? "" : " (profile " + target.profile() + ")")
                    + (login.expiresAt() != null ? "; the session expires at " + Output.time(login.expiresAt()) : "") + ".");
            if (output().json()) {
                ObjectNode result = Json.MAPPER.createObjectNode();
                result.put("server", target.server());
                result.put("profile", target.profile());
                result.put("username", username);
                if (login.expiresAt() != null) {
                    result.put("expires_at", login.expiresAt().toString());
                }
                output().printJson(result);
            }
        }

        private char[] prompt(Target target) {
            Terminal terminal = env().terminal();
            if (!terminal.interactive()) {
                throw CliException.usage("no terminal to ask for the password on",
                        "pipe it in: printf '%s' \"$PASSWORD\" | ccagctl auth login --username " + username + " --password-stdin");
            }
            char[] pw = terminal.readPassword("Password for " + username + " at " + target.server() + ": ");
            if (pw == null || pw.length == 0) {
                throw CliException.usage("no password given");
            }
            return pw;
        }

        /** All of stdin, without the one line break that {@code echo} or a heredoc adds. */
        private char[] readStdin() {
            try {
                InputStream in = env().stdin();
                ByteArrayOutputStream buf = new ByteArrayOutputStream();
                byte[] chunk = new byte[1024];
                int n;
                while ((n = in.read(chunk)) != -1) {
                    buf.write(chunk, 0, n);
                    if (buf.size() > MAX_PASSWORD_BYTES) {
                        throw CliException.usage("--password-stdin: more than " + MAX_PASSWORD_BYTES + " bytes on stdin; that is not a password");
                    }
                }
                String s = buf.toString(StandardCharsets.UTF_8);
                if (s.endsWith("\r\n")) {
                    s = s.substring(0, s.length() - 2);
                } else if (s.endsWith("\n")) {
                    s = s.substring(0, s.length() - 1);
                }
                if (s.isEmpty()) {
                    throw CliException.usage("--password-stdin: stdin is empty");
                }
                return s.toCharArray();
            } catch (IOException e) {
                throw CliException.local("cannot read the password from stdin: " + e.getMessage());
            }
        }

        private static boolean isLoopback(String host) {
            return host.equals("localhost") || host.startsWith("127.") || host.equals("::1") || host.equals("[::1]");
        }
    }

    @Command(name = "logout", description = "Revoke the saved session on the server and forget it locally.")
    static final class Logout extends CliCommand {
        @Override
        void run() {
            Target target = target();
            CredentialStore store = credentials();
            Session s = store.session(target.profile()).orElse(null);
            if (s == null) {
                output().info("Not logged in" + (target.profile().equals(ConfigStore.DEFAULT_PROFILE) ? "" : " (profile " + target.profile() + ")") + ".");
                return;
            }
            // The token is revoked on the server it came from, whatever --server says now.
            Target issuer = new Target(target.profile(), target.profileGiven(), s.server(),
                    Target.parseServer(s.server(), "the saved session"), "the saved session in " + store.path());
            store.removeSession(target.profile());
            try {
                new ApiClient(env().http(), issuer, s.token(), List.of(), Ccagctl.userAgent()).post(ApiClient.path("auth", "logout"), null);
            } catch (CliException e) {
                if (e.exitCode() != ExitCodes.NOT_AUTHENTICATED) {
                    throw e.withHint("the session was removed from this machine, but the server did not confirm the revocation;"
                            + " the token stays valid until it expires");
                }
                // 401: the server no longer knew the token (expired or already revoked); nothing left to revoke.
            }
            output().info("Logged out of " + s.server() + ".");
        }
    }

    @Command(name = "status", description = "Show who you are on the server (calls GET /auth/me).")
    static final class Status extends CliCommand {
        @Override
        void run() {
            ApiClient api = admin();
            JsonNode answer = api.get(ApiClient.path("auth", "me"));
            if (output().json()) {
                output().printJson(answer);
                return;
            }
            MeView me = Json.MAPPER.convertValue(answer, MeView.class);
            List<List<String>> f = new ArrayList<>();
            f.add(List.of("Server", api.target().server()));
            f.add(List.of("Profile", api.target().profile()));
            f.add(Arrays.asList("User", me.subject()));
            f.add(Arrays.asList("User id", Output.text(me.userId())));
            f.add(Arrays.asList("Email", me.email()));
            f.add(Arrays.asList("Role", me.role() == null ? null : me.role().wireName()));
            f.add(Arrays.asList("Team", Output.text(me.teamId())));
            f.add(Arrays.asList("Signed in with", env().variable("CCAG_TOKEN") != null ? me.authMethod() + " (CCAG_TOKEN)" : me.authMethod()));
            f.add(Arrays.asList("Expires", Output.time(me.expiresAt())));
            output().fields(f);
        }
    }

    @Command(name = "token", description = "Print the saved session token, e.g. for curl: -H \"authorization: Bearer $(ccagctl auth token)\".")
    static final class Token extends CliCommand {
        @Override
        void run() {
            output().result(currentSession(target()).token());
        }
    }
}
