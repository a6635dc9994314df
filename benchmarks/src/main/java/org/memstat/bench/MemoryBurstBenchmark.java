package org.memstat.bench;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.memstat.uma.Uma;
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
 * Burst and return (issue 10, scenario 1): allocate {@code items} items of {@code size} bytes, write each in full,
 * free them all, then watch the resident set come back (or not). Once per fork, one fork per allocator and size, so
 * every figure is the process's own ({@code VmRSS}, {@link MemoryProbe}).
 *
 * <p>Allocators ({@link MemoryPeer}): {@code uma} gives memory back only through its trim thread (interval
 * {@code trimMs}, no reclaim call); {@code umaDrain} is the same allocator with one {@code reclaim(DRAIN)} right
 * after the free, timed; {@code glibc} calls {@code malloc_trim(0)} right after the free, timed; Netty's pooled and
 * adaptive allocators (direct buffers) have no such call: releasing every buffer is the free.
 *
 * <p>Figures (JMH secondary results, {@code @AuxCounters}; -1 where a figure does not apply), RSS in MiB:
 * {@code rssBeforeMiB} (after a small warm-up and three quiet intervals), {@code rssPeakMiB} (all items live),
 * {@code rssFreedMiB} (right after the last free), {@code rssGiveBackMiB} (after the give-back call, if any),
 * {@code rssTick1MiB}..{@code rssTick3MiB} (after 1, 2, 3 intervals since the free and, for uma-core, at least as
 * many completed ticks of its trim thread), and the same points for the allocator's own figure of what it holds
 * ({@code held*MiB}: uma-core's {@code pagesInUse} x 4 KiB, Netty's {@code usedDirectMemory}). Times in ms:
 * {@code within10Ms} from the free until RSS is within 10 % of the burst above the baseline
 * ({@code rss - before <= 0.1 x (peak - before)}, -1 if not within {@value #WAIT_CAP_MS} ms),
 * {@code within10AfterFirstTickMs} the same from the moment the first trim tick after the free was seen running,
 * {@code giveBackCallMs} how long the give-back call took. Last, {@code rssEndMallocTrimMiB}: RSS after one more
 * {@code malloc_trim(0)}, whatever the allocator, which shows how much of what Netty released glibc still held.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 0)
@Measurement(iterations = 1)
@Fork(value = 1, jvmArgsAppend = {FairFlags.XMS, FairFlags.XMX, FairFlags.PRE_TOUCH, FairFlags.GC,
        FairFlags.NATIVE_ACCESS, FairFlags.UNSAFE, FairFlags.OPEN_NIO, FairFlags.NETTY_REFLECTION,
        FairFlags.NETTY_NO_LEAK_DETECTION, MemoryBurstBenchmark.MAX_DIRECT})
public class MemoryBurstBenchmark {
    /**
     * Netty counts its direct memory against {@code MaxDirectMemorySize}, which defaults to {@code -Xmx} (2 GiB):
     * too little for the 2 GiB burst. Raised for every allocator alike; only Netty reads it.
     */
    static final String MAX_DIRECT = "-XX:MaxDirectMemorySize=8g";

    /** The longest wait for RSS to come within 10 % after the free. */
    static final long WAIT_CAP_MS = 10_000;

    /** {@code uma}, {@code umaDrain}, {@code nettyPooled}, {@code nettyAdaptive}, {@code glibc}. */
    @Param({"uma", "umaDrain", "nettyPooled", "nettyAdaptive", "glibc"})
    public String allocator;

    /** Item size in bytes. */
    @Param({"256", "2048"})
    public int size;

    /** Items in the burst. */
    @Param({"1000000"})
    public int items;

    /** uma-core's trim interval in milliseconds, also the sampling interval for every allocator. */
    @Param({"200"})
    public int trimMs;

    private MemoryPeer peer;
    private MemoryPeer.Slots slots;
    private MemoryProbe.TickWatch ticks;

    /** Creates the state; JMH calls it. */
    public MemoryBurstBenchmark() {
    }

    /** The figures of the one invocation; every field is a JMH secondary result. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Figures {
        /** RSS before the burst, MiB. */
        public double rssBeforeMiB;
        /** RSS with every item live, MiB. */
        public double rssPeakMiB;
        /** RSS right after the last free, MiB. */
        public double rssFreedMiB;
        /** RSS after the give-back call (uma DRAIN, malloc_trim), else as freed, MiB. */
        public double rssGiveBackMiB;
        /** RSS after one interval (and one trim tick for uma-core), MiB. */
        public double rssTick1MiB;
        /** RSS after two intervals, MiB. */
        public double rssTick2MiB;
        /** RSS after three intervals, MiB. */
        public double rssTick3MiB;
        /** What the allocator says it holds before the burst, MiB (-1: cannot say). */
        public double heldBeforeMiB;
        /** ... at the peak. */
        public double heldPeakMiB;
        /** ... right after the free. */
        public double heldFreedMiB;
        /** ... after the give-back call. */
        public double heldGiveBackMiB;
        /** ... after one interval. */
        public double heldTick1MiB;
        /** ... after two intervals. */
        public double heldTick2MiB;
        /** ... after three intervals. */
        public double heldTick3MiB;
        /** Time to allocate and write every item, ms. */
        public double allocMs;
        /** Time to free every item, ms. */
        public double freeMs;
        /** Time of the give-back call, ms (-1: none). */
        public double giveBackCallMs;
        /** From the free to the first trim tick seen running, ms (-1: not uma-core). */
        public double firstTickMs;
        /** From the free until RSS is within 10 % of the burst above the baseline, ms (-1: not reached). */
        public double within10Ms;
        /** From the first trim tick after the free until within 10 %, ms (-1: not reached or not uma-core). */
        public double within10AfterFirstTickMs;
        /** Trim ticks completed when RSS came within 10 % (-1: not reached or not uma-core). */
        public long ticksToWithin10;
        /**
         * RSS at the very end, after one more {@code malloc_trim(0)} for every allocator, MiB: what glibc still held
         * underneath (Netty's chunks come from the JDK's {@code Unsafe.allocateMemory}, that is malloc).
         */
        public double rssEndMallocTrimMiB;

        /** Creates the state; JMH calls it. */
        public Figures() {
        }
    }

    /** Opens the allocator, warms it up a little and lets it settle. */
    @Setup(Level.Trial)
    public void setUp() {
        ThreadKind.PLAIN.require();
        long kmem = Math.max(1L << 30, 2L * items * size);
        String name = allocator.equals("umaDrain") ? MemoryPeer.UMA : allocator;
        peer = MemoryPeer.open(name, kmem, Duration.ofMillis(trimMs));
        MemoryPeer.Items cls = peer.items("burst" + size, size);
        slots = cls.slots(items);
        MemoryPeer.Slots warm = cls.slots(10_000);
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < warm.length(); i++) {
                warm.alloc(i);
            }
            warm.freeAll();
        }
        peer.giveBack();
        if (peer.uma() != null) {
            ticks = MemoryProbe.TickWatch.ofTrimThread();
        }
        MemoryProbe.sleepMs(3L * trimMs);
    }

    /** Frees anything left and closes the allocator. */
    @TearDown(Level.Trial)
    public void tearDown() {
        slots.freeAll();
        peer.close();
    }

    /**
     * The scenario, once.
     *
     * @param f the figures
     * @return the number of items allocated
     */
    @Benchmark
    public long burst(Figures f) {
        Uma uma = peer.uma();
        boolean drain = allocator.equals("umaDrain");
        f.rssBeforeMiB = MemoryProbe.rssMiB();
        f.heldBeforeMiB = held();
        long t0 = System.nanoTime();
        for (int i = 0; i < items; i++) {
            slots.alloc(i);
        }
        f.allocMs = MemoryProbe.msSince(t0);
        f.rssPeakMiB = MemoryProbe.rssMiB();
        f.heldPeakMiB = held();
        long t1 = System.nanoTime();
        for (int i = 0; i < items; i++) {
            slots.free(i);
        }
        long tFree = System.nanoTime();
        if (ticks != null) {
            ticks.reset();
        }
        f.freeMs = (tFree - t1) / 1e6;
        f.rssFreedMiB = MemoryProbe.rssMiB();
        f.heldFreedMiB = held();
        f.giveBackCallMs = -1;
        if (drain || allocator.equals(MemoryPeer.GLIBC)) {
            long tg = System.nanoTime();
            peer.giveBack();
            f.giveBackCallMs = MemoryProbe.msSince(tg);
            f.rssGiveBackMiB = MemoryProbe.rssMiB();
            f.heldGiveBackMiB = held();
        } else {
            f.rssGiveBackMiB = f.rssFreedMiB;
            f.heldGiveBackMiB = f.heldFreedMiB;
        }
        watch(f, tFree);
        MemoryPeer.mallocTrim();
        f.rssEndMallocTrimMiB = MemoryProbe.rssMiB();
        print(f);
        return uma != null ? uma.pagesInUse() : items;
    }

    /** Polls RSS (and the trim thread) about once a millisecond after the free; fills the tick and time figures. */
    private void watch(Figures f, long tFree) {
        double burst = f.rssPeakMiB - f.rssBeforeMiB;
        double[] rssAt = new double[3];
        double[] heldAt = new double[3];
        int sampled = 0;
        f.within10Ms = -1;
        f.within10AfterFirstTickMs = -1;
        f.ticksToWithin10 = -1;
        f.firstTickMs = -1;
        long interval = TimeUnit.MILLISECONDS.toNanos(trimMs);
        long cap = TimeUnit.MILLISECONDS.toNanos(WAIT_CAP_MS);
        while (true) {
            long now = System.nanoTime();
            long elapsed = now - tFree;
            int done = ticks != null ? ticks.poll() : 0;
            if (ticks != null && f.firstTickMs < 0 && ticks.firstTickStartNanos() != 0) {
                f.firstTickMs = (ticks.firstTickStartNanos() - tFree) / 1e6;
            }
            double rss = MemoryProbe.rssMiB();
            if (f.within10Ms < 0 && rss - f.rssBeforeMiB <= 0.1 * burst) {
                f.within10Ms = elapsed / 1e6;
                if (ticks != null) {
                    f.ticksToWithin10 = done;
                    if (ticks.firstTickStartNanos() != 0) {
                        f.within10AfterFirstTickMs = (now - ticks.firstTickStartNanos()) / 1e6;
                    }
                }
            }
            while (sampled < 3 && elapsed >= (sampled + 1) * interval && (ticks == null || done >= sampled + 1)) {
                rssAt[sampled] = rss;
                heldAt[sampled] = held();
                sampled++;
            }
            if (sampled == 3 && (f.within10Ms >= 0 || elapsed >= cap)) {
                break;
            }
            if (elapsed >= 2 * cap) {
                throw new IllegalStateException("no three trim ticks in " + 2 * WAIT_CAP_MS + " ms");
            }
            MemoryProbe.sleepMs(1);
        }
        f.rssTick1MiB = rssAt[0];
        f.rssTick2MiB = rssAt[1];
        f.rssTick3MiB = rssAt[2];
        f.heldTick1MiB = heldAt[0];
        f.heldTick2MiB = heldAt[1];
        f.heldTick3MiB = heldAt[2];
    }

    private double held() {
        long b = peer.heldBytes();
        return b < 0 ? -1 : MemoryProbe.mib(b);
    }

    private void print(Figures f) {
        System.out.println(String.format(Locale.ROOT,
                "%nmemory-burst %s size=%d items=%d: RSS MiB before %.1f peak %.1f freed %.1f give-back %.1f"
                        + " tick1 %.1f tick2 %.1f tick3 %.1f | held MiB %.1f %.1f %.1f %.1f %.1f %.1f %.1f"
                        + " | alloc %.0f ms free %.0f ms give-back call %.1f ms first tick %.1f ms"
                        + " within 10%% %.1f ms (%.1f after first tick, %d ticks) | end, after malloc_trim %.1f MiB",
                allocator, size, items, f.rssBeforeMiB, f.rssPeakMiB, f.rssFreedMiB, f.rssGiveBackMiB,
                f.rssTick1MiB, f.rssTick2MiB, f.rssTick3MiB, f.heldBeforeMiB, f.heldPeakMiB, f.heldFreedMiB,
                f.heldGiveBackMiB, f.heldTick1MiB, f.heldTick2MiB, f.heldTick3MiB, f.allocMs, f.freeMs,
                f.giveBackCallMs, f.firstTickMs, f.within10Ms, f.within10AfterFirstTickMs, f.ticksToWithin10,
                f.rssEndMallocTrimMiB));
    }
}
