package ccag.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The packaged launcher script and jar (target/ccagctl, target/ccagctl.jar), run as a separate process. */
final class PackagedCli {
    static final Path LAUNCHER = Path.of(System.getProperty("basedir", "."), "target", "ccagctl");
    static final Path JDK17 = Path.of("/usr/lib/jvm/java-17-openjdk-amd64");

    private PackagedCli() {
    }

    record Run(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout ---\n" + out + "--- stderr ---\n" + err;
        }
    }

    /** Runs the launcher with HOME, cache and config directories under {@code home}, plus {@code extraEnv}. */
    static Run run(Path home, Map<String, String> extraEnv, String stdin, String... args) throws Exception {
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
        Path in = Files.createTempFile(home, "stdin", ".txt");
        Path out = Files.createTempFile(home, "stdout", ".txt");
        Path err = Files.createTempFile(home, "stderr", ".txt");
        Files.writeString(in, stdin == null ? "" : stdin);
        Process p = pb.redirectInput(in.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }
}
