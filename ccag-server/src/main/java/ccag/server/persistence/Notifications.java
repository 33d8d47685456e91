package ccag.server.persistence;

import io.dropwizard.lifecycle.Managed;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cross-instance change signals over PostgreSQL {@code LISTEN/NOTIFY}, on a dedicated connection.
 * A change is published inside the transaction that makes it ({@link ChangeDao#publish}): the
 * function bumps the channel's version row and sends {@code NOTIFY ccag_<channel>} at commit.
 *
 * <p>Safety net: every {@code pollInterval} the version rows are read through the pool; a channel
 * whose version moved past the last one this instance heard of gets {@link Listener#onResync()}, so a
 * notification lost (listener reconnecting, connection silently dead) is healed within one interval.
 * After a reconnect every channel is resynced as well.
 */
public final class Notifications implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(Notifications.class);
    private static final Pattern CHANNEL = Pattern.compile("[a-z][a-z0-9_]{0,40}");
    private static final String PREFIX = "ccag_";

    /** Receives the changes of one channel. Called on the notification thread: keep it short. */
    public interface Listener {
        /** One change, as published. */
        void onMessage(String payload);

        /** Changes may have been missed: drop whatever was derived from this channel. */
        void onResync();
    }

    /** Opens a fresh JDBC connection to the database (not from the pool: LISTEN holds it for good). */
    @FunctionalInterface
    public interface ConnectionSource {
        Connection open() throws SQLException;
    }

    private final ConnectionSource connections;
    private final Jdbi jdbi;
    private final Duration pollInterval;
    private final Map<String, List<Listener>> listeners = new ConcurrentHashMap<>();
    private final Map<String, Long> lastSeen = new ConcurrentHashMap<>();
    private volatile boolean running;
    private volatile Thread listenThread;
    private ScheduledExecutorService poller;

    public Notifications(ConnectionSource connections, Jdbi jdbi, Duration pollInterval) {
        this.connections = connections;
        this.jdbi = jdbi;
        this.pollInterval = pollInterval;
    }

    /** Registers a listener; call before {@link #start()}. */
    public void subscribe(String channel, Listener listener) {
        requireChannel(channel);
        listeners.computeIfAbsent(channel, c -> new CopyOnWriteArrayList<>()).add(listener);
    }

    /** Publishes a change in a transaction of its own (use {@link ChangeDao#publish} to join a running one). */
    public void publish(String channel, String payload) {
        requireChannel(channel);
        jdbi.useTransaction(h -> h.attach(ChangeDao.class).publish(channel, payload));
    }

    @Override
    public void start() {
        running = true;
        for (ChangeDao.ChannelVersion v : jdbi.withExtension(ChangeDao.class, ChangeDao::versions)) {
            lastSeen.put(v.channel(), v.version());
        }
        Thread t = new Thread(this::listenLoop, "ccag-notifications");
        t.setDaemon(true);
        listenThread = t;
        t.start();
        poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread p = new Thread(r, "ccag-notifications-poll");
            p.setDaemon(true);
            return p;
        });
        long ms = pollInterval.toMillis();
        poller.scheduleWithFixedDelay(this::poll, ms, ms, TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() throws InterruptedException {
        running = false;
        if (poller != null) {
            poller.shutdownNow();
        }
        Thread t = listenThread;
        if (t != null) {
            t.interrupt();
            t.join(2000);
        }
    }

    /** Compares every channel's version with the last one heard of; resyncs the channels that moved. */
    void poll() {
        try {
            for (ChangeDao.ChannelVersion v : jdbi.withExtension(ChangeDao.class, ChangeDao::versions)) {
                Long seen = lastSeen.get(v.channel());
                if (seen == null || v.version() > seen) {
                    lastSeen.merge(v.channel(), v.version(), Math::max);
                    if (listeners.containsKey(v.channel())) {
                        LOG.debug("channel {} at version {} (heard {}): resync", v.channel(), v.version(), seen);
                        resync(v.channel());
                    }
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("Change-version poll failed: {}", e.toString());
        }
    }

    private void listenLoop() {
        Connection conn = null;
        long lastCheck = System.nanoTime();
        boolean reconnecting = false;
        while (running) {
            try {
                if (conn == null) {
                    conn = connections.open();
                    conn.setAutoCommit(true);
                    try (Statement s = conn.createStatement()) {
                        for (String channel : listeners.keySet()) {
                            s.execute("LISTEN " + PREFIX + channel);
                        }
                    }
                    if (reconnecting) {
                        // Whatever was sent while we were away is lost: start over from the database.
                        LOG.info("Change listener reconnected; resyncing {}", listeners.keySet());
                        listeners.keySet().forEach(this::resync);
                    }
                    reconnecting = false;
                }
                PGNotification[] received = conn.unwrap(PGConnection.class).getNotifications(500);
                if (received != null) {
                    for (PGNotification n : received) {
                        dispatch(n.getName(), n.getParameter());
                    }
                }
                if (System.nanoTime() - lastCheck > TimeUnit.SECONDS.toNanos(10)) {
                    // A silently dead socket never delivers again; a round trip finds out.
                    try (Statement s = conn.createStatement()) {
                        s.execute("SELECT 1");
                    }
                    lastCheck = System.nanoTime();
                }
            } catch (SQLException | RuntimeException e) {
                if (!running) {
                    break;
                }
                LOG.warn("Change listener lost its connection ({}); reconnecting", e.toString());
                close(conn);
                conn = null;
                reconnecting = true;
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException ie) {
                    break;
                }
            }
        }
        close(conn);
    }

    private void dispatch(String pgChannel, String parameter) {
        if (!pgChannel.startsWith(PREFIX)) {
            return;
        }
        String channel = pgChannel.substring(PREFIX.length());
        int colon = parameter.indexOf(':');
        String payload = parameter;
        if (colon > 0) {
            try {
                long version = Long.parseLong(parameter.substring(0, colon));
                lastSeen.merge(channel, version, Math::max);
                payload = parameter.substring(colon + 1);
            } catch (NumberFormatException e) {
                // published by hand without a version: deliver as is
            }
        }
        for (Listener l : listeners.getOrDefault(channel, List.of())) {
            try {
                l.onMessage(payload);
            } catch (RuntimeException e) {
                LOG.warn("Listener on {} failed: {}", channel, e.toString());
            }
        }
    }

    private void resync(String channel) {
        for (Listener l : listeners.getOrDefault(channel, List.of())) {
            try {
                l.onResync();
            } catch (RuntimeException e) {
                LOG.warn("Resync of {} failed: {}", channel, e.toString());
            }
        }
    }

    private static void close(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // already broken
            }
        }
    }

    private static void requireChannel(String channel) {
        if (!CHANNEL.matcher(channel).matches()) {
            throw new IllegalArgumentException("channel names are lower-case identifiers: " + channel);
        }
    }
}
