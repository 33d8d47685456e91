package ccag.server.proxy;

import ccag.server.upstream.Upstream;
import ccag.server.upstream.UpstreamException;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Carries one Bedrock stream to one client. The SDK delivers chunks on its I/O threads; they are
 * handed over a queue to the request's own (virtual) thread, which writes each as an SSE event and
 * only then asks for the next chunk, so a slow client slows Bedrock down instead of filling memory.
 * It flushes whenever no further chunk is waiting, so no event waits for a later one. Silence is
 * filled with pings; a client that hangs up cancels the Bedrock call.
 */
final class StreamRelay implements Upstream.StreamListener {

    /** Turns one Bedrock chunk into SSE bytes (null to skip it) and renders the stream's extra events. */
    interface EventWriter {
        /** May throw when the chunk is unusable; the stream then ends with {@link #error(RuntimeException)}. */
        byte[] event(byte[] chunkJson);

        byte[] ping();

        byte[] error(UpstreamException e);

        byte[] error(RuntimeException e);
    }

    /** What the stream ended with. */
    enum Outcome { COMPLETED, UPSTREAM_ERROR, CLIENT_GONE }

    private static final Object COMPLETE = new Object();

    private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private volatile Upstream.StreamHandle handle;
    private volatile long firstChunkNanos;
    private volatile UpstreamException failure;

    void attach(Upstream.StreamHandle h) {
        this.handle = h;
    }

    @Override
    public void onOpen(String requestId) {
        // the first chunk, not the response headers, is what the client waits for
    }

    @Override
    public void onChunk(byte[] eventJson) {
        if (firstChunkNanos == 0) {
            firstChunkNanos = System.nanoTime();
        }
        queue.add(eventJson);
    }

    @Override
    public void onComplete() {
        queue.add(COMPLETE);
    }

    @Override
    public void onError(UpstreamException error) {
        queue.add(error);
    }

    /**
     * Waits for the first chunk or a failure, before anything is sent to the client: a failure here
     * can still become a proper HTTP error (or a retry). Returns the failure, or null when the stream
     * has begun.
     */
    UpstreamException awaitStart(Duration timeout) throws InterruptedException {
        Object first = queue.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (first == null) {
            cancel();
            return new UpstreamException("", 0, "Bedrock did not start streaming in time", UpstreamException.Transport.TIMEOUT, false, null);
        }
        if (first instanceof UpstreamException e) {
            return e;
        }
        // put it back at the head: the pump writes it first
        BlockingQueue<Object> rest = new LinkedBlockingQueue<>();
        queue.drainTo(rest);
        queue.add(first);
        queue.addAll(rest);
        return null;
    }

    /** Writes events until the stream ends; never throws for a client that went away. */
    Outcome pump(OutputStream out, EventWriter writer, Duration pingInterval) throws InterruptedException {
        while (true) {
            Object item = queue.poll(pingInterval.toMillis(), TimeUnit.MILLISECONDS);
            try {
                if (item == null) {
                    out.write(writer.ping());
                    out.flush();
                    continue;
                }
                if (item == COMPLETE) {
                    out.flush();
                    return Outcome.COMPLETED;
                }
                if (item instanceof UpstreamException e) {
                    failure = e;
                    out.write(writer.error(e));
                    out.flush();
                    return Outcome.UPSTREAM_ERROR;
                }
                byte[] sse;
                try {
                    sse = writer.event((byte[]) item);
                } catch (RuntimeException bad) {
                    cancel();
                    out.write(writer.error(bad));
                    out.flush();
                    return Outcome.UPSTREAM_ERROR;
                }
                if (sse != null) {
                    out.write(sse);
                }
                Upstream.StreamHandle h = handle;
                if (h != null) {
                    h.request();
                }
                // Flush unless the next chunk is already here (it was decoded from the same read): events
                // that arrived together leave together, and none waits for a later one.
                if (queue.isEmpty()) {
                    out.flush();
                }
            } catch (IOException clientGone) {
                cancel();
                return Outcome.CLIENT_GONE;
            }
        }
    }

    void cancel() {
        Upstream.StreamHandle h = handle;
        if (h != null) {
            h.cancel();
        }
    }

    long firstChunkNanos() {
        return firstChunkNanos;
    }

    UpstreamException failure() {
        return failure;
    }
}
