package ccag.server.bench;

import ccag.api.Role;
import ccag.server.auth.principal.Caller;
import ccag.server.limits.RateLimiter;
import ccag.server.persistence.JdbiSetup;
import ccag.server.persistence.RateLimitDao;
import ccag.server.proxy.translate.BedrockRequest;
import ccag.server.proxy.translate.BetaPolicy;
import ccag.server.proxy.translate.LearnedRejections;
import ccag.server.proxy.translate.ModelCatalog;
import ccag.server.proxy.translate.RequestTranslator;
import ccag.server.proxy.translate.ResolvedModel;
import ccag.server.spend.PriceTable;
import ccag.server.spend.SpendLedger;
import ccag.server.upstream.BedrockUpstream;
import ccag.server.upstream.Upstream;
import ccag.server.upstream.UpstreamException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import okhttp3.OkHttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;

/**
 * Load driver of the proxy (a benchmark, not a test; docs/benchmarks.md, "Proxy"). In one run it
 * starts PostgreSQL (fsync and synchronous commit on), the standalone simulator and the packaged
 * gateway as separate processes, creates a rate-limited virtual key through the admin API, and
 * compares a 50 KB Claude Code request sent straight to the simulator (the gateway's own AWS SDK
 * client code) with the same request sent through the gateway (plain HTTP, as Claude Code sends
 * it), non-streaming and streaming, at each concurrency. Then it holds 1,000 streams open through
 * the gateway and reads the gateway's heap after a full GC.
 *
 * <pre>
 * --seconds N        measured seconds per side and scenario (default 10), in rounds of 2 s alternating direct and gateway
 * --warmup N         warm-up seconds per side and scenario (default 8)
 * --jit-warmup N     seconds of mixed JSON and streaming requests through both sides before the
 *                    scenarios (default 90): the gateway's request path needs ~10,000 requests
 *                    before the JIT has compiled it, and a gateway runs warm for days
 * --concurrency L    comma list (default 1,16)
 * --open-streams N   streams held open for the heap figure (default 1000; 0 skips)
 * --gateway-heap S   the gateway's -Xmx (default 256m)
 * --protocol h2|h1   gateway → simulator protocol, and the direct client's (default h2)
 * --jfr              record the gateway with JFR (profile settings) into target/bench/gateway.jfr
 * --database-url U   use this PostgreSQL (jdbc:postgresql://…, user from --database-user) instead of starting one
 * --jar P            the gateway jar (default ccag-server/target/ccag-server.jar)
 * --hold N           after setup, wait N seconds (print the key and ports) for manual probing
 * </pre>
 */
public final class ProxyLoadDriver {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ANSWER = "Hello from the simulator.";
    private static final String ADMIN_PASSWORD = "bench-admin-password-1";

    private int seconds = 10;
    private int warmup = 8;
    private int jitWarmup = 90;
    private List<Integer> concurrencies = List.of(1, 16);
    private int openStreams = 1000;
    private String gatewayHeap = "256m";
    private String protocol = "h2";
    private boolean jfr;
    private String databaseUrl;
    private String databaseUser = "postgres";
    private Path jar = Path.of("ccag-server/target/ccag-server.jar");

    private int hold;
    private final Path dir = Path.of("ccag-server/target/bench").toAbsolutePath();
    private final List<String> report = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        ProxyLoadDriver d = new ProxyLoadDriver();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--seconds" -> d.seconds = Integer.parseInt(args[++i]);
                case "--warmup" -> d.warmup = Integer.parseInt(args[++i]);
                case "--jit-warmup" -> d.jitWarmup = Integer.parseInt(args[++i]);
                case "--concurrency" -> d.concurrencies = Arrays.stream(args[++i].split(",")).map(String::trim)
                        .filter(s -> !s.isEmpty()).map(Integer::parseInt).toList();
                case "--open-streams" -> d.openStreams = Integer.parseInt(args[++i]);
                case "--gateway-heap" -> d.gatewayHeap = args[++i];
                case "--protocol" -> d.protocol = args[++i];
                case "--jfr" -> d.jfr = true;
                case "--database-url" -> d.databaseUrl = args[++i];
                case "--database-user" -> d.databaseUser = args[++i];
                case "--jar" -> d.jar = Path.of(args[++i]);
                case "--hold" -> d.hold = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        d.run();
        System.exit(0);
    }

    private void run() throws Exception {
        Files.createDirectories(dir);
        EmbeddedPostgres pg = null;
        String dbUrl = databaseUrl;
        if (dbUrl == null) {
            // The production settings, stated explicitly: zonky's defaults turn synchronous_commit off.
            pg = EmbeddedPostgres.builder()
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("full_page_writes", "on")
                    .setServerConfig("max_connections", "300")
                    .start();
            dbUrl = "jdbc:postgresql://127.0.0.1:" + pg.getPort() + "/postgres";
        }
        int simPort = Processes.freePort();
        int port = Processes.freePort();
        int adminPort = Processes.freePort();
        String simUrl = "http://127.0.0.1:" + simPort;
        try (Processes.Jvm sim = Processes.start("simulator", dir, List.of("-Xmx1g"), jar.toAbsolutePath(),
                List.of("simulator", "--port", Integer.toString(simPort)), Map.of())) {
            sim.awaitOutput("listening on", Duration.ofSeconds(60));
            List<String> gwOpts = new ArrayList<>(List.of("-Xmx" + gatewayHeap));
            if (jfr) {
                gwOpts.add("-XX:StartFlightRecording=filename=" + dir.resolve("gateway.jfr") + ",settings=profile,dumponexit=true");
            }
            Map<String, String> env = new LinkedHashMap<>();
            env.put("DATABASE_URL", dbUrl);
            env.put("DATABASE_USER", databaseUser);
            env.put("ADMIN_PASSWORD", ADMIN_PASSWORD);
            // Production mode against Bedrock's API at the simulator's address, as with a VPC endpoint or proxy.
            env.put("CCAG_UPSTREAM", "bedrock");
            env.put("AWS_ENDPOINT_URL_BEDROCK_RUNTIME", simUrl);
            env.put("AWS_ENDPOINT_URL_BEDROCK", simUrl);
            env.put("AWS_REGION", "us-east-1");
            env.put("AWS_ACCESS_KEY_ID", "AKIDCCAGBENCH");
            env.put("AWS_SECRET_ACCESS_KEY", "bench-secret");
            env.put("BEDROCK_HTTP_PROTOCOL", protocol.equals("h1") ? "http1.1" : "h2");
            env.put("CCAG_PORT", Integer.toString(port));
            env.put("CCAG_ADMIN_PORT", Integer.toString(adminPort));
            env.put("CCAG_BIND", "127.0.0.1");
            env.put("CCAG_ADMIN_BIND", "127.0.0.1");
            try (Processes.Jvm gw = Processes.start("gateway", dir, gwOpts, jar.toAbsolutePath(), List.of("server"), env)) {
                gw.awaitOutput("CCAG started", Duration.ofSeconds(120));
                bench(gw, dbUrl, simUrl, port, adminPort);
                if (!gw.process.isAlive()) {
                    line("**gateway died**; log: " + gw.log);
                }
            }
        } finally {
            Path out = dir.resolve("proxy-results.md");
            Files.write(out, report);
            System.out.println();
            System.out.println("results written to " + out);
            if (pg != null) {
                pg.close();
            }
        }
    }

    private void bench(Processes.Jvm gw, String dbUrl, String simUrl, int port, int adminPort) throws Exception {
        String gateway = "http://127.0.0.1:" + port;
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newVirtualThreadPerTaskExecutor()).connectTimeout(Duration.ofSeconds(10)).build();

        // --- a virtual key with a rate limit, through the admin API --------------------------------
        String token = post(http, gateway + "/auth/login", null,
                "{\"username\":\"admin\",\"password\":\"" + ADMIN_PASSWORD + "\"}").path("token").asText();
        JsonNode created = post(http, gateway + "/admin/keys", token, "{\"name\":\"bench\",\"rate_limit_rpm\":1000000}");
        String key = created.path("key").asText();
        UUID keyId = UUID.fromString(created.path("id").asText());
        UUID userId = created.hasNonNull("user_id") ? UUID.fromString(created.path("user_id").asText()) : null;

        // --- the request: Claude Code's first turn, answered with a short fixed text ---------------
        JsonNode capture;
        try (InputStream in = ProxyLoadDriver.class.getResourceAsStream("/claude-code/first-turn.json")) {
            capture = JSON.readTree(in);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        capture.path("headers").fields().forEachRemaining(e -> headers.put(e.getKey(), e.getValue().asText()));
        for (String restricted : List.of("host", "connection", "content-length", "accept-encoding", "x-api-key")) {
            headers.remove(restricted);
        }
        headers.put("x-api-key", key);
        String betas = headers.get("anthropic-beta");
        if (hold > 0) {
            System.out.println("holding " + hold + " s: gateway " + gateway + " (admin port " + adminPort + "), key " + key
                    + ", simulator " + simUrl + ", database " + dbUrl);
            Thread.sleep(hold * 1000L);
        }

        RequestTranslator translator = new RequestTranslator(BetaPolicy.builtIn(), new LearnedRejections(),
                RequestTranslator.Options.defaults());
        ModelCatalog catalog = ModelCatalog.builder().region("us-east-1").build();
        Request jsonReq = request(capture, false, "[[sim:text \"" + ANSWER + "\"]]", translator, catalog, betas);
        Request streamReq = request(capture, true, "[[sim:text \"" + ANSWER + "\"]]", translator, catalog, betas);

        BedrockUpstream direct = new BedrockUpstream(new BedrockUpstream.Settings("us-east-1", simUrl, simUrl,
                !protocol.equals("h1"), 256, Duration.ofSeconds(10), Duration.ofMinutes(10), Duration.ofMinutes(10), true));

        line("# Proxy benchmark");
        line("");
        line(String.format(Locale.ROOT, "%s; %d cores; driver JDK %s; gateway -Xmx%s; gateway→simulator %s; request body %,d bytes"
                        + " (translated %,d bytes); load average at start %s", LocalDate.now(), Runtime.getRuntime().availableProcessors(),
                Runtime.version(), gatewayHeap, protocol, jsonReq.clientBody.length, jsonReq.bedrockBody.length, loadAverage()));
        line("PostgreSQL: " + databaseSettings(dbUrl));
        line("");
        // The client in front of the gateway: plain blocking HTTP/1.1 keep-alive with TCP_NODELAY, as
        // Claude Code's (Node) client does; the JDK HttpClient adds ~0.2 ms of its own thread hand-offs.
        OkHttpClient client = leanClient();
        jitWarmup(direct, client, gateway, headers, jsonReq, streamReq);
        line("| scenario | concurrency | direct p50 / p99 ms | gateway p50 / p99 ms | overhead p50 / p99 ms | direct req/s | gateway req/s"
                + " | TTFB direct / gateway p50 ms | TTFB overhead p50 / p99 ms | errors |");
        line("|---|---|---|---|---|---|---|---|---|---|");
        List<String> inGateway = new ArrayList<>();
        for (int c : concurrencies) {
            for (boolean stream : List.of(false, true)) {
                Request r = stream ? streamReq : jsonReq;
                Side d = new Side("direct");
                Side g = new Side("gateway");
                Runnable directCall = () -> d.record(stream ? directStream(direct, r) : directInvoke(direct, r));
                Runnable gatewayCall = () -> g.record(stream ? gatewayStream(client, gateway, headers, r)
                        : gatewayJson(client, gateway, headers, r));
                // warm both sides, then alternate short rounds so background load hits both alike
                drive(c, Duration.ofSeconds(warmup), directCall);
                drive(c, Duration.ofSeconds(warmup), gatewayCall);
                d.clear();
                g.clear();
                int rounds = Math.max(1, seconds / 2);
                for (int i = 0; i < rounds; i++) {
                    d.addTime(drive(c, Duration.ofMillis(seconds * 1000L / rounds), directCall));
                    g.addTime(drive(c, Duration.ofMillis(seconds * 1000L / rounds), gatewayCall));
                }
                line(String.format(Locale.ROOT, "| %s | %d | %s | %s | %s | %.0f | %.0f | %s | %s | %d / %d |",
                        stream ? "streaming" : "JSON", c,
                        pair(d.p(0.50), d.p(0.99)), pair(g.p(0.50), g.p(0.99)),
                        pair(g.p(0.50) - d.p(0.50), g.p(0.99) - d.p(0.99)),
                        d.rate(), g.rate(),
                        stream ? pair(d.ttfb(0.50), g.ttfb(0.50)) : "–",
                        stream ? pair(g.ttfb(0.50) - d.ttfb(0.50), g.ttfb(0.99) - d.ttfb(0.99)) : "–",
                        d.errors.get(), g.errors.get()));
                if (c == 1) {
                    inGateway.add(stageRow(stream ? "streaming" : "JSON", stream, g.p(0.50), adminPort));
                }
            }
        }
        line("");
        line("Load average after the latency scenarios: " + loadAverage());
        if (!inGateway.isEmpty()) {
            line("");
            line("Inside the gateway at concurrency 1, from its own `ccag.proxy.*` timers on the admin port's `/metrics` (read"
                    + " right after each scenario; the reservoirs weigh the last minutes most), p50 ms:");
            line("");
            line("| scenario | client sees | in the gateway, to the answer built | dispatch (Jetty, filters, routing, auth) | translate"
                    + " | admission | ledger row (wait left after serialising and signing) | upstream (JSON: whole call; streaming:"
                    + " first event) | rest (body read, serialise and sign, answer translated, thread hand-offs)"
                    + " | outside (answer written, HTTP hop, client) |");
            line("|---|---|---|---|---|---|---|---|---|---|");
            inGateway.forEach(this::line);
        }

        breakdown(dbUrl, keyId, userId, translator, catalog, jsonReq, betas);

        if (openStreams > 0) {
            openStreams(gw, http, gateway, headers, capture, translator, catalog, betas, adminPort);
        }
        direct.close();
    }

    /**
     * Brings both JVMs to their steady state before anything is measured: the JIT compiles the
     * gateway's request path only after thousands of requests (the first ones take several times as
     * long). Reports the gateway's JSON p50 per block, so the settling is visible.
     */
    private void jitWarmup(Upstream direct, OkHttpClient http, String gateway, Map<String, String> headers, Request json,
                           Request stream) throws InterruptedException {
        if (jitWarmup <= 0) {
            return;
        }
        int blocks = Math.max(1, jitWarmup / 10);
        List<String> p50s = new ArrayList<>();
        int requests = 0;
        for (int b = 0; b < blocks; b++) {
            Side g = new Side("gateway");
            long blockMs = jitWarmup * 1000L / blocks;
            drive(2, Duration.ofMillis(blockMs * 3 / 4), () -> {
                g.record(gatewayJson(http, gateway, headers, json));
                gatewayStream(http, gateway, headers, stream);
            });
            drive(2, Duration.ofMillis(blockMs / 4), () -> {
                directInvoke(direct, json);
                directStream(direct, stream);
            });
            requests += 2 * g.samples.size();
            p50s.add(String.format(Locale.ROOT, "%.2f", g.p(0.50)));
        }
        line(String.format(Locale.ROOT, "JIT warm-up: %d s, about %,d gateway requests (JSON and streaming, concurrency 2);"
                + " gateway JSON p50 per %d-second block, ms: %s", jitWarmup, requests, jitWarmup / blocks, String.join(", ", p50s)));
        line("");
    }

    // --- one request, both ways ---------------------------------------------------------------------

    /** The client's body and the Bedrock body the gateway makes of it. */
    record Request(byte[] clientBody, String modelId, byte[] bedrockBody) {
    }

    private static Request request(JsonNode capture, boolean stream, String directive, RequestTranslator translator,
                                   ModelCatalog catalog, String betas) throws IOException {
        ObjectNode body = capture.path("body").deepCopy();
        body.put("stream", stream);
        ArrayNode messages = (ArrayNode) body.path("messages");
        ObjectNode lastUser = null;
        for (JsonNode m : messages) {
            if (m.path("role").asText().equals("user")) {
                lastUser = (ObjectNode) m;
            }
        }
        ArrayNode content = (ArrayNode) lastUser.path("content");
        ObjectNode text = content.addObject();
        text.put("type", "text");
        text.put("text", directive);
        byte[] clientBody = JSON.writeValueAsBytes(body);
        ResolvedModel model = catalog.resolve(body.path("model").asText());
        BedrockRequest translated = translator.translate(RequestTranslator.parse(clientBody), List.of(betas), model);
        return new Request(clientBody, translated.modelId(), translated.bodyBytes());
    }

    /** One timed call: total nanos, time-to-first-byte nanos (0 for JSON), success. */
    record Sample(long nanos, long ttfbNanos, boolean ok) {
    }

    private static Sample directInvoke(Upstream direct, Request r) {
        long t0 = System.nanoTime();
        try {
            Upstream.Reply reply = direct.invoke(r.modelId, r.bedrockBody).join();
            boolean ok = new String(reply.body(), StandardCharsets.UTF_8).contains(ANSWER);
            return new Sample(System.nanoTime() - t0, 0, ok);
        } catch (RuntimeException e) {
            return new Sample(System.nanoTime() - t0, 0, false);
        }
    }

    private static Sample directStream(Upstream direct, Request r) {
        long t0 = System.nanoTime();
        AtomicLong first = new AtomicLong();
        AtomicInteger chunks = new AtomicInteger();
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        CompletableFuture<Upstream.StreamHandle> handle = new CompletableFuture<>();
        handle.complete(direct.invokeStream(r.modelId, r.bedrockBody, new Upstream.StreamListener() {
            @Override
            public void onOpen(String requestId) {
            }

            @Override
            public void onChunk(byte[] eventJson) {
                if (chunks.getAndIncrement() == 0) {
                    first.set(System.nanoTime());
                }
                handle.thenAccept(Upstream.StreamHandle::request);
            }

            @Override
            public void onComplete() {
                done.complete(chunks.get() > 0);
            }

            @Override
            public void onError(UpstreamException error) {
                done.complete(false);
            }
        }));
        boolean ok = done.join();
        return new Sample(System.nanoTime() - t0, first.get() == 0 ? 0 : first.get() - t0, ok);
    }

    private static HttpRequest.Builder gatewayRequest(String gateway, Map<String, String> headers, byte[] body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gateway + "/v1/messages?beta=true"))
                .timeout(Duration.ofMinutes(5)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(b::header);
        return b;
    }

    private static Sample gatewayJson(OkHttpClient http, String gateway, Map<String, String> headers, Request r) {
        long t0 = System.nanoTime();
        try (okhttp3.Response resp = http.newCall(leanRequest(gateway, headers, r.clientBody)).execute()) {
            boolean ok = resp.code() == 200 && resp.body().string().contains(ANSWER);
            return new Sample(System.nanoTime() - t0, 0, ok);
        } catch (IOException e) {
            return new Sample(System.nanoTime() - t0, 0, false);
        }
    }

    private static Sample gatewayStream(OkHttpClient http, String gateway, Map<String, String> headers, Request r) {
        long t0 = System.nanoTime();
        try (okhttp3.Response resp = http.newCall(leanRequest(gateway, headers, r.clientBody)).execute();
             InputStream in = resp.body().byteStream()) {
            byte[] buf = new byte[8192];
            long first = 0;
            StringBuilder all = new StringBuilder();
            int n;
            while ((n = in.read(buf)) != -1) {
                if (first == 0 && n > 0) {
                    first = System.nanoTime();
                }
                all.append(new String(buf, 0, n, StandardCharsets.UTF_8));
            }
            boolean ok = resp.code() == 200 && all.indexOf("message_stop") >= 0 && all.indexOf("event: error") < 0;
            return new Sample(System.nanoTime() - t0, first == 0 ? 0 : first - t0, ok);
        } catch (IOException e) {
            return new Sample(System.nanoTime() - t0, 0, false);
        }
    }

    private static okhttp3.Request leanRequest(String gateway, Map<String, String> headers, byte[] body) {
        return new okhttp3.Request.Builder().url(gateway + "/v1/messages?beta=true").headers(okhttp3.Headers.of(headers))
                .post(okhttp3.RequestBody.create(body, okhttp3.MediaType.get("application/json"))).build();
    }

    /** OkHttp on sockets with TCP_NODELAY (its default leaves Nagle on: a 40 ms stall per request on loopback). */
    private static OkHttpClient leanClient() {
        javax.net.SocketFactory plain = javax.net.SocketFactory.getDefault();
        return new OkHttpClient.Builder()
                .connectionPool(new okhttp3.ConnectionPool(256, 5, TimeUnit.MINUTES))
                .readTimeout(Duration.ofMinutes(5))
                .socketFactory(new javax.net.SocketFactory() {
                    @Override
                    public java.net.Socket createSocket() throws IOException {
                        java.net.Socket s = plain.createSocket();
                        s.setTcpNoDelay(true);
                        return s;
                    }

                    @Override
                    public java.net.Socket createSocket(String host, int port) throws IOException {
                        throw new UnsupportedOperationException("OkHttp connects unconnected sockets");
                    }

                    @Override
                    public java.net.Socket createSocket(String host, int port, java.net.InetAddress local, int localPort) {
                        throw new UnsupportedOperationException("OkHttp connects unconnected sockets");
                    }

                    @Override
                    public java.net.Socket createSocket(java.net.InetAddress host, int port) {
                        throw new UnsupportedOperationException("OkHttp connects unconnected sockets");
                    }

                    @Override
                    public java.net.Socket createSocket(java.net.InetAddress host, int port, java.net.InetAddress local, int localPort) {
                        throw new UnsupportedOperationException("OkHttp connects unconnected sockets");
                    }
                })
                .build();
    }

    // --- driving and statistics --------------------------------------------------------------------

    /** Runs {@code call} in a closed loop on {@code concurrency} threads for {@code d}; returns the elapsed nanos. */
    private static long drive(int concurrency, Duration d, Runnable call) throws InterruptedException {
        long start = System.nanoTime();
        long end = start + d.toNanos();
        CountDownLatch done = new CountDownLatch(concurrency);
        for (int i = 0; i < concurrency; i++) {
            Thread.ofPlatform().daemon(true).start(() -> {
                try {
                    while (System.nanoTime() < end) {
                        call.run();
                    }
                } finally {
                    done.countDown();
                }
            });
        }
        done.await();
        return System.nanoTime() - start;
    }

    private static final class Side {
        final String name;
        final List<Sample> samples = new ArrayList<>();
        final AtomicInteger errors = new AtomicInteger();
        long nanos;

        Side(String name) {
            this.name = name;
        }

        synchronized void record(Sample s) {
            if (s.ok()) {
                samples.add(s);
            } else {
                errors.incrementAndGet();
            }
        }

        synchronized void clear() {
            samples.clear();
            errors.set(0);
            nanos = 0;
        }

        void addTime(long n) {
            nanos += n;
        }

        synchronized double p(double q) {
            return percentile(samples.stream().mapToLong(Sample::nanos).sorted().toArray(), q);
        }

        synchronized double ttfb(double q) {
            return percentile(samples.stream().mapToLong(Sample::ttfbNanos).sorted().toArray(), q);
        }

        synchronized double rate() {
            return samples.size() / (nanos / 1e9);
        }
    }

    private static double percentile(long[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[(int) Math.min(sorted.length - 1, Math.floor(q * sorted.length))] / 1e6;
    }

    private static String pair(double a, double b) {
        return String.format(Locale.ROOT, "%.2f / %.2f", a, b);
    }

    // --- where the time goes: each stage timed alone, with the gateway's own code, on the same database ---

    private void breakdown(String dbUrl, UUID keyId, UUID userId, RequestTranslator translator, ModelCatalog catalog,
                           Request req, String betas) throws Exception {
        org.apache.tomcat.jdbc.pool.DataSource ds = new org.apache.tomcat.jdbc.pool.DataSource();
        ds.setUrl(dbUrl);
        ds.setUsername(databaseUser);
        ds.setDriverClassName("org.postgresql.Driver");
        ds.setInitialSize(2);
        ds.setMaxActive(4);
        Jdbi jdbi = JdbiSetup.configure(Jdbi.create(ds).installPlugin(new SqlObjectPlugin()));
        RateLimiter limiter = new RateLimiter(jdbi, Clock.systemUTC(), RateLimiter.Settings.defaults());
        SpendLedger ledger = new SpendLedger(jdbi, PriceTable.builtIn(), Clock.systemUTC(), "bench-breakdown", Duration.ofHours(2));
        Caller caller = new Caller(userId, "bench", null, Role.ADMIN, null, keyId, Caller.AuthMethod.VIRTUAL_KEY, 1_000_000);
        ResolvedModel model = catalog.resolve("claude-opus-5-5");
        int n = 2000;
        long[] translate = new long[n];
        long[] admit = new long[n];
        long[] open = new long[n];
        long[] lease = new long[n];
        for (int round = 0; round < 2; round++) { // the first round warms up
            for (int i = 0; i < n; i++) {
                long t0 = System.nanoTime();
                ObjectNode body = RequestTranslator.parse(req.clientBody);
                BedrockRequest b = translator.translate(body, List.of(betas), model);
                b.bodyBytes();
                long t1 = System.nanoTime();
                limiter.admit(caller);
                long t2 = System.nanoTime();
                ledger.open(new SpendLedger.Opening("bench-" + UUID.randomUUID(), userId, keyId, null, "virtual_key",
                        "claude-opus-5-5", b.modelId(), false, 12_000));
                long t3 = System.nanoTime();
                // the database path alone, as on a lease renewal: one token per round trip
                jdbi.withExtension(RateLimitDao.class, d -> d.lease(keyId, 1_000_000, 60, 1, 2000, null, 0));
                long t4 = System.nanoTime();
                lease[i] = t4 - t3;
                translate[i] = t1 - t0;
                admit[i] = t2 - t1;
                open[i] = t3 - t2;
            }
        }
        Arrays.sort(translate);
        Arrays.sort(admit);
        Arrays.sort(open);
        Arrays.sort(lease);
        line("");
        line("Stages of one gateway request timed alone (driver JVM, the gateway's classes, same database, "
                + n + " sequential runs after " + n + " warm-up):");
        line("");
        line("| stage | p50 ms | p99 ms |");
        line("|---|---|---|");
        line(String.format(Locale.ROOT, "| parse + translate the 50 KB body + serialise | %.3f | %.3f |", percentile(translate, .5), percentile(translate, .99)));
        line(String.format(Locale.ROOT, "| rate-limit admission (`RateLimiter.admit`, leases from PostgreSQL) | %.3f | %.3f |", percentile(admit, .5), percentile(admit, .99)));
        line(String.format(Locale.ROOT, "| rate-limit lease round trip alone (`ccag_rate_limit_lease`, 1 token) | %.3f | %.3f |", percentile(lease, .5), percentile(lease, .99)));
        line(String.format(Locale.ROOT, "| ledger row opened (`SpendLedger.open`, PostgreSQL) | %.3f | %.3f |", percentile(open, .5), percentile(open, .99)));
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.execute("DELETE FROM spend_ledger WHERE instance_id = 'bench-breakdown'");
        }
        ds.close();
    }

    // --- 1,000 streams held open -----------------------------------------------------------------

    private void openStreams(Processes.Jvm gw, HttpClient http, String gateway, Map<String, String> headers, JsonNode capture,
                             RequestTranslator translator, ModelCatalog catalog, String betas, int adminPort) throws Exception {
        long idle = heapAfterGc(gw, adminPort);
        int tokens = 300;
        int delayMs = 100;
        Request held = request(capture, true, "[[sim:long tokens=" + tokens + "]] [[sim:token_delay ms=" + delayMs + "]]",
                translator, catalog, betas);
        AtomicInteger open = new AtomicInteger();
        AtomicInteger completed = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        AtomicReference<String> firstFailure = new AtomicReference<>();
        long t0 = System.nanoTime();
        ExecutorService vt = Executors.newVirtualThreadPerTaskExecutor();
        for (int i = 0; i < openStreams; i++) {
            vt.submit(() -> {
                try {
                    HttpResponse<InputStream> resp = http.send(gatewayRequest(gateway, headers, held.clientBody)
                                    .timeout(Duration.ofSeconds(tokens * delayMs / 1000 + 60)).build(),
                            HttpResponse.BodyHandlers.ofInputStream());
                    boolean counted = false;
                    StringBuilder tail = new StringBuilder();
                    try (InputStream in = resp.body()) {
                        byte[] buf = new byte[4096];
                        int n;
                        while ((n = in.read(buf)) != -1) {
                            if (!counted && n > 0) {
                                open.incrementAndGet();
                                counted = true;
                            }
                            tail.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                            if (tail.length() > 8192) {
                                tail.delete(0, tail.length() - 512);
                            }
                        }
                    } finally {
                        if (counted) {
                            open.decrementAndGet();
                        }
                    }
                    if (resp.statusCode() == 200 && tail.indexOf("message_stop") >= 0) {
                        completed.incrementAndGet();
                    } else {
                        failed.incrementAndGet();
                        firstFailure.compareAndSet(null, resp.statusCode() + " " + tail.substring(0, Math.min(300, tail.length())));
                    }
                } catch (Exception e) {
                    failed.incrementAndGet();
                    firstFailure.compareAndSet(null, e.toString());
                }
                return null;
            });
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(tokens * delayMs / 1000 - 5);
        int peak = 0;
        while (System.nanoTime() < deadline && open.get() + completed.get() + failed.get() < openStreams) {
            Thread.sleep(100);
            peak = Math.max(peak, open.get());
        }
        double rampSeconds = (System.nanoTime() - t0) / 1e9;
        int openAtGc = open.get();
        long full = heapAfterGc(gw, adminPort);
        String heapInfo = Processes.run(Processes.javaBinary("jcmd"), Long.toString(gw.pid()), "GC.heap_info");
        String histogram = Processes.run(Processes.javaBinary("jcmd"), Long.toString(gw.pid()), "GC.class_histogram");
        vt.shutdown();
        if (!vt.awaitTermination(tokens * delayMs / 1000 + 90, TimeUnit.SECONDS)) {
            vt.shutdownNow();
        }
        boolean alive = gw.process.isAlive();
        boolean oom = gw.output().contains("OutOfMemoryError");
        line("");
        line(String.format(Locale.ROOT, "Open streams: %d streamed requests (50 KB body, %d tokens %d ms apart, ~%d s each) through"
                        + " the gateway at -Xmx%s; %d open at once after %.1f s (peak %d).", openStreams, tokens, delayMs, tokens * delayMs / 1000,
                gatewayHeap, openAtGc, rampSeconds, peak));
        line("");
        line("| gateway heap used after full GC | MB |");
        line("|---|---|");
        line(String.format(Locale.ROOT, "| idle (after the latency scenarios) | %.1f |", idle / 1048576.0));
        line(String.format(Locale.ROOT, "| with %d streams open | %.1f |", openAtGc, full / 1048576.0));
        line(String.format(Locale.ROOT, "| per open stream | %.1f KB |", openAtGc == 0 ? 0 : (full - idle) / 1024.0 / openAtGc));
        line("");
        line(String.format(Locale.ROOT, "Streams completed with message_stop: %d, failed: %d%s; gateway alive afterwards: %s;"
                        + " OutOfMemoryError in its log: %s.", completed.get(), failed.get(),
                firstFailure.get() == null ? "" : " (first failure: " + firstFailure.get().replace('\n', ' ') + ")", alive, oom));
        line("");
        line("```");
        heapInfo.lines().forEach(this::line);
        histogram.lines().limit(18).forEach(this::line);
        line("```");
    }

    /**
     * One row of the in-gateway breakdown: the gateway's stage timers (p50; p50s do not add up exactly).
     * For streams only the stages before the first event are shown.
     */
    private static String stageRow(String scenario, boolean stream, double clientP50, int adminPort) {
        try {
            HttpClient c = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            JsonNode timers = JSON.readTree(c.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/metrics"))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString()).body()).path("timers");
            double translate = p50Millis(timers.path("ccag.proxy.translate"));
            double admission = p50Millis(timers.path("ccag.proxy.admission"));
            double ledger = p50Millis(timers.path("ccag.proxy.ledger-open-wait"));
            double upstream = p50Millis(timers.path(stream ? "ccag.proxy.upstream-first-event" : "ccag.proxy.upstream"));
            double dispatch = p50Millis(timers.path("ccag.proxy.dispatch"));
            if (stream) {
                return String.format(Locale.ROOT, "| %s | %.3f | – | %.3f | %.3f | %.3f | %.3f | %.3f | – | – |",
                        scenario, clientP50, dispatch, translate, admission, ledger, upstream);
            }
            double answer = p50Millis(timers.path("ccag.proxy.json-answer"));
            return String.format(Locale.ROOT, "| %s | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f |", scenario,
                    clientP50, answer, dispatch, translate, admission, ledger, upstream,
                    answer - dispatch - translate - admission - ledger - upstream, clientP50 - answer);
        } catch (IOException | InterruptedException e) {
            return "| " + scenario + " | metrics unavailable: " + e + " |";
        }
    }

    private static double p50Millis(JsonNode timer) {
        String unit = timer.path("duration_units").asText("seconds");
        double factor = switch (unit) {
            case "milliseconds" -> 1;
            case "microseconds" -> 1e-3;
            case "nanoseconds" -> 1e-6;
            default -> 1e3;
        };
        return timer.path("p50").asDouble(Double.NaN) * factor;
    }

    /** Full GC in the gateway (jcmd GC.run), then {@code jvm.memory.heap.used} from the admin port's /metrics. */
    private static long heapAfterGc(Processes.Jvm gw, int adminPort) throws Exception {
        Processes.run(Processes.javaBinary("jcmd"), Long.toString(gw.pid()), "GC.run");
        Thread.sleep(500);
        try {
            HttpClient c = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            JsonNode m = JSON.readTree(c.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/metrics"))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString()).body());
            return m.path("gauges").path("jvm.memory.heap.used").path("value").asLong();
        } catch (IOException e) {
            return -1; // the gateway does not answer (out of memory or gone)
        }
    }

    // --- small helpers -----------------------------------------------------------------------------

    private static JsonNode post(HttpClient http, String url, String bearer, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (bearer != null) {
            b.header("authorization", "Bearer " + bearer);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw new IllegalStateException(url + " answered " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body());
    }

    private String databaseSettings(String dbUrl) {
        try (Connection c = java.sql.DriverManager.getConnection(dbUrl, databaseUser, "");
             Statement st = c.createStatement()) {
            StringBuilder sb = new StringBuilder();
            for (String s : List.of("server_version", "fsync", "synchronous_commit", "wal_sync_method", "full_page_writes")) {
                try (ResultSet rs = st.executeQuery("SHOW " + s)) {
                    rs.next();
                    sb.append(sb.isEmpty() ? "" : ", ").append(s).append(' ').append(rs.getString(1));
                }
            }
            return sb.toString();
        } catch (Exception e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    private static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException e) {
            return "n/a";
        }
    }

    private void line(String s) {
        System.out.println(s);
        System.out.flush();
        report.add(s);
    }
}
