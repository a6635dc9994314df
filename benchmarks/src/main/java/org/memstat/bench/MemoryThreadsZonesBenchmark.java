package org.memstat.bench;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.memstat.uma.Uma;
import org.memstat.uma.Zone;
import org.memstat.uma.ZoneStats;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Threads x zones (issue 10, scenario 3): {@code threads} platform threads, started together, each allocate
 * {@code perZone} items (256 B, written in full) in each of {@code zones} zones and free them again, zone after
 * zone; then every thread parks and stays alive. What stays cached should not grow with the thread count beyond the
 * CPU count: uma-core gives cached buckets to at most {@code maxCpus} threads per zone ("leases"; the others share
 * {@code maxCpus} caches). Once per fork, one fork per allocator and thread count.
 *
 * <p>Figures, right after the last thread parked ({@code after*}) and after {@value #TICKS} more intervals
 * ({@code ticks*}; for uma-core at least {@value #TICKS} completed ticks of its trim thread, interval
 * {@code trimMs}): RSS above the baseline taken before the threads started, in MiB (this includes the threads'
 * own stacks: the {@code none} allocator runs the same threads allocating nothing, as the control); for uma-core
 * the free memory its caches hold, {@code sum over the zones of (cacheFree + zoneFree) x 256 B} in KiB, the free
 * items in its slabs ({@code kegFree x 256 B}) and {@code pagesInUse x 4 KiB}; for Netty its
 * {@code usedDirectMemory}. Last, RSS after a {@code malloc_trim(0)}, for every allocator ({@code trimRssMiB}): glibc's
 * give-back call, and for the others what glibc held underneath (Netty's chunks come from {@code malloc}).
 * The other allocators run the same loops with the same item size; "zones" are just rounds for them.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 0)
@Measurement(iterations = 1)
@Fork(value = 1, jvmArgsAppend = {FairFlags.XMS, FairFlags.XMX, FairFlags.PRE_TOUCH, FairFlags.GC,
        FairFlags.NATIVE_ACCESS, FairFlags.UNSAFE, FairFlags.OPEN_NIO, FairFlags.NETTY_REFLECTION,
        FairFlags.NETTY_NO_LEAK_DETECTION})
public class MemoryThreadsZonesBenchmark {
    static final int SIZE = 256;
    static final int TICKS = 2;

    /** {@code uma}, {@code nettyPooled}, {@code nettyPooledCacheAll}, {@code nettyAdaptive}, {@code glibc}, {@code none}. */
    @Param({"uma", "nettyPooled", "nettyPooledCacheAll", "nettyAdaptive", "glibc", "none"})
    public String allocator;

    /** Threads. */
    @Param({"2", "8", "32", "128", "256"})
    public int threads;

    /** Zones of 256 B. */
    @Param({"100"})
    public int zones;

    /** Items each thread allocates (then frees) in each zone. */
    @Param({"300"})
    public int perZone;

    /** uma-core's trim interval in milliseconds (also the waiting interval for the others). */
    @Param({"200"})
    public int trimMs;

    private MemoryPeer peer;
    private MemoryPeer.Items[] classes;
    private Zone[] umaZones;
    private MemoryProbe.TickWatch ticks;
    private Thread[] workers;
    private final CountDownLatch stop = new CountDownLatch(1);

    /** Creates the state; JMH calls it. */
    public MemoryThreadsZonesBenchmark() {
    }

    /** The figures of the one invocation; every field is a JMH secondary result. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Figures {
        /** RSS above the baseline right after, MiB. */
        public double afterRssMiB;
        /** uma-core: (cacheFree + zoneFree) x 256 B over all zones right after, KiB (-1: not uma-core). */
        public double afterCachedKiB;
        /** uma-core: cacheFree items over all zones right after. */
        public long afterCacheFree;
        /** uma-core: zoneFree items over all zones right after. */
        public long afterZoneFree;
        /** uma-core: kegFree x 256 B over all zones right after, KiB. */
        public double afterKegFreeKiB;
        /** uma-core's pagesInUse x 4 KiB, Netty's usedDirectMemory, right after, KiB (-1: cannot say). */
        public double afterHeldKiB;
        /** As afterRssMiB, after the trim ticks (or intervals). */
        public double ticksRssMiB;
        /** As afterCachedKiB, after the ticks. */
        public double ticksCachedKiB;
        /** As afterCacheFree, after the ticks. */
        public long ticksCacheFree;
        /** As afterZoneFree, after the ticks. */
        public long ticksZoneFree;
        /** As afterKegFreeKiB, after the ticks. */
        public double ticksKegFreeKiB;
        /** As afterHeldKiB, after the ticks. */
        public double ticksHeldKiB;
        /** RSS above the baseline after a final malloc_trim(0), every allocator, MiB. */
        public double trimRssMiB;
        /** Time from the start signal until the last thread parked, ms. */
        public double workMs;

        /** Creates the state; JMH calls it. */
        public Figures() {
        }
    }

    /** Opens the allocator and its zones, warms one zone up on this thread. */
    @Setup(Level.Trial)
    public void setUp() {
        ThreadKind.PLAIN.require();
        peer = MemoryPeer.open(allocator, 1L << 30, Duration.ofMillis(trimMs));
        classes = new MemoryPeer.Items[zones];
        for (int z = 0; z < zones; z++) {
            classes[z] = peer.items(String.format(Locale.ROOT, "z%03d", z), SIZE);
        }
        Uma uma = peer.uma();
        if (uma != null) {
            umaZones = uma.zones().stream().filter(z -> z.name().matches("z\\d{3}")).toArray(Zone[]::new);
            if (umaZones.length != zones) {
                throw new IllegalStateException(umaZones.length + " zones found, " + zones + " made");
            }
        }
        MemoryPeer.Slots warm = peer.items("warm", SIZE).slots(perZone);
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < perZone; i++) {
                warm.alloc(i);
            }
            warm.freeAll();
        }
        peer.giveBack();
        if (uma != null) {
            ticks = MemoryProbe.TickWatch.ofTrimThread();
        }
        MemoryProbe.sleepMs(3L * trimMs);
    }

    /** Releases the parked threads and closes the allocator. */
    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException {
        stop.countDown();
        if (workers != null) {
            for (Thread t : workers) {
                t.join();
            }
        }
        peer.close();
    }

    /**
     * The scenario, once.
     *
     * @param f the figures
     * @return the number of threads that ran
     * @throws InterruptedException if interrupted while waiting for the threads
     */
    @Benchmark
    public int threadsZones(Figures f) throws InterruptedException {
        double rss0 = MemoryProbe.rssMiB();
        CountDownLatch go = new CountDownLatch(1);
        CountDownLatch parked = new CountDownLatch(threads);
        Throwable[] failure = new Throwable[1];
        workers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            MemoryPeer.Slots[] mine = new MemoryPeer.Slots[zones];
            for (int z = 0; z < zones; z++) {
                mine[z] = classes[z].slots(perZone);
            }
            workers[t] = Thread.ofPlatform().daemon().name("tz-" + t).unstarted(() -> {
                try {
                    go.await();
                    for (MemoryPeer.Slots s : mine) {
                        for (int i = 0; i < perZone; i++) {
                            s.alloc(i);
                        }
                        for (int i = 0; i < perZone; i++) {
                            s.free(i);
                        }
                    }
                } catch (Throwable e) {
                    synchronized (failure) {
                        failure[0] = e;
                    }
                } finally {
                    parked.countDown();
                }
                try {
                    stop.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            workers[t].start();
        }
        long t0 = System.nanoTime();
        go.countDown();
        parked.await();
        f.workMs = MemoryProbe.msSince(t0);
        synchronized (failure) {
            if (failure[0] != null) {
                throw new IllegalStateException("a worker failed", failure[0]);
            }
        }
        if (ticks != null) {
            ticks.reset();
        }
        f.afterRssMiB = MemoryProbe.rssMiB() - rss0;
        f.afterHeldKiB = heldKiB();
        long[] s = umaSums();
        f.afterCacheFree = s[0];
        f.afterZoneFree = s[1];
        f.afterCachedKiB = s[0] < 0 ? -1 : (s[0] + s[1]) * SIZE / 1024.0;
        f.afterKegFreeKiB = s[2] < 0 ? -1 : s[2] * SIZE / 1024.0;
        if (ticks != null) {
            int done = ticks.awaitTicks(TICKS, 20L * TICKS * trimMs);
            if (done < TICKS) {
                throw new IllegalStateException("only " + done + " trim ticks");
            }
        } else {
            MemoryProbe.sleepMs((long) TICKS * trimMs);
        }
        f.ticksRssMiB = MemoryProbe.rssMiB() - rss0;
        f.ticksHeldKiB = heldKiB();
        s = umaSums();
        f.ticksCacheFree = s[0];
        f.ticksZoneFree = s[1];
        f.ticksCachedKiB = s[0] < 0 ? -1 : (s[0] + s[1]) * SIZE / 1024.0;
        f.ticksKegFreeKiB = s[2] < 0 ? -1 : s[2] * SIZE / 1024.0;
        MemoryPeer.mallocTrim();
        f.trimRssMiB = MemoryProbe.rssMiB() - rss0;
        print(f);
        return threads;
    }

    /** Sums of cacheFree, zoneFree and kegFree over the benchmark's uma-core zones, or -1s. */
    private long[] umaSums() {
        if (umaZones == null) {
            return new long[] {-1, -1, -1};
        }
        long[] s = new long[3];
        for (Zone z : umaZones) {
            ZoneStats st = z.stats();
            s[0] += st.cacheFree();
            s[1] += st.zoneFree();
            s[2] += st.kegFree();
        }
        return s;
    }

    private double heldKiB() {
        long b = peer.heldBytes();
        return b < 0 ? -1 : b / 1024.0;
    }

    private void print(Figures f) {
        System.out.println(String.format(Locale.ROOT,
                "%nmemory-threads-zones %s threads=%d zones=%d perZone=%d: right after: RSS +%.1f MiB,"
                        + " cached %.0f KiB (cacheFree %d, zoneFree %d), kegFree %.0f KiB, held %.0f KiB;"
                        + " after %d ticks: RSS +%.1f MiB, cached %.0f KiB (cacheFree %d, zoneFree %d),"
                        + " kegFree %.0f KiB, held %.0f KiB; after malloc_trim RSS +%.1f MiB; work %.0f ms",
                allocator, threads, zones, perZone, f.afterRssMiB, f.afterCachedKiB, f.afterCacheFree,
                f.afterZoneFree, f.afterKegFreeKiB, f.afterHeldKiB, TICKS, f.ticksRssMiB, f.ticksCachedKiB,
                f.ticksCacheFree, f.ticksZoneFree, f.ticksKegFreeKiB, f.ticksHeldKiB, f.trimRssMiB, f.workMs));
    }
}
