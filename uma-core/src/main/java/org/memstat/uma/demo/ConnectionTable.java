package org.memstat.uma.demo;

import java.util.ArrayDeque;
import org.memstat.uma.Uma;
import org.memstat.uma.mbuf.Mbuf;
import org.memstat.uma.mbuf.Mbufs;

/**
 * The demo's recognisable holder of memory: a "connection table" that keeps a receive buffer (an mbuf with a
 * 2048-byte cluster) per connection for the connection's whole life, long after the data was consumed. It opens
 * {@code opensPerSecond} connections and closes each after {@code lifetime}, so it grows for that long and then
 * levels off at about {@code opensPerSecond * lifetime} clusters, and the demo can run for days.
 *
 * <p>{@code memstat holders mbuf_cluster} and the pprof view of memstatd point at {@link #open} (docs/PROFILES.md).
 */
final class ConnectionTable {
    private static final int MAX_OPENS_PER_TICK = 100;

    private record Connection(long mbuf, long openedNanos) {
    }

    private final Mbufs mbufs;
    private final double opensPerNano;
    private final long lifetimeNanos;
    private final long startNanos;
    private final ArrayDeque<Connection> open = new ArrayDeque<>();
    private long opened;

    ConnectionTable(Mbufs mbufs, double opensPerSecond, long lifetimeNanos, long startNanos) {
        this.mbufs = mbufs;
        this.opensPerNano = opensPerSecond / 1e9;
        this.lifetimeNanos = lifetimeNanos;
        this.startNanos = startNanos;
    }

    /** Opens the connections due by {@code now} (a few at most, after a stall) and closes the expired ones. */
    synchronized void tick(long now) {
        long due = (long) ((now - startNanos) * opensPerNano);
        for (int i = 0; opened < due && i < MAX_OPENS_PER_TICK; i++) {
            opened++;
            open(now);
        }
        opened = Math.max(opened, due - MAX_OPENS_PER_TICK);
        while (!open.isEmpty() && now - open.peek().openedNanos() >= lifetimeNanos) {
            mbufs.m_freem(open.poll().mbuf());
        }
    }

    /** A new connection and its receive buffer; none when the cluster limit is reached. */
    private void open(long now) {
        long m = mbufs.m_gethdr(Uma.M_NOWAIT, Mbuf.MT_DATA);
        if (m == 0) {
            return;
        }
        if (!mbufs.m_clget(m, Uma.M_NOWAIT)) {
            mbufs.m_freem(m);
            return;
        }
        open.add(new Connection(m, now));
    }

    /** Connections open now. */
    synchronized int size() {
        return open.size();
    }

    /** Closes every connection. */
    synchronized void closeAll() {
        for (Connection c; (c = open.poll()) != null; ) {
            mbufs.m_freem(c.mbuf());
        }
    }
}
