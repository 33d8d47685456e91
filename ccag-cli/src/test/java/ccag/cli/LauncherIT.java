package ccag.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged launcher script and jar, run as a user runs them: a separate process, on the JDKs present. */
class LauncherIT {
    private static final Path LAUNCHER = Path.of(System.getProperty("basedir", "."), "target", "ccagctl");
    private static final Path JDK17 = Path.of("/usr/lib/jvm/java-17-openjdk-amd64");

    @TempDir
    Path home;

    record Run(int code, String out, String err) {
    }

    private Run launch(Map<String, String> extraEnv, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(LAUNCHER.toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        Map<String, String> env = pb.environment();
        env.put("HOME", home.toString());
        env.put("XDG_CACHE_HOME", home.resolve("cache").toString());
        env.put("CCAGCTL_CONFIG_DIR", home.resolve("config").toString());
        env.remove("CCAG_SERVER");
        env.remove("CCAG_TOKEN");
        env.putAll(extraEnv);
        Path out = home.resolve("stdout");
        Path err = home.resolve("stderr");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
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
        Run first = launch(env, "--version");
        assertThat(first.code()).as(first.toString()).isZero();
        assertThat(first.out()).startsWith("ccagctl ").contains("Java " + System.getProperty("java.version"));
        assertThat(first.out().lines()).hasSize(2);
        if (Runtime.version().feature() >= 19) {
            assertThat(archives()).hasSize(1);
        }
        Run second = launch(env, "--version");
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
        Run r = launch(Map.of("JAVA_HOME", System.getProperty("java.home"), "CCAG_TOKEN", "t"),
                "--server", "http://127.0.0.1:" + port, "keys", "list");
        assertThat(r.code()).isEqualTo(7);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("cannot reach");
        Run usage = launch(Map.of("JAVA_HOME", System.getProperty("java.home")), "keys", "list", "--bogus");
        assertThat(usage.code()).isEqualTo(2);
        assertThat(usage.out()).isEmpty();
    }

    @Test
    void runsOnJava17WithoutAnArchive() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(JDK17.resolve("bin/java")), "no JDK 17 on this machine");
        Run r = launch(Map.of("JAVA_HOME", JDK17.toString()), "--version");
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
        // A PATH with the tools the script uses but no java on it.
        Path tools = home.resolve("tools");
        Files.createDirectories(tools);
        for (String tool : new String[] {"sed", "dirname", "readlink", "uname", "mkdir", "rm", "stat", "cksum", "cut"}) {
            for (String dir : new String[] {"/usr/bin", "/bin"}) {
                Path bin = Path.of(dir, tool);
                if (Files.isExecutable(bin) && !Files.exists(tools.resolve(tool))) {
                    Files.createSymbolicLink(tools.resolve(tool), bin);
                }
            }
        }
        Run r = launch(Map.of("JAVA_HOME", oldJdk.toString(), "PATH", tools.toString()), "--version");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("needs Java 17 or newer").contains("11.0.2");
    }
}
