package ccag.server.simulator;

import java.net.InetAddress;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * A simulator of Amazon Bedrock Runtime on one port speaking HTTP/1.1 and h2c (prior knowledge, as
 * the AWS SDK's async client does over {@code http://}). Start it with {@link #start}, point an SDK
 * client at {@link #endpoint()}, script answers with {@link #enqueue}, and read what arrived with
 * {@link #received()}.
 */
public final class BedrockSimulator implements AutoCloseable {
    private final Server server;
    private final ServerConnector connector;
    private final SimulatorOptions options;
    private final ConcurrentLinkedQueue<Behaviour> script = new ConcurrentLinkedQueue<>();
    private final Deque<ReceivedRequest> received = new ArrayDeque<>();
    private final java.util.concurrent.atomic.AtomicInteger openStreams = new java.util.concurrent.atomic.AtomicInteger();

    private BedrockSimulator(SimulatorOptions options) {
        this.options = options;
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName("bedrock-simulator");
        // Answers sleep between tokens to model real streams: each request gets a cheap virtual thread.
        threads.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendDateHeader(true);
        // Application inference profile ARNs arrive with '/' encoded as %2F inside the model id segment.
        http.setUriCompliance(UriCompliance.UNSAFE);
        HTTP2CServerConnectionFactory h2c = new HTTP2CServerConnectionFactory(http);
        // Benchmarks multiplex hundreds of streams over a few connections.
        h2c.setMaxConcurrentStreams(1024);
        connector = new ServerConnector(server, new HttpConnectionFactory(http), h2c);
        connector.setHost(options.host());
        connector.setPort(options.port());
        // Long thinking pauses and stalled-stream tests must not be cut by the server side.
        connector.setIdleTimeout(300_000);
        server.addConnector(connector);
        ValidationRules rules = new ValidationRules(ValidationRules.TABLE);
        server.setHandler(new SimulatorHandler(options, ModelCatalog.standard(), rules, new ThinkingSignatures(),
                script::poll, this::record, openStreams));
    }

    /** Starts a simulator; with port 0 it picks a free port, see {@link #endpoint()}. */
    public static BedrockSimulator start(SimulatorOptions options) throws Exception {
        BedrockSimulator s = new BedrockSimulator(options);
        s.server.start();
        return s;
    }

    /** The URL to give the SDK's {@code endpointOverride}, e.g. {@code http://127.0.0.1:40123}. */
    public URI endpoint() {
        String host = options.host();
        if (host.equals("0.0.0.0") || host.equals("::") || host.isEmpty()) {
            host = InetAddress.getLoopbackAddress().getHostAddress();
        }
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return URI.create("http://" + host + ":" + connector.getLocalPort());
    }

    public int port() {
        return connector.getLocalPort();
    }

    /** The next generation requests (invoke or stream) get these behaviours, in order, before any directive. */
    public void enqueue(Behaviour... behaviours) {
        Collections.addAll(script, behaviours);
    }

    /** The next {@code times} generation requests get this behaviour. */
    public void enqueue(int times, Behaviour behaviour) {
        for (int i = 0; i < times; i++) {
            script.add(behaviour);
        }
    }

    public void clearScript() {
        script.clear();
    }

    /** The requests received, oldest first (the last {@link SimulatorOptions#receivedCapacity()} of them). */
    /** Response streams being written right now: a stream the caller abandoned ends at the next write. */
    public int openStreams() {
        return openStreams.get();
    }

    public List<ReceivedRequest> received() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    public void clearReceived() {
        synchronized (received) {
            received.clear();
        }
    }

    private void record(ReceivedRequest r) {
        if (options.receivedCapacity() == 0) {
            return;
        }
        synchronized (received) {
            while (received.size() >= options.receivedCapacity()) {
                received.removeFirst();
            }
            received.addLast(r);
        }
    }

    /** Blocks until the simulator stops (the standalone command). */
    public void join() throws InterruptedException {
        server.join();
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
