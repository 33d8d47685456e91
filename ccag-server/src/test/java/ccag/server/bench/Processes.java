package ccag.server.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The packaged jar started as its own JVM (simulator or gateway), its output kept in a file. */
final class Processes {
    private Processes() {
    }

    static final class Jvm implements AutoCloseable {
        final String name;
        final Process process;
        final Path log;

        Jvm(String name, Process process, Path log) {
            this.name = name;
            this.process = process;
            this.log = log;
        }

        String output() {
            try {
                return Files.readString(log);
            } catch (IOException e) {
                return "";
            }
        }

        long pid() {
            return process.pid();
        }

        void awaitOutput(String marker, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                if (output().contains(marker)) {
                    return;
                }
                if (!process.isAlive()) {
                    throw new IllegalStateException(name + " exited with " + process.exitValue() + ", log " + log + ":\n" + output());
                }
                Thread.sleep(100);
            }
            throw new IllegalStateException(name + " did not print '" + marker + "' in time, log " + log);
        }

        @Override
        public void close() throws InterruptedException {
            if (process.isAlive()) {
                process.destroy();
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                }
            }
        }
    }

    static Jvm start(String name, Path dir, List<String> jvmOptions, Path jar, List<String> args, Map<String, String> env)
            throws IOException {
        Path log = dir.resolve(name + ".log");
        List<String> cmd = new ArrayList<>();
        cmd.add(javaBinary("java"));
        cmd.addAll(jvmOptions);
        cmd.add("-jar");
        cmd.add(jar.toString());
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("CCAG_") || k.startsWith("OIDC_") || k.startsWith("AWS_")
                || k.startsWith("DATABASE_") || k.equals("ADMIN_PASSWORD") || k.equals("ADMIN_USERNAME")
                || k.startsWith("BEDROCK_"));
        pb.environment().putAll(env);
        return new Jvm(name, pb.start(), log);
    }

    static String javaBinary(String tool) {
        return Path.of(System.getProperty("java.home"), "bin", tool).toString();
    }

    /** Runs a JDK tool (jcmd) for at most a minute and returns its output. */
    static String run(String... cmd) throws IOException, InterruptedException {
        Path out = Files.createTempFile("ccag-bench-tool", ".txt");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        String text = Files.readString(out);
        Files.deleteIfExists(out);
        return text;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
