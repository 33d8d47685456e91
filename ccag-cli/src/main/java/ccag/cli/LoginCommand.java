package ccag.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.Response;
import picocli.CommandLine.Command;

/**
 * {@code ccagctl login}: Claude Code's apiKeyHelper. Prints exactly one line on stdout, a valid token for the
 * server: the cached one while it has more than a minute left, else a new one from a browser sign-in at the
 * gateway's identity provider. Never reads stdin; any failure is one line on stderr and a non-zero exit.
 */
@Command(name = "login", description = {
    "Print a token for the gateway on stdout (single sign-on in the browser when the cached one is about to expire).",
    "Made for Claude Code's apiKeyHelper: see 'ccagctl setup claude-code'."})
final class LoginCommand extends CliCommand {
    /** A token with less than this left is renewed: Claude Code may hold it a little while before using it. */
    static final Duration RENEW_BEFORE = Duration.ofSeconds(60);
    /** After a failed sign-in, no new browser tab for this long (apiKeyHelper may be retried in a tight loop). */
    static final Duration COOL_DOWN = Duration.ofSeconds(30);
    /** How long a second invocation waits for the sign-in another one has started. */
    static final Duration LOCK_WAIT = Duration.ofMinutes(6);
    static final String POLL_SECRET_HEADER = "X-CCAG-Poll-Secret";

    @Override
    void run() {
        Target target = target();
        TokenCache cache = new TokenCache(ConfigFiles.configDir(env()).resolve("sso"), target.server());
        Optional<String> cached = cache.valid(now());
        if (cached.isPresent()) {
            output().result(cached.get());
            return;
        }
        try (FileLockHandle lock = cache.lock(LOCK_WAIT)) {
            // Another invocation may have signed in while this one waited for the lock.
            cached = cache.valid(now());
            if (cached.isPresent()) {
                output().result(cached.get());
                return;
            }
            Instant failed = cache.lastFailure();
            if (failed != null && now().isBefore(failed.plus(COOL_DOWN))) {
                throw CliException.notAuthenticated("the last sign-in to " + target.server() + " failed "
                        + Duration.between(failed, now()).toSeconds() + " s ago; try again in a few seconds");
            }
            try {
                Token t = signIn(target);
                cache.store(t);
                output().result(t.token());
            } catch (CliException e) {
                cache.markFailure();
                throw new CliException(e.exitCode(), e.getMessage()); // one line: no hints
            }
        }
    }

    private Instant now() {
        return env().clock().instant();
    }

    record Token(String token, Instant expiresAt) {
        @Override
        public String toString() {
            return "Token[expiresAt=" + expiresAt + "]";
        }
    }

    private Token signIn(Target target) {
        JsonNode start = anonymous(target).get(ApiClient.path("auth", "cli", "login"));
        String sessionCode = start.path("session_code").asText("");
        String secret = start.path("poll_secret").asText("");
        String loginUrl = start.path("login_url").asText("");
        if (sessionCode.isEmpty() || secret.isEmpty() || loginUrl.isEmpty()) {
            throw new CliException(ExitCodes.SERVER_ERROR, target.server() + " did not start a browser sign-in");
        }
        int interval = Math.max(1, start.path("interval").asInt(2));
        int expiresIn = Math.max(interval, start.path("expires_in").asInt(300));
        output().info("Signing in to " + target.server() + " in your browser. Verification code: "
                + start.path("verification_code").asText("?") + " (the browser page shows the same; if not, close it).");
        if (!env().browser().open(loginUrl)) {
            output().info("Open this URL in a browser to sign in: " + loginUrl);
        }
        Instant deadline = now().plusSeconds(expiresIn);
        HttpUrl pollUrl = target.url().newBuilder().addPathSegments("auth/cli/poll")
                .addQueryParameter("session_code", sessionCode).build();
        while (now().isBefore(deadline)) {
            sleep(interval);
            Request req = new Request.Builder().url(pollUrl).header(POLL_SECRET_HEADER, secret)
                    .header("user-agent", Ccagctl.userAgent()).get().build();
            try (Response r = env().http().newCall(req).execute()) {
                String body = r.body().string();
                JsonNode json = body.isEmpty() ? Json.MAPPER.createObjectNode() : Json.MAPPER.readTree(body);
                String status = json.path("status").asText("");
                if (r.code() == 200 && status.equals("complete")) {
                    String token = json.path("token").asText("");
                    if (token.isEmpty()) {
                        throw new CliException(ExitCodes.SERVER_ERROR, target.server() + " completed the sign-in without a token");
                    }
                    Instant exp = json.hasNonNull("expires_at") ? Instant.parse(json.path("expires_at").asText()) : now().plusSeconds(300);
                    return new Token(token, exp);
                }
                if (r.code() == 200) {
                    continue; // pending
                }
                if (r.code() == 410 && status.equals("failed")) {
                    throw CliException.notAuthenticated("the sign-in was refused (the browser page says why)");
                }
                if (r.code() == 410) {
                    throw CliException.notAuthenticated("the sign-in expired before it was completed");
                }
                if (r.code() == 404) {
                    throw CliException.notAuthenticated(target.server() + " no longer knows this sign-in");
                }
                if (r.code() >= 500) {
                    continue; // an instance restarting: keep polling until the deadline
                }
                throw new CliException(ExitCodes.SERVER_ERROR, "unexpected answer " + r.code() + " from " + target.server() + " while waiting");
            } catch (IOException e) {
                // A dropped connection: keep polling until the deadline.
            }
        }
        throw CliException.notAuthenticated("timed out waiting for the browser sign-in");
    }

    private static void sleep(int seconds) {
        try {
            Thread.sleep(seconds * 1000L);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CliException.local("interrupted");
        }
    }

    interface FileLockHandle extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * The cached token of one server ({@code sso/<hash>.json}, owner-only), its lock file, and the marker of the
     * last failed sign-in. The ID token is all that is kept: no refresh token is stored.
     */
    static final class TokenCache {
        private final Path dir;
        private final String server;
        private final Path file;
        private final Path lockFile;
        private final Path failFile;

        TokenCache(Path dir, String server) {
            this.dir = dir;
            this.server = server;
            String name = slug(server);
            this.file = dir.resolve(name + ".json");
            this.lockFile = dir.resolve(name + ".lock");
            this.failFile = dir.resolve(name + ".failed");
        }

        Path file() {
            return file;
        }

        Optional<String> valid(Instant now) {
            try {
                if (!Files.isRegularFile(file)) {
                    return Optional.empty();
                }
                JsonNode n = Json.MAPPER.readTree(Files.readAllBytes(file));
                if (!server.equals(n.path("server").asText()) || !n.hasNonNull("token") || !n.hasNonNull("expires_at")) {
                    return Optional.empty();
                }
                Instant exp = Instant.parse(n.path("expires_at").asText());
                return now.plus(RENEW_BEFORE).isBefore(exp) ? Optional.of(n.path("token").asText()) : Optional.empty();
            } catch (IOException | RuntimeException e) {
                return Optional.empty(); // unreadable cache: sign in again
            }
        }

        void store(Token t) {
            ObjectNode n = Json.MAPPER.createObjectNode();
            n.put("server", server);
            n.put("token", t.token());
            n.put("expires_at", t.expiresAt().toString());
            try {
                ConfigFiles.writeAtomically(file, Json.MAPPER.writeValueAsBytes(n));
                Files.deleteIfExists(failFile);
            } catch (IOException e) {
                throw CliException.local("cannot write " + file + ": " + e.getMessage());
            }
        }

        Instant lastFailure() {
            try {
                return Files.isRegularFile(failFile) ? Files.getLastModifiedTime(failFile).toInstant() : null;
            } catch (IOException e) {
                return null;
            }
        }

        void markFailure() {
            try {
                ConfigFiles.writeAtomically(failFile, new byte[0]);
            } catch (IOException e) {
                // best effort: without the marker the next call just tries again
            }
        }

        /** Holds the server's lock file, waiting up to {@code wait} for another invocation to finish. */
        FileLockHandle lock(Duration wait) {
            try {
                ConfigFiles.writeAtomically(dir.resolve(".keep"), new byte[0]);
                FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                long deadline = System.nanoTime() + wait.toNanos();
                while (true) {
                    FileLock lock;
                    try {
                        lock = ch.tryLock();
                    } catch (OverlappingFileLockException e) {
                        lock = null; // held by another invocation in this same JVM
                    }
                    if (lock != null) {
                        FileLock held = lock;
                        return () -> {
                            try {
                                held.release();
                                ch.close();
                            } catch (IOException e) {
                                // the lock goes with the process anyway
                            }
                        };
                    }
                    if (System.nanoTime() > deadline) {
                        ch.close();
                        throw CliException.local("another ccagctl login for " + server + " is still waiting for its sign-in");
                    }
                    Thread.sleep(200);
                }
            } catch (IOException e) {
                throw CliException.local("cannot lock " + lockFile + ": " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw CliException.local("interrupted");
            }
        }

        static String slug(String server) {
            try {
                byte[] d = MessageDigest.getInstance("SHA-256").digest(server.getBytes(StandardCharsets.UTF_8));
                String host = server.replaceFirst("^[a-z]+://", "").replaceAll("[^A-Za-z0-9.-]", "_");
                return (host.length() > 40 ? host.substring(0, 40) : host) + "-" + HexFormat.of().formatHex(d, 0, 4);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
