package ccag.cli;

import ccag.cli.CredentialStore.Session;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A leaf command. Gives access to what every command needs: the environment, the output, the config and
 * credential stores, the resolved server ({@link #target()}) and API clients with or without the admin session.
 * A command does its work in {@link #run()} and reports failures by throwing {@link CliException}.
 */
abstract class CliCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    private Output output;

    @Override
    public final Integer call() {
        run();
        return ExitCodes.OK;
    }

    abstract void run();

    final Ccagctl root() {
        return (Ccagctl) spec.root().userObject();
    }

    final CliEnvironment env() {
        return root().env();
    }

    final Output output() {
        if (output == null) {
            output = new Output(root().format(), env().out(), env().err());
        }
        return output;
    }

    final ConfigStore config() {
        return new ConfigStore(ConfigFiles.configDir(env()));
    }

    final CredentialStore credentials() {
        return new CredentialStore(ConfigFiles.configDir(env()));
    }

    /** The profile named by {@code --profile}, else the current one. */
    final String profile() {
        String given = root().profileOption();
        return given != null ? Args.profile(given) : config().currentProfile();
    }

    /** The server: {@code --server}, else {@code $CCAG_SERVER}, else the profile's server. */
    final Target target() {
        String profile = profile();
        boolean profileGiven = root().profileOption() != null;
        String raw;
        String source;
        if (root().serverOption() != null) {
            raw = root().serverOption();
            source = "--server";
        } else if (env().variable("CCAG_SERVER") != null) {
            raw = env().variable("CCAG_SERVER");
            source = "CCAG_SERVER";
        } else {
            ConfigStore config = config();
            raw = config.server(profile).orElseThrow(() -> CliException.usage(
                    "no server configured" + (profile.equals(ConfigStore.DEFAULT_PROFILE) ? "" : " for profile '" + profile + "'"),
                    "pass --server URL, set CCAG_SERVER, or run: ccagctl " + (profileGiven ? "--profile " + profile + " " : "")
                            + "config set-server URL"));
            source = "profile '" + profile + "' in " + config.path();
        }
        okhttp3.HttpUrl url = Target.parseServer(raw, source);
        return new Target(profile, profileGiven, Target.canonical(url), url, source);
    }

    /** A client for calls that need no credential (login). */
    final ApiClient anonymous(Target target) {
        return new ApiClient(env().http(), target, null, List.of(), Ccagctl.userAgent());
    }

    /**
     * A client carrying the admin credential: {@code $CCAG_TOKEN} if set, else the profile's saved session, which
     * must belong to the same server and must not have expired.
     */
    final ApiClient admin() {
        Target t = target();
        String envToken = env().variable("CCAG_TOKEN");
        if (envToken != null) {
            return new ApiClient(env().http(), t, envToken.trim(),
                    List.of("the token in CCAG_TOKEN was refused; set a valid one, or unset it to use the saved session"),
                    Ccagctl.userAgent());
        }
        Session s = currentSession(t);
        return new ApiClient(env().http(), t, s.token(),
                List.of("the session may have expired or been revoked; log in again: " + t.loginCommand(s.username())),
                Ccagctl.userAgent());
    }

    /** The saved session usable for {@code t}, or a not-authenticated failure that says how to log in. */
    final Session currentSession(Target t) {
        CredentialStore store = credentials();
        String warning = store.permissionProblem();
        if (warning != null) {
            output().info("warning: " + warning);
        }
        String where = t.server() + (t.profile().equals(ConfigStore.DEFAULT_PROFILE) ? "" : " (profile " + t.profile() + ")");
        Session s = store.session(t.profile()).orElseThrow(() -> CliException.notAuthenticated(
                "not logged in to " + where, "log in: " + t.loginCommand(null)));
        if (!s.server().equals(t.server())) {
            throw CliException.notAuthenticated("not logged in to " + where + ": the saved session of profile '" + t.profile()
                    + "' is for " + s.server(), "log in: " + t.loginCommand(s.username()));
        }
        if (s.expiresAt() != null && !s.expiresAt().isAfter(env().clock().instant())) {
            throw CliException.notAuthenticated("your session on " + where + " expired at " + Output.time(s.expiresAt()),
                    "log in again: " + t.loginCommand(s.username()));
        }
        return s;
    }

    /** After a change: the server's answer in JSON mode, and a confirmation on stderr. */
    final void printUpdate(com.fasterxml.jackson.databind.JsonNode answer, String message) {
        if (output().json() && answer != null) {
            output().printJson(answer);
        }
        output().info(message);
    }
}
