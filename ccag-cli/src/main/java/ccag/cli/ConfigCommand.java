package ccag.cli;

import ccag.cli.CredentialStore.Session;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code ccagctl config}: profiles and their servers, kept in {@code config.json}. */
@Command(name = "config", description = "Set the server of a profile, choose the current profile, show the configuration.",
        subcommands = {ConfigCommand.SetServer.class, ConfigCommand.UseProfile.class, ConfigCommand.Show.class,
            ConfigCommand.DeleteProfile.class})
final class ConfigCommand extends CommandGroup {

    @Command(name = "set-server", description = "Set the server URL of the profile (--profile, else the current one).")
    static final class SetServer extends CliCommand {
        @Parameters(paramLabel = "URL", description = "e.g. https://ccag.example.com")
        String url;

        @Override
        void run() {
            String profile = profile();
            String server = Target.canonical(Target.parseServer(url, "argument"));
            config().setServer(profile, server);
            output().info("Profile '" + profile + "' now uses " + server + ".");
            Optional<Session> s = credentials().session(profile);
            if (s.isPresent() && !s.get().server().equals(server)) {
                output().info("Its saved session is for " + s.get().server() + "; log in again: ccagctl "
                        + (root().profileOption() != null ? "--profile " + profile + " " : "") + "auth login --username "
                        + (s.get().username() == null ? "USER" : s.get().username()));
            }
        }
    }

    @Command(name = "use-profile", description = "Make a profile the current one (used when --profile is not given).")
    static final class UseProfile extends CliCommand {
        @Parameters(paramLabel = "NAME", description = "Profile name; created when new.")
        String name;

        @Override
        void run() {
            config().setCurrentProfile(Args.profile(name));
            output().info("Current profile: " + name + ".");
        }
    }

    @Command(name = "delete-profile", description = "Forget a profile and its saved session (run 'auth logout' first to revoke the session).")
    static final class DeleteProfile extends CliCommand {
        @Parameters(paramLabel = "NAME", description = "Profile name.")
        String name;

        @Override
        void run() {
            Args.profile(name);
            boolean config = config().removeProfile(name);
            boolean session = credentials().removeSession(name);
            if (!config && !session) {
                throw CliException.notFound("no profile named '" + name + "'");
            }
            output().info("Deleted profile '" + name + "'.");
        }
    }

    @Command(name = "show", description = "Show the configuration directory, the profiles, their servers and sessions (never tokens).")
    static final class Show extends CliCommand {
        @Override
        void run() {
            ConfigStore config = config();
            CredentialStore creds = credentials();
            String current = config.currentProfile();
            Map<String, String> profiles = new TreeMap<>(config.profiles());
            profiles.putIfAbsent(current, "");
            String selected = root().profileOption() != null ? Args.profile(root().profileOption()) : current;
            if (output().json()) {
                ObjectNode result = Json.MAPPER.createObjectNode();
                result.put("config_dir", ConfigFiles.configDir(env()).toString());
                result.put("current_profile", current);
                putIfSet(result, "CCAG_SERVER");
                if (env().variable("CCAG_TOKEN") != null) {
                    result.put("CCAG_TOKEN", "set");
                }
                ArrayNode list = result.putArray("profiles");
                for (Map.Entry<String, String> p : profiles.entrySet()) {
                    ObjectNode o = list.addObject();
                    o.put("name", p.getKey());
                    if (!p.getValue().isEmpty()) {
                        o.put("server", p.getValue());
                    }
                    o.put("current", p.getKey().equals(current));
                    creds.session(p.getKey()).ifPresent(s -> {
                        ObjectNode so = o.putObject("session");
                        so.put("server", s.server());
                        if (s.username() != null) {
                            so.put("username", s.username());
                        }
                        if (s.expiresAt() != null) {
                            so.put("expires_at", s.expiresAt().toString());
                        }
                        so.put("expired", s.expiresAt() != null && !s.expiresAt().isAfter(env().clock().instant()));
                    });
                }
                output().printJson(result);
                return;
            }
            List<List<String>> fields = new ArrayList<>();
            fields.add(List.of("Config directory", ConfigFiles.configDir(env()).toString()));
            fields.add(List.of("Current profile", current));
            if (!selected.equals(current)) {
                fields.add(List.of("Selected profile", selected + " (--profile)"));
            }
            if (env().variable("CCAG_SERVER") != null) {
                fields.add(List.of("CCAG_SERVER", env().variable("CCAG_SERVER") + " (overrides the profile's server)"));
            }
            if (env().variable("CCAG_TOKEN") != null) {
                fields.add(List.of("CCAG_TOKEN", "set (used instead of saved sessions)"));
            }
            output().fields(fields);
            output().result("");
            List<List<String>> rows = new ArrayList<>();
            for (Map.Entry<String, String> p : profiles.entrySet()) {
                String session = creds.session(p.getKey()).map(this::describe).orElse("not logged in");
                rows.add(Arrays.asList((p.getKey().equals(current) ? "* " : "  ") + p.getKey(), p.getValue(), session));
            }
            output().table(List.of("  PROFILE", "SERVER", "SESSION"), rows);
            String warning = creds.permissionProblem();
            if (warning != null) {
                output().info("warning: " + warning);
            }
        }

        private String describe(Session s) {
            boolean expired = s.expiresAt() != null && !s.expiresAt().isAfter(env().clock().instant());
            return (s.username() == null ? "logged in" : s.username())
                    + (s.expiresAt() == null ? "" : (expired ? ", expired at " : ", until ") + Output.time(s.expiresAt()))
                    + (s.server() != null ? " on " + s.server() : "");
        }

        private void putIfSet(ObjectNode o, String variable) {
            String v = env().variable(variable);
            if (v != null) {
                o.put(variable, v);
            }
        }
    }
}
