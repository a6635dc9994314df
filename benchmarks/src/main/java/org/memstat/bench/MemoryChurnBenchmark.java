package org.memstat.bench;

import java.time.Duration;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
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
 * Shrinking churn (issue 10, scenario 2): hold about 85 % of a budget ({@code budgetMiB}) in 4 KiB items under
 * random alloc/free churn, then move the same bytes into 64-byte items and churn those. Once per fork, one fork per
 * allocator ({@link MemoryPeer}), one thread.
 *
 * <ul>
 *   <li>Phase 1: allocate {@code n1 = 0.85 x budget / 4096} items of 4 KiB (written in full), then
 *       {@value #ROUNDS} churn rounds, each freeing {@code n1 / 10} slots drawn at random (with replacement) and
 *       allocating them again.</li>
 *   <li>Phase 2: the 4 KiB items are freed in random order, each immediately replaced by 64 items of 64 B, so the
 *       live bytes stay at 85 % of the budget throughout; then {@value #ROUNDS} churn rounds on the
 *       {@code n2 = 64 x n1} small items as above.</li>
 * </ul>
 *
 * <p>After each phase: RSS above the baseline taken before phase 1, right at the end of the phase ({@code raw})
 * and once the allocator has been given its chance to give memory back ({@code settled}): uma-core after
 * {@value #SETTLE_TICKS} completed ticks of its trim thread (interval {@code trimMs}, no reclaim call), glibc after
 * {@code malloc_trim(0)}, Netty after waiting the same {@value #SETTLE_TICKS} intervals (it has no such call). The
 * ratio is RSS above the baseline / live bytes; the goals: at most 1.1 after phase 1, at most 1.8 after
 * phase 2. The heap held after a full GC is reported beside it (slab records, {@code ByteBuf} objects), because
 * the fixed, pre-touched heap keeps it out of {@code VmRSS}. At the very end one more {@code malloc_trim(0)}, for
 * every allocator, shows what glibc still held underneath ({@code p2RssMallocTrimMiB}).
 *
 * <p>uma-core's page source is {@code kmemPercent} % of the budget. The default, 200, gives it room; the others have
 * no limit at all. At 100 the budget is a hard limit for uma-core only, and with uma-core at {@code a263adb} this
 * workload then never finishes: phase 2 waits in {@code M_WAITOK} for pages that only its own thread could free,
 * because random frees leave the 2-item slabs of 4 KiB items half full (docs/PERFORMANCE.md, issue 10).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 0)
@Measurement(iterations = 1)
@Fork(value = 1, jvmArgsAppend = {FairFlags.XMS, FairFlags.XMX, FairFlags.PRE_TOUCH, FairFlags.GC,
        FairFlags.NATIVE_ACCESS, FairFlags.UNSAFE, FairFlags.OPEN_NIO, FairFlags.NETTY_REFLECTION,
        FairFlags.NETTY_NO_LEAK_DETECTION, MemoryBurstBenchmark.MAX_DIRECT})
public class MemoryChurnBenchmark {
    static final int BIG = 4096;
    static final int SMALL = 64;
    static final int ROUNDS = 10;
    static final int SETTLE_TICKS = 3;

    /** {@code uma}, {@code nettyPooled}, {@code nettyAdaptive}, {@code glibc}. */
    @Param({"uma", "nettyPooled", "nettyAdaptive", "glibc"})
    public String allocator;

    /** The budget in MiB; 85 % of it is live. */
    @Param({"512"})
    public int budgetMiB;

    /** uma-core's page source as a percentage of the budget. */
    @Param({"200"})
    public int kmemPercent;

    /** uma-core's trim interval in milliseconds (also Netty's waiting interval). */
    @Param({"200"})
    public int trimMs;

    /** Seed of the churn. */
    @Param({"10"})
    public long seed;

    private MemoryPeer peer;
    private MemoryPeer.Slots big;
    private MemoryPeer.Slots small;
    private MemoryProbe.TickWatch ticks;
    private int n1;

    /** Creates the state; JMH calls it. */
    public MemoryChurnBenchmark() {
    }

    /** The figures of the one invocation; every field is a JMH secondary result. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Figures {
        /** Live bytes after phase 1, MiB. */
        public double p1LiveMiB;
        /** RSS above the baseline at the end of phase 1, MiB. */
        public double p1RssRawMiB;
        /** ... after the give-back (ticks, malloc_trim, wait), MiB. */
        public double p1RssMiB;
        /** p1RssMiB / p1LiveMiB. */
        public double p1Ratio;
        /** p1RssRawMiB / p1LiveMiB. */
        public double p1RatioRaw;
        /** What the allocator says it holds after the give-back, MiB (-1: cannot say). */
        public double p1HeldMiB;
        /** Java heap held above the baseline after a full GC, MiB. */
        public double p1HeapMiB;
        /** Live bytes after phase 2, MiB. */
        public double p2LiveMiB;
        /** RSS above the baseline at the end of phase 2, MiB. */
        public double p2RssRawMiB;
        /** ... after the give-back, MiB. */
        public double p2RssMiB;
        /** p2RssMiB / p2LiveMiB. */
        public double p2Ratio;
        /** p2RssRawMiB / p2LiveMiB. */
        public double p2RatioRaw;
        /** What the allocator says it holds after the give-back, MiB. */
        public double p2HeldMiB;
        /** Java heap held above the baseline after a full GC, MiB. */
        public double p2HeapMiB;
        /**
         * RSS above the baseline at the very end, after one more {@code malloc_trim(0)} for every allocator, MiB:
         * shows what glibc still held underneath Netty's released chunks (they come from {@code malloc}).
         */
        public double p2RssMallocTrimMiB;
        /** RSS before phase 1, MiB. */
        public double rssBaseMiB;
        /** Duration of phase 1, ms. */
        public double p1Ms;
        /** Duration of phase 2, ms. */
        public double p2Ms;

        /** Creates the state; JMH calls it. */
        public Figures() {
        }
    }

    /** Opens the allocator and its two item classes, warms both up a little. */
    @Setup(Level.Trial)
    public void setUp() {
        ThreadKind.PLAIN.require();
        long budget = (long) budgetMiB << 20;
        n1 = (int) (budget * 85 / 100 / BIG);
        peer = MemoryPeer.open(allocator, budget * kmemPercent / 100, Duration.ofMillis(trimMs));
        MemoryPeer.Items bigItems = peer.items("churn4k", BIG);
        MemoryPeer.Items smallItems = peer.items("churn64", SMALL);
        big = bigItems.slots(n1);
        small = smallItems.slots(n1 * (BIG / SMALL));
        for (MemoryPeer.Items c : new MemoryPeer.Items[] {bigItems, smallItems}) {
            MemoryPeer.Slots warm = c.slots(2_000);
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < warm.length(); i++) {
                    warm.alloc(i);
                }
                warm.freeAll();
            }
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
        big.freeAll();
        small.freeAll();
        peer.close();
    }

    /**
     * The scenario, once.
     *
     * @param f the figures
     * @return the number of small items live at the end
     */
    @Benchmark
    public long churn(Figures f) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double heap0 = MemoryProbe.heapUsedAfterGcMiB();
        double rss0 = MemoryProbe.rssMiB();
        f.rssBaseMiB = rss0;

        long t0 = System.nanoTime();
        for (int i = 0; i < n1; i++) {
            big.alloc(i);
        }
        churn(big, rnd);
        f.p1Ms = MemoryProbe.msSince(t0);
        f.p1LiveMiB = MemoryProbe.mib((long) n1 * BIG);
        f.p1RssRawMiB = MemoryProbe.rssMiB() - rss0;
        settle();
        f.p1RssMiB = MemoryProbe.rssMiB() - rss0;
        f.p1HeldMiB = held();
        f.p1HeapMiB = MemoryProbe.heapUsedAfterGcMiB() - heap0;
        f.p1Ratio = f.p1RssMiB / f.p1LiveMiB;
        f.p1RatioRaw = f.p1RssRawMiB / f.p1LiveMiB;

        long t1 = System.nanoTime();
        int per = BIG / SMALL;
        int[] order = permutation(n1, rnd);
        for (int j : order) {
            big.free(j);
            for (int k = 0; k < per; k++) {
                small.alloc(j * per + k);
            }
        }
        churn(small, rnd);
        f.p2Ms = MemoryProbe.msSince(t1);
        f.p2LiveMiB = MemoryProbe.mib((long) small.length() * SMALL);
        f.p2RssRawMiB = MemoryProbe.rssMiB() - rss0;
        settle();
        f.p2RssMiB = MemoryProbe.rssMiB() - rss0;
        f.p2HeldMiB = held();
        f.p2HeapMiB = MemoryProbe.heapUsedAfterGcMiB() - heap0;
        f.p2Ratio = f.p2RssMiB / f.p2LiveMiB;
        f.p2RatioRaw = f.p2RssRawMiB / f.p2LiveMiB;
        MemoryPeer.mallocTrim();
        f.p2RssMallocTrimMiB = MemoryProbe.rssMiB() - rss0;
        print(f);
        return small.length();
    }

    /** {@value #ROUNDS} rounds: free {@code n / 10} random slots (with replacement), then allocate them again. */
    private static void churn(MemoryPeer.Slots s, SplittableRandom rnd) {
        int n = s.length();
        int[] freed = new int[n / 10];
        for (int round = 0; round < ROUNDS; round++) {
            int m = 0;
            for (int k = 0; k < freed.length; k++) {
                int i = rnd.nextInt(n);
                if (s.live(i)) {
                    s.free(i);
                    freed[m++] = i;
                }
            }
            for (int k = 0; k < m; k++) {
                s.alloc(freed[k]);
            }
        }
    }

    private static int[] permutation(int n, SplittableRandom rnd) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        return a;
    }

    /** Gives the allocator its chance to give memory back (see the class comment). */
    private void settle() {
        if (ticks != null) {
            ticks.reset();
            int done = ticks.awaitTicks(SETTLE_TICKS, 20L * SETTLE_TICKS * trimMs);
            if (done < SETTLE_TICKS) {
                throw new IllegalStateException("only " + done + " trim ticks");
            }
        } else if (allocator.equals(MemoryPeer.GLIBC)) {
            peer.giveBack();
        } else {
            MemoryProbe.sleepMs((long) SETTLE_TICKS * trimMs);
        }
    }

    private double held() {
        long b = peer.heldBytes();
        return b < 0 ? -1 : MemoryProbe.mib(b);
    }

    private void print(Figures f) {
        System.out.println(String.format(Locale.ROOT,
                "%nmemory-churn %s budget=%d MiB: phase 1 live %.1f MiB, RSS +%.1f raw / +%.1f settled MiB"
                        + " (ratio %.3f raw / %.3f), held %.1f MiB, heap +%.1f MiB, %.0f ms;"
                        + " phase 2 live %.1f MiB, RSS +%.1f raw / +%.1f settled MiB (ratio %.3f raw / %.3f),"
                        + " held %.1f MiB, heap +%.1f MiB, %.0f ms; end, after malloc_trim: RSS +%.1f MiB",
                allocator, budgetMiB, f.p1LiveMiB, f.p1RssRawMiB, f.p1RssMiB, f.p1RatioRaw, f.p1Ratio, f.p1HeldMiB,
                f.p1HeapMiB, f.p1Ms, f.p2LiveMiB, f.p2RssRawMiB, f.p2RssMiB, f.p2RatioRaw, f.p2Ratio, f.p2HeldMiB,
                f.p2HeapMiB, f.p2Ms, f.p2RssMallocTrimMiB));
    }
}
