package ccag.server.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real Claude Code CLI from npm ({@code @anthropic-ai/claude-code}, exact version), installed once
 * into a cache directory and run headless ({@code -p … --output-format json}) with a clean environment.
 */
final class ClaudeCodeCli {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path executable;
    private final String version;

    private ClaudeCodeCli(Path executable, String version) {
        this.executable = executable;
        this.version = version;
    }

    /** Installs the pinned version into {@code prefix} unless that exact version is already there. */
    static ClaudeCodeCli install(Path prefix, String version) throws IOException, InterruptedException {
        Path executable = prefix.resolve("node_modules/.bin/claude");
        if (!version.equals(installedVersion(prefix)) || !Files.isExecutable(executable)) {
            Files.createDirectories(prefix);
            Path log = prefix.resolve("npm-install.log");
            // An exact version: on Node 20 a bare install silently picks an older release (engines >= 22 from 2.1.198 on).
            Process npm = new ProcessBuilder("npm", "install", "--prefix", prefix.toString(), "--no-audit", "--no-fund",
                    "--no-save", "@anthropic-ai/claude-code@" + version)
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!npm.waitFor(15, TimeUnit.MINUTES)) {
                npm.destroyForcibly();
                throw new IllegalStateException("npm install timed out; see " + log);
            }
            if (npm.exitValue() != 0 || !version.equals(installedVersion(prefix)) || !Files.isExecutable(executable)) {
                throw new IllegalStateException("npm install of @anthropic-ai/claude-code@" + version + " failed:\n" + Files.readString(log));
            }
        }
        return new ClaudeCodeCli(executable, version);
    }

    private static String installedVersion(Path prefix) throws IOException {
        Path pkg = prefix.resolve("node_modules/@anthropic-ai/claude-code/package.json");
        return Files.exists(pkg) ? JSON.readTree(pkg.toFile()).path("version").asText(null) : null;
    }

    String version() {
        return version;
    }

    /** One run's outcome: exit code, the parsed JSON result (null when stdout is not JSON) and both streams. */
    record Run(int exit, JsonNode json, String stdout, String stderr) {
        String result() {
            return json == null ? null : json.path("result").asText(null);
        }

        boolean isError() {
            return json == null || json.path("is_error").asBoolean(true);
        }

        @Override
        public String toString() {
            return "exit " + exit + "\nstdout: " + stdout + "\nstderr: " + stderr;
        }
    }

    /**
     * Runs {@code claude <args>} in {@code cwd} with only the given environment (plus PATH): nothing of
     * the developer's own setup (keys, proxies, ~/.claude) leaks into the run.
     */
    Run run(Path cwd, Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(executable.toString());
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile("claude-out", ".json");
        Path err = Files.createTempFile("claude-err", ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        Map<String, String> clean = new LinkedHashMap<>();
        clean.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        clean.putAll(env);
        pb.environment().clear();
        pb.environment().putAll(clean);
        Process p = pb.start();
        if (!p.waitFor(3, TimeUnit.MINUTES)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError("claude did not finish in 3 minutes:\nstdout: " + Files.readString(out) + "\nstderr: " + Files.readString(err));
        }
        String stdout = Files.readString(out);
        String stderr = Files.readString(err);
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
        JsonNode json = null;
        try {
            json = stdout.isBlank() ? null : JSON.readTree(stdout);
        } catch (IOException notJson) {
            // left null; the assertion shows stdout
        }
        return new Run(p.exitValue(), json, stdout, stderr);
    }
}
