package ccag.server.simulator;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelWithResponseStreamRequest;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelWithResponseStreamResponseHandler;

/**
 * Load driver (a benchmark, not a test): how many streamed InvokeModelWithResponseStream requests per
 * second the simulator sustains, driven by the real AWS SDK async client. Keeps {@code --concurrency}
 * streams in flight for {@code --seconds} after a warm-up, then prints throughput and latency.
 * How to run it: docs/benchmarks.md.
 *
 * <pre>
 * --concurrency N   streams in flight (default 64)
 * --seconds N       measured duration (default 20), after --warmup N seconds (default 5)
 * --tokens N        output tokens per answer (default 100; each token is one event-stream frame)
 * --protocol h2|h1  the SDK's HTTP/2 (default) or HTTP/1.1
 * --endpoint URL    drive a simulator already running (java -jar ccag-server.jar simulator); default in-process
 * </pre>
 */
public final class SimulatorLoadDriver {
    public static void main(String[] args) throws Exception {
        int concurrency = 64;
        int seconds = 20;
        int warmup = 5;
        int tokens = 100;
        String protocol = "h2";
        String endpoint = null;
        for (int i = 0; i < args.length; i += 2) {
            String v = args[i + 1];
            switch (args[i]) {
                case "--concurrency" -> concurrency = Integer.parseInt(v);
                case "--seconds" -> seconds = Integer.parseInt(v);
                case "--warmup" -> warmup = Integer.parseInt(v);
                case "--tokens" -> tokens = Integer.parseInt(v);
                case "--protocol" -> protocol = v;
                case "--endpoint" -> endpoint = v;
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        BedrockSimulator sim = endpoint == null ? BedrockSimulator.start(SimulatorOptions.defaults().withReceivedCapacity(0)) : null;
        URI target = sim != null ? sim.endpoint() : URI.create(endpoint);
        String body = "{\"anthropic_version\":\"bedrock-2023-05-31\",\"max_tokens\":4096,\"messages\":[{\"role\":\"user\",\"content\":"
                + "\"load [[sim:long tokens=" + tokens + "]]\"}]}";
        try (BedrockRuntimeAsyncClient client = protocol.equals("h1") ? SdkClients.asyncHttp1(target) : SdkClients.asyncHttp2(target)) {
            System.out.printf(Locale.ROOT, "target %s, protocol %s, concurrency %d, %d tokens per answer, %d cores, java %s%n",
                    target, protocol, concurrency, tokens, Runtime.getRuntime().availableProcessors(), Runtime.version());
            run(client, body, concurrency, Duration.ofSeconds(warmup), false);
            run(client, body, concurrency, Duration.ofSeconds(seconds), true);
        } finally {
            if (sim != null) {
                sim.close();
            }
        }
    }

    private static void run(BedrockRuntimeAsyncClient client, String body, int concurrency, Duration duration, boolean report)
            throws InterruptedException {
        Semaphore slots = new Semaphore(concurrency);
        AtomicLong done = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicLong frames = new AtomicLong();
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        InvokeModelWithResponseStreamRequest request = InvokeModelWithResponseStreamRequest.builder()
                .modelId("us.anthropic.claude-sonnet-4-5-20250929-v1:0").contentType("application/json")
                .body(SdkBytes.fromUtf8String(body)).build();
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        while (System.nanoTime() < end) {
            slots.acquire();
            long t0 = System.nanoTime();
            AtomicLong mine = new AtomicLong();
            client.invokeModelWithResponseStream(request, InvokeModelWithResponseStreamResponseHandler.builder()
                            .subscriber(InvokeModelWithResponseStreamResponseHandler.Visitor.builder().onChunk(c -> mine.incrementAndGet()).build())
                            .build())
                    .whenComplete((v, e) -> {
                        if (e == null) {
                            done.incrementAndGet();
                            frames.addAndGet(mine.get());
                            latencies.add(System.nanoTime() - t0);
                        } else {
                            failed.incrementAndGet();
                        }
                        slots.release();
                    });
        }
        slots.acquire(concurrency);
        double elapsed = (System.nanoTime() - start) / 1e9;
        if (!report) {
            return;
        }
        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        System.out.printf(Locale.ROOT, "%d streams in %.1f s: %.0f streams/s, %.0f frames/s, %d failed; latency p50 %.1f ms, p99 %.1f ms%n",
                done.get(), elapsed, done.get() / elapsed, frames.get() / elapsed, failed.get(),
                percentile(sorted, 0.50), percentile(sorted, 0.99));
    }

    private static double percentile(List<Long> sorted, double p) {
        return sorted.isEmpty() ? 0 : sorted.get((int) Math.min(sorted.size() - 1, Math.floor(p * sorted.size()))) / 1e6;
    }
}
