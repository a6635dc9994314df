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

/**
 * A demo workload on an embedded allocator, so that a newcomer's first {@code memstatd} or
 * {@code memstat --source demo vmstat -z} shows moving numbers: a packet-processing simulation (bursts of
 * packets with clusters, a cluster limit that is hit now and then) and a few custom zones.
 *
 * <p>{@link #start} runs it on background daemon threads until {@link #close}; {@link #runFor} runs it on the
 * calling thread for a while. Either way the allocator's registry ({@link Uma#sysctl()}) carries the result.
 */
public final class DemoWorkload implements AutoCloseable {
    private final Uma uma;
    private final List<Zone> zones = new ArrayList<>();
    private final Zone mbuf;
    private final Zone cluster;
    private final Zone packet;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final List<Thread> threads = new ArrayList<>();

    private DemoWorkload(Uma uma) {
        this.uma = uma;
        mbuf = uma.zcreate("mbuf", 256, null, null, null, null, 255, Uma.ZONE_MAXBUCKET);
        cluster = uma.zcreate("mbuf_cluster", 2048, null, null, null, null, Uma.ALIGN_PTR, 0);
        cluster.setMax(6000);
        cluster.setWarning("kern.ipc.nmbclusters limit reached");
        packet = uma.zsecondCreate("mbuf_packet", null, null, null, null, mbuf);
        zones.add(uma.zcreate("demo_session", 600, null, null, null, null, Uma.ALIGN_CACHE, 0));
        zones.add(uma.zcreate("demo_route", 96, null, null, null, null, Uma.ALIGN_PTR, 0));
    }

    /** An allocator sized for the demo: 256 MiB of pages. */
    public static Uma newAllocator() {
        return Uma.builder().kmemSize(256L << 20).build();
    }

    /**
     * Creates the demo zones on {@code uma}.
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

    private void loop(long seed, Duration limit) {
        SplittableRandom rnd = new SplittableRandom(seed);
        ArrayDeque<long[]> held = new ArrayDeque<>();
        long end = limit == null ? Long.MAX_VALUE : System.nanoTime() + limit.toNanos();
        long nextTrim = System.nanoTime();
        while (!stop.get() && System.nanoTime() < end) {
            int burst = 50 + rnd.nextInt(rnd.nextInt(20) == 0 ? 8000 : 800);
            for (int i = 0; i < burst; i++) {
                allocOne(rnd, held);
            }
            while (held.size() > 4000 || (!held.isEmpty() && rnd.nextInt(4) != 0)) {
                freeOne(held.poll());
            }
            if (System.nanoTime() >= nextTrim) {
                uma.reclaim(Reclaim.TRIM);
                nextTrim = System.nanoTime() + 5_000_000_000L;
            }
            if (limit == null) {
                pause();
            }
        }
        if (limit == null) {
            for (long[] h; (h = held.poll()) != null; ) {
                freeOne(h);
            }
        }
    }

    private void allocOne(SplittableRandom rnd, ArrayDeque<long[]> held) {
        int kind = rnd.nextInt(10);
        if (kind < 5) {
            long m = packet.alloc(Uma.M_NOWAIT);
            long c = m == 0 ? 0 : cluster.alloc(Uma.M_NOWAIT);
            if (m != 0) {
                packet.segment(m).set(ValueLayout.JAVA_LONG, 0, c);
                held.add(new long[] {0, m, c});
            }
        } else if (kind < 8) {
            long m = mbuf.alloc(Uma.M_NOWAIT);
            if (m != 0) {
                held.add(new long[] {1, m, 0});
            }
        } else {
            Zone z = zones.get(rnd.nextInt(zones.size()));
            long item = z.alloc(Uma.M_NOWAIT);
            if (item != 0) {
                held.add(new long[] {2 + zones.indexOf(z), item, 0});
            }
        }
    }

    private void freeOne(long[] h) {
        switch ((int) h[0]) {
            case 0 -> {
                cluster.free(h[2]);
                packet.free(h[1]);
            }
            case 1 -> mbuf.free(h[1]);
            default -> zones.get((int) h[0] - 2).free(h[1]);
        }
    }

    private void pause() {
        try {
            Thread.sleep(5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop.set(true);
        }
    }

    /** The allocator this workload runs on. */
    public Uma allocator() {
        return uma;
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
    }
}
