package org.memstat.daemon;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.Connection;

/**
 * Closes connections that dribble a request: once a connection has received bytes of a request that is not yet
 * complete, the request must complete within the timeout. An idle timeout alone cannot stop a client that sends
 * one byte a second; an idle keep-alive connection (no partial request) is left to the idle timeout.
 */
final class SlowRequestReaper implements Connection.Listener, AutoCloseable {
    private final long timeoutNanos;
    private final Map<Connection, Progress> open = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "memstatd-reaper");
        t.setDaemon(true);
        return t;
    });

    /** What a connection had done when last looked at. */
    private static final class Progress {
        long messages;
        long bytes;
        /** When bytes beyond the last complete request were first seen, or 0. */
        long partialSince;
    }

    SlowRequestReaper(Duration timeout) {
        this.timeoutNanos = timeout.toNanos();
        long period = Math.max(100, Math.min(1000, timeout.toMillis() / 4));
        timer.scheduleWithFixedDelay(this::sweep, period, period, TimeUnit.MILLISECONDS);
    }

    @Override
    public void onOpened(Connection connection) {
        open.put(connection, new Progress());
    }

    @Override
    public void onClosed(Connection connection) {
        open.remove(connection);
    }

    private void sweep() {
        long now = System.nanoTime();
        for (Map.Entry<Connection, Progress> e : open.entrySet()) {
            Connection c = e.getKey();
            Progress p = e.getValue();
            long messages = c.getMessagesIn();
            long bytes = c.getBytesIn();
            if (messages != p.messages) {
                p.messages = messages;
                p.bytes = bytes;
                p.partialSince = 0;
            } else if (bytes != p.bytes) {
                if (p.partialSince == 0) {
                    p.partialSince = now;
                } else if (now - p.partialSince > timeoutNanos) {
                    open.remove(c);
                    c.getEndPoint().close();
                }
            }
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
