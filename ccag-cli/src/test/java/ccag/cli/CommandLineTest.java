package ccag.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ccag.cli.CliRunner.Result;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Argument parsing, usage errors and their exit codes: everything decided before a server is asked. */
class CommandLineTest {
    @TempDir
    Path home;

    private CliRunner cli;

    @BeforeEach
    void setUp() {
        cli = new CliRunner(home);
    }

    @Test
    void versionGoesToStdoutWithExitZero() {
        Result r = cli.run("--version");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).startsWith("ccagctl ").contains("Java " + System.getProperty("java.version"));
        assertThat(r.err()).isEmpty();
    }

    @Test
    void noCommandPrintsUsageOnStderrWithExit2() {
        Result r = cli.run();
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("missing command").contains("Usage: ccagctl").contains("Exit codes:");
    }

    @Test
    void aGroupWithoutItsCommandIsAUsageError() {
        Result r = cli.run("keys");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("missing command: create, list, show, revoke, delete").contains("Usage: ccagctl keys");
    }

    @Test
    void unknownOptionPrintsTheCommandsUsageOnStderrWithExit2() {
        Result r = cli.run("keys", "list", "--bogus");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith("ccagctl: Unknown option: '--bogus'").contains("Usage: ccagctl keys list");
    }

    @Test
    void unknownCommandIsAUsageError() {
        Result r = cli.run("kyes", "list");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("kyes");
    }

    @Test
    void missingRequiredOptionIsAUsageError() {
        Result r = cli.run("--server", "http://127.0.0.1:9", "keys", "create");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("Missing required option: '--name=NAME'");
    }

    @Test
    void thePasswordIsNeverAcceptedAsAnArgument() {
        Result r = cli.run("--server", "http://127.0.0.1:9", "auth", "login", "--username", "admin", "--password", "secret");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("Unknown options: '--password', 'secret'").contains("Possible solutions: --password-stdin");
    }

    @Test
    void outputFormatMustBeTextOrJson() {
        Result r = cli.run("--output", "yaml", "keys", "list");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("must be text or json, not 'yaml'");
    }

    @Test
    void roleMustBeMemberOrAdmin() {
        Result r = cli.run("--server", "http://127.0.0.1:9", "users", "set-role", "jdoe", "boss");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("role must be one of: member, admin");
    }

    @Test
    void setTeamNeedsATeamOrNone() {
        assertThat(cli.run("--server", "http://127.0.0.1:9", "users", "set-team", "jdoe").code()).isEqualTo(2);
        Result both = cli.run("--server", "http://127.0.0.1:9", "users", "set-team", "jdoe", "eng", "--none");
        assertThat(both.code()).isEqualTo(2);
        assertThat(both.err()).contains("give either TEAM or --none, not both").contains("Usage: ccagctl users set-team");
    }

    @Test
    void keyIdsAreCheckedBeforeAnythingIsSent() {
        Result r = cli.run("--server", "http://127.0.0.1:9", "keys", "show", "sk-proxy-abc1");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("not a key id");
    }

    @Test
    void negativeRateLimitIsAUsageError() {
        Result r = cli.run("--server", "http://127.0.0.1:9", "keys", "create", "--name", "k", "--rpm", "-1");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--rpm must be 0 (unlimited) or more");
    }

    @Test
    void anExpiryInThePastIsAUsageError() {
        Result r = cli.run("--server", "http://127.0.0.1:9", "keys", "create", "--name", "k", "--expires", "2001-01-01");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("is not in the future");
    }

    @Test
    void withoutAServerTheUserIsToldHowToConfigureOne() {
        Result r = cli.run("keys", "list");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("no server configured").contains("ccagctl config set-server URL").contains("CCAG_SERVER");
    }

    @Test
    void aServerUrlWithoutSchemeIsAUsageError() {
        Result r = cli.run("--server", "ccag.example.com", "keys", "list");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("must start with https:// or http://");
    }

    @Test
    void subcommandHelpGoesToStdout() {
        Result r = cli.run("keys", "create", "--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("Usage: ccagctl keys create").contains("--rpm=N").contains("--expires=WHEN");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void globalOptionsAreAcceptedAfterTheCommandToo() throws IOException {
        int port = closedPort();
        Result before = cli.env("CCAG_TOKEN", "t").run("--server", "http://127.0.0.1:" + port, "keys", "list");
        Result after = cli.run("keys", "list", "--server", "http://127.0.0.1:" + port, "-o", "json");
        assertThat(before.code()).isEqualTo(7);
        assertThat(after.code()).isEqualTo(7);
        assertThat(after.err()).contains("cannot reach http://127.0.0.1:" + port);
    }

    @Test
    void bashAndZshCompletionCoverTheCommands() {
        for (String shell : new String[] {"bash", "zsh"}) {
            Result r = cli.run("completion", shell);
            assertThat(r.code()).as(r.toString()).isZero();
            assertThat(r.out()).contains("complete -F").contains("ccagctl").contains("revoke").contains("set-team")
                    .contains("bashcompinit");
        }
        assertThat(cli.run("completion", "fish").code()).isEqualTo(2);
    }

    static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
