package org.memstat.bench;

import java.lang.foreign.ValueLayout;
import java.util.concurrent.TimeUnit;
import org.memstat.uma.Uma;
import org.memstat.uma.Zone;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * uma-core's reference operation: alloc -&gt; write 8 bytes -&gt; free of one item, steady state, statistics on
 * (they always are), avgt ns per pair, on plain JMH threads, the same fair flags as the Netty peers
 * ({@link PeerAllocBenchmark}, {@link PeerAllocFtlBenchmark}) and the baselines ({@link BaselineBenchmark}).
 *
 * <ul>
 *   <li>{@link #zonePair}: one thread, the per-thread bucket fast path.</li>
 *   <li>{@link #zonePair2T}: two threads on one zone; per-thread time per pair, so perfect scaling leaves it
 *       equal to {@link #zonePair} (aggregate throughput = 2 x 1T / 2T).</li>
 *   <li>{@link #zonePairHandle}: the same pair wrapping the item in a small object, as Netty hands out a
 *       recycled {@code ByteBuf}: what a handle would cost (escape analysis may remove it).</li>
 *   <li>{@link #zoneBurst}: 512 allocations then 512 frees per invocation, reported per pair: bucket exchanges
 *       with the depot on every call.</li>
 * </ul>
 * Sampling is on at its default rate, as in any program; {@link #sampleRate} and {@link #held} measure its cost.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {FairFlags.XMS, FairFlags.XMX, FairFlags.PRE_TOUCH, FairFlags.GC,
        FairFlags.NATIVE_ACCESS})
public class ZoneAllocBenchmark {
    private static final int BURST = 512;

    /** Item size in bytes. */
    @Param({"256"})
    public int size;

    /**
     * The zone's sampling rate in bytes (docs/PROFILES.md): the default 512 KiB; {@code -p sampleRate=0,524288,1}
     * puts off, the default and every allocation side by side.
     */
    @Param({"524288"})
    public long sampleRate;

    /**
     * Items allocated before the run and held through it, sampled at the rate, so that some pages stay marked and
     * the free path's sample check finds marks ({@code -p held=0,100000}).
     */
    @Param({"0"})
    public int held;

    private Uma uma;
    private Zone zone;
    private long[] kept;

    /** Creates the state; JMH calls it. */
    public ZoneAllocBenchmark() {
    }

    /** One allocator and one zone for the whole trial. */
    @Setup(Level.Trial)
    public void setUp() {
        uma = Uma.builder().kmemSize(1L << 30).sampleRate(sampleRate).build();
        zone = uma.zcreate("bench", size, null, null, null, null, Uma.ALIGN_PTR, 0);
        kept = new long[held];
        for (int i = 0; i < held; i++) {
            kept[i] = zone.alloc(Uma.M_WAITOK);
        }
    }

    /** Frees the held items and unmaps the allocator's memory. */
    @TearDown(Level.Trial)
    public void tearDown() {
        for (long p : kept) {
            zone.free(p);
        }
        uma.close();
    }

    /** A per-thread burst buffer. */
    @State(Scope.Thread)
    public static class Burst {
        final long[] items = new long[BURST];

        /** Creates the state; JMH calls it. */
        public Burst() {
        }
    }

    /** A handle object, as a pooled-buffer API would return. */
    record Handle(long address) {
    }

    /**
     * One alloc, one 8-byte write, one free.
     *
     * @return the item's address, so the work is not dead
     */
    @Benchmark
    public long zonePair() {
        return cycle();
    }

    /**
     * The same pair on two threads sharing the zone.
     *
     * @return the item's address
     */
    @Benchmark
    @Threads(2)
    public long zonePair2T() {
        return cycle();
    }

    /**
     * The pair with the item wrapped in a handle object.
     *
     * @return the handle's address
     */
    @Benchmark
    public long zonePairHandle() {
        Handle h = new Handle(zone.alloc(Uma.M_WAITOK));
        zone.segment(h.address()).set(ValueLayout.JAVA_LONG_UNALIGNED, 0, h.address());
        zone.free(h.address());
        return h.address();
    }

    /**
     * 512 allocations then 512 frees.
     *
     * @param b the thread's burst buffer
     * @return the last item
     */
    @Benchmark
    @OperationsPerInvocation(BURST)
    public long zoneBurst(Burst b) {
        long[] items = b.items;
        for (int i = 0; i < BURST; i++) {
            long p = zone.alloc(Uma.M_WAITOK);
            zone.segment(p).set(ValueLayout.JAVA_LONG_UNALIGNED, 0, i);
            items[i] = p;
        }
        for (int i = BURST - 1; i >= 0; i--) {
            zone.free(items[i]);
        }
        return items[0];
    }

    /**
     * The pair without the write: what the allocator alone costs.
     *
     * @return the item's address
     */
    @Benchmark
    public long zonePairNoWrite() {
        long p = zone.alloc(Uma.M_WAITOK);
        zone.free(p);
        return p;
    }

    /**
     * The pair writing through the allocator-wide segment instead of a per-item slice.
     *
     * @return the item's address
     */
    @Benchmark
    public long zonePairMemoryWrite() {
        long p = zone.alloc(Uma.M_WAITOK);
        uma.memory().set(ValueLayout.JAVA_LONG_UNALIGNED, p - uma.memory().address(), p);
        zone.free(p);
        return p;
    }

    private long cycle() {
        Zone z = zone;
        long p = z.alloc(Uma.M_WAITOK);
        z.segment(p).set(ValueLayout.JAVA_LONG_UNALIGNED, 0, p);
        z.free(p);
        return p;
    }
}
