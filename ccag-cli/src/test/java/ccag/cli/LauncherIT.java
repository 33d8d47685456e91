package ccag.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged launcher script and jar, run as a user runs them: a separate process, on the JDKs present. */
class LauncherIT {
    @TempDir
    Path home;

    private PackagedCli.Run launch(Map<String, String> extraEnv, String... args) throws Exception {
        return PackagedCli.run(home, extraEnv, "", args);
    }

    private List<Path> archives() throws IOException {
        Path cache = home.resolve("cache/ccagctl");
        if (!Files.isDirectory(cache)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(cache)) {
            return s.filter(p -> p.toString().endsWith(".jsa")).toList();
        }
    }

    @Test
    void onThisJdkTheLauncherCreatesAndReusesAClassDataArchiveAndKeepsStdoutForResults() throws Exception {
        Map<String, String> env = new HashMap<>(Map.of("JAVA_HOME", System.getProperty("java.home")));
        PackagedCli.Run first = launch(env, "--version");
        assertThat(first.code()).as(first.toString()).isZero();
        assertThat(first.out()).startsWith("ccagctl ").contains("Java " + System.getProperty("java.version"));
        assertThat(first.out().lines()).hasSize(2);
        if (Runtime.version().feature() >= 19) {
            assertThat(archives()).hasSize(1);
        }
        PackagedCli.Run second = launch(env, "--version");
        assertThat(second.code()).isZero();
        assertThat(second.out()).isEqualTo(first.out());
        assertThat(second.err()).isEmpty();
        if (Runtime.version().feature() >= 19) {
            assertThat(archives()).hasSize(1);
        }
    }

    @Test
    void exitCodesAndStreamsPassThroughTheLauncher() throws Exception {
        int port = CommandLineTest.closedPort();
        PackagedCli.Run r = launch(Map.of("JAVA_HOME", System.getProperty("java.home"), "CCAG_TOKEN", "t"),
                "--server", "http://127.0.0.1:" + port, "keys", "list");
        assertThat(r.code()).isEqualTo(7);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("cannot reach");
        PackagedCli.Run usage = launch(Map.of("JAVA_HOME", System.getProperty("java.home")), "keys", "list", "--bogus");
        assertThat(usage.code()).isEqualTo(2);
        assertThat(usage.out()).isEmpty();
    }

    @Test
    void runsOnJava17WithoutAnArchive() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(PackagedCli.JDK17.resolve("bin/java")), "no JDK 17 on this machine");
        PackagedCli.Run r = launch(Map.of("JAVA_HOME", PackagedCli.JDK17.toString()), "--version");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("Java 17.");
        assertThat(archives()).isEmpty();
    }

    @Test
    void refusesAJavaOlderThan17WithAClearMessage() throws Exception {
        Path oldJdk = home.resolve("jdk11");
        Files.createDirectories(oldJdk.resolve("bin"));
        Files.writeString(oldJdk.resolve("release"), "JAVA_VERSION=\"11.0.2\"\n");
        Path java = oldJdk.resolve("bin/java");
        Files.writeString(java, "#!/bin/sh\nexit 99\n");
        java.toFile().setExecutable(true);
        // A PATH with the commands the script runs but no java on it.
        Path bins = home.resolve("bin");
        Files.createDirectories(bins);
        for (String name : new String[] {"sed", "dirname", "readlink", "uname", "mkdir", "rm", "stat", "cksum", "cut"}) {
            for (String dir : new String[] {"/usr/bin", "/bin"}) {
                Path bin = Path.of(dir, name);
                if (Files.isExecutable(bin) && !Files.exists(bins.resolve(name))) {
                    // A forwarding script rather than a symlink: the temporary directory holds no links out of it.
                    Files.writeString(bins.resolve(name), "#!/bin/sh\nexec " + bin + " \"$@\"\n");
                    bins.resolve(name).toFile().setExecutable(true);
                }
            }
        }
        PackagedCli.Run r = launch(Map.of("JAVA_HOME", oldJdk.toString(), "PATH", bins.toString()), "--version");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("needs Java 17 or newer").contains("11.0.2");
    }
}
