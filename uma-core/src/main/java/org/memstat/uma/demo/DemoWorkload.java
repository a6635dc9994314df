package org.memstat.uma.demo;

import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.memstat.uma.Reclaim;
import org.memstat.uma.Uma;
import org.memstat.uma.Zone;
import org.memstat.uma.malloc.Malloc;
import org.memstat.uma.malloc.MallocType;
import org.memstat.uma.mbuf.Mbuf;
import org.memstat.uma.mbuf.MbufTunables;
import org.memstat.uma.mbuf.Mbufs;

/**
 * A demo workload on an embedded allocator, so that a newcomer's first {@code memstatd} or
 * {@code memstat --source demo netstat -m} shows moving numbers: a packet-processing simulation on the mbuf layer
 * (bursts of packets with clusters, some jumbo frames, packet tags, a cluster limit that bursts hit now and then),
 * malloc(9) types for connection state and buffers, a few custom zones, and a connection table that holds an mbuf
 * cluster per connection far longer than it needs ({@link ConnectionTable}: what the sampled profiles point at).
 *
 * <p>{@link #start} runs it on background daemon threads until {@link #close}; {@link #runFor} runs it on the
 * calling thread for a while. Either way the allocator's registry ({@link Uma#sysctl()}) carries the result:
 * {@code vm.zone_stats}, {@code kern.malloc_stats} and the {@code kern.ipc.nmb*} limits.
 */
public final class DemoWorkload implements AutoCloseable {
    /** The cluster limit the demo boots with, low enough that its large bursts reach it. */
    public static final int DEMO_NMBCLUSTERS = 6000;

    private final Uma uma;
    private final Malloc malloc;
    private final Mbufs mbufs;
    private final MallocType connType;
    private final MallocType bufType;
    private final List<Zone> zones = new ArrayList<>();
    private final ConnectionTable table;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final List<Thread> threads = new ArrayList<>();

    private DemoWorkload(Uma uma) {
        this.uma = uma;
        this.malloc = Malloc.create(uma);
        this.mbufs = Mbufs.create(malloc, new MbufTunables.Boot(0, DEMO_NMBCLUSTERS, 0, 0, 0, 0));
        this.connType = malloc.define("demo_conn");
        this.bufType = malloc.define("demo_buf");
        zones.add(uma.zcreate("demo_session", 600, null, null, null, null, Uma.ALIGN_CACHE, 0));
        zones.add(uma.zcreate("demo_route", 96, null, null, null, null, Uma.ALIGN_PTR, 0));
        // Packets cached in mbuf_packet keep their clusters: a bounded cache keeps those to a few hundred, so
        // what holds clusters is what the profile should show, the connection table.
        mbufs.packetZone().setMaxCache(PACKET_CACHE);
        // One sample per 32 clusters, so the connection table shows in the profile within a minute.
        mbufs.clusterZone().setSampleRate(CLUSTER_SAMPLE_RATE);
        this.table = new ConnectionTable(mbufs, TABLE_OPENS_PER_SECOND, TABLE_LIFETIME.toNanos(), System.nanoTime());
    }

    /** Allocations the workload's own loop keeps at most (the oldest go first). */
    private static final int HELD_MAX = 500;
    /** Packets the demo's {@code mbuf_packet} zone caches at most ({@code uma_zone_set_maxcache}). */
    static final int PACKET_CACHE = 256;
    /** A burst larger than this drains the packet zone once its packets are freed. */
    private static final int LARGE_BURST = 1000;

    /** The sampling rate of the demo's {@code mbuf_cluster} zone, bytes. */
    public static final long CLUSTER_SAMPLE_RATE = 64 * 1024;
    /** Connections the demo's connection table opens per second. */
    static final double TABLE_OPENS_PER_SECOND = 40;
    /** How long each keeps its cluster: the table levels off at about 40 x 120 = 4,800 clusters. */
    static final Duration TABLE_LIFETIME = Duration.ofSeconds(120);

    /** An allocator sized for the demo: 256 MiB of pages. */
    public static Uma newAllocator() {
        return Uma.builder().kmemSize(256L << 20).build();
    }

    /**
     * Creates the demo's layers, types and zones on {@code uma}.
     *
     * @param uma the allocator to populate
     * @return the workload, not yet running
     */
    public static DemoWorkload create(Uma uma) {
        return new DemoWorkload(uma);
    }

    /**
     * Starts {@code threads} background daemon threads running the workload until {@link #close()}.
     *
     * @param threads worker threads, at least 1
     * @return this
     */
    public DemoWorkload start(int threads) {
        for (int t = 0; t < threads; t++) {
            long seed = 42 + t;
            this.threads.add(Thread.ofPlatform().daemon().name("demo-workload-" + t).start(() -> loop(seed, null)));
        }
        return this;
    }

    /**
     * Runs the workload on the calling thread for {@code d}, then returns with some items still held, so the
     * statistics show items in use as well as cached ones.
     *
     * @param d how long to run
     * @return this
     */
    public DemoWorkload runFor(Duration d) {
        loop(7, d);
        return this;
    }

    /** One held allocation: what it is and its address. */
    private record Held(int kind, long addr) {
    }

    private void loop(long seed, Duration limit) {
        SplittableRandom rnd = new SplittableRandom(seed);
        ArrayDeque<Held> held = new ArrayDeque<>();
        long end = limit == null ? Long.MAX_VALUE : System.nanoTime() + limit.toNanos();
        long nextTrim = System.nanoTime();
        boolean drainDue = false;
        while (!stop.get() && System.nanoTime() < end) {
            // Mostly small bursts; now and then a large one that runs into the cluster limit.
            int burst = 20 + rnd.nextInt(rnd.nextInt(40) == 0 ? 8000 : 300);
            drainDue |= burst > LARGE_BURST;
            for (int i = 0; i < burst; i++) {
                allocOne(rnd, held);
            }
            while (held.size() > HELD_MAX || (!held.isEmpty() && rnd.nextInt(4) != 0)) {
                freeOne(held.poll());
            }
            if (drainDue && held.size() < LARGE_BURST) {
                // The packets of a large burst, cached in mbuf_packet, would keep their clusters until a trim:
                // give them back as mb_reclaim does under pressure, so the clusters held are those still in use.
                mbufs.packetZone().reclaim(Reclaim.DRAIN);
                drainDue = false;
            }
            table.tick(System.nanoTime());
            if (System.nanoTime() >= nextTrim) {
                uma.reclaim(Reclaim.TRIM);
                nextTrim = System.nanoTime() + 5_000_000_000L;
            }
            if (limit == null) {
                pause();
            }
        }
        if (limit == null) {
            for (Held h; (h = held.poll()) != null; ) {
                freeOne(h);
            }
        }
    }

    private void allocOne(SplittableRandom rnd, ArrayDeque<Held> held) {
        int r = rnd.nextInt(100);
        long a;
        int kind;
        if (r < 45) {
            kind = 0;
            a = mbufs.m_getcl(Uma.M_NOWAIT, Mbuf.MT_DATA, Mbuf.M_PKTHDR);
            if (a != 0 && rnd.nextInt(8) == 0) {
                long tag = mbufs.tags().m_tag_get(1, 16, Uma.M_NOWAIT);
                if (tag != 0) {
                    mbufs.tags().m_tag_prepend(a, tag);
                }
            }
        } else if (r < 70) {
            kind = 0;
            a = mbufs.m_gethdr(Uma.M_NOWAIT, Mbuf.MT_DATA);
        } else if (r < 75) {
            kind = 0;
            int[] sizes = {Mbuf.MJUMPAGESIZE, Mbuf.MJUM9BYTES, Mbuf.MJUM16BYTES};
            a = mbufs.m_getjcl(Uma.M_NOWAIT, Mbuf.MT_DATA, Mbuf.M_PKTHDR, sizes[rnd.nextInt(sizes.length)]);
        } else if (r < 85) {
            kind = 1;
            a = malloc.malloc(64 + rnd.nextInt(1500), connType, Uma.M_NOWAIT);
        } else if (r < 90) {
            kind = 2;
            a = malloc.malloc(1 + rnd.nextInt(rnd.nextInt(50) == 0 ? 200_000 : 8192), bufType, Uma.M_NOWAIT);
        } else {
            kind = 3 + rnd.nextInt(zones.size());
            a = zones.get(kind - 3).alloc(Uma.M_NOWAIT);
            if (a != 0) {
                zones.get(kind - 3).segment(a).set(ValueLayout.JAVA_LONG, 0, a);
            }
        }
        if (a != 0) {
            held.add(new Held(kind, a));
        }
    }

    private void freeOne(Held h) {
        switch (h.kind()) {
            case 0 -> mbufs.m_freem(h.addr());
            case 1 -> malloc.free(h.addr(), connType);
            case 2 -> malloc.free(h.addr(), bufType);
            default -> zones.get(h.kind() - 3).free(h.addr());
        }
    }

    /** Keeps the background demo to a few percent of one CPU, so it does not crowd out what observes it. */
    private void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop.set(true);
        }
    }

    /** The allocator this workload runs on. */
    public Uma allocator() {
        return uma;
    }

    /** The malloc(9) layer of the demo. */
    public Malloc malloc() {
        return malloc;
    }

    /** The mbuf layer of the demo. */
    public Mbufs mbufs() {
        return mbufs;
    }

    /** Stops the background threads and waits for them to free what they hold. */
    @Override
    public void close() {
        stop.set(true);
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        table.closeAll();
    }

    /** Connections the demo's connection table holds now. */
    public int connections() {
        return table.size();
    }
}
