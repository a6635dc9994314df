package org.memstat.bench;

import java.lang.foreign.ValueLayout;
import java.util.concurrent.TimeUnit;
import org.memstat.uma.Uma;
import org.memstat.uma.Zone;
import org.memstat.uma.ZoneStats;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
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
import org.openjdk.jmh.infra.Control;

/**
 * Two-thread zone benchmarks, the counterparts of {@link PeerThreadsBenchmark}'s handoff group.
 *
 * <ul>
 *   <li>{@code handoff}: one thread allocates and writes, hands the item over through the same bounded
 *       {@link SpscRing} as the Netty handoff, the other frees it: UMA's cross-thread free (the freeing thread
 *       fills its own buckets, which travel back to the allocating thread through the depot). Items travel in
 *       recycled holder objects, so neither side boxes; compare the producer's time per item with
 *       {@link ZoneAllocBenchmark#zonePair} and with the Netty handoff of the same run.</li>
 *   <li>{@code reader}: one thread runs the alloc/write/free pair while the other takes statistics snapshots of
 *       the zone in a loop: snapshots take no lock the allocator needs, so the allocator's time per pair should
 *       stay at {@link ZoneAllocBenchmark#zonePair}'s.</li>
 * </ul>
 */
@State(Scope.Group)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {FairFlags.XMS, FairFlags.XMX, FairFlags.PRE_TOUCH, FairFlags.GC,
        FairFlags.NATIVE_ACCESS})
public class ZoneThreadsBenchmark {
    private static final int HOLDERS = 4 * AbstractPeerThreads.RING_CAPACITY;

    /** Item size in bytes. */
    @Param({"256"})
    public int size;

    private Uma uma;
    private Zone zone;
    private final SpscRing<Holder> ring = new SpscRing<>(AbstractPeerThreads.RING_CAPACITY);
    private final Holder[] holders = new Holder[HOLDERS];
    private int next;

    /** Creates the state; JMH calls it. */
    public ZoneThreadsBenchmark() {
    }

    /** A reusable box for an item in flight; reused only after the ring has cycled several times. */
    static final class Holder {
        long item;
    }

    /** One allocator and zone per group. */
    @Setup(Level.Trial)
    public void setUp() {
        uma = Uma.builder().kmemSize(1L << 30).build();
        zone = uma.zcreate("bench", size, null, null, null, null, Uma.ALIGN_PTR, 0);
        for (int i = 0; i < HOLDERS; i++) {
            holders[i] = new Holder();
        }
    }

    /** Frees items still in flight at the end of an iteration (the holders-only group carries no items). */
    @TearDown(Level.Iteration)
    public void drain(org.openjdk.jmh.infra.BenchmarkParams params) {
        boolean items = params.getBenchmark().endsWith("handoff");
        for (Holder h = ring.poll(); h != null; h = ring.poll()) {
            if (items) {
                zone.free(h.item);
            }
        }
    }

    /** Unmaps the allocator's memory. */
    @TearDown(Level.Trial)
    public void tearDown() {
        uma.close();
    }

    /**
     * Allocates, writes and hands an item to the consumer.
     *
     * @param control JMH's iteration control, to stop waiting when the iteration ends
     * @return the item
     */
    @Benchmark
    @Group("handoff")
    @GroupThreads(1)
    public long producer(Control control) {
        long p = zone.alloc(Uma.M_WAITOK);
        zone.segment(p).set(ValueLayout.JAVA_LONG_UNALIGNED, 0, p);
        Holder h = holders[next];
        next = (next + 1) % HOLDERS;
        h.item = p;
        if (!Handoff.offer(ring, h, control)) {
            zone.free(p);
        }
        return p;
    }

    /**
     * Takes an item from the producer and frees it.
     *
     * @param control JMH's iteration control
     * @return the item freed, or 0 when the iteration ended first
     */
    @Benchmark
    @Group("handoff")
    @GroupThreads(1)
    public long consumer(Control control) {
        Holder h = Handoff.poll(ring, control);
        if (h == null) {
            return 0;
        }
        long p = h.item;
        zone.free(p);
        return p;
    }

    /**
     * The handoff's own cost: the same ring and recycled holders, carrying a counter instead of an item.
     *
     * @param control JMH's iteration control
     * @return the value handed over
     */
    @Benchmark
    @Group("holdersOnly")
    @GroupThreads(1)
    public long holdersProducer(Control control) {
        Holder h = holders[next];
        next = (next + 1) % HOLDERS;
        h.item = next;
        return Handoff.offer(ring, h, control) ? h.item : 0;
    }

    /**
     * Takes a holder from {@link #holdersProducer} and reads it.
     *
     * @param control JMH's iteration control
     * @return the value read, or 0 when the iteration ended first
     */
    @Benchmark
    @Group("holdersOnly")
    @GroupThreads(1)
    public long holdersConsumer(Control control) {
        Holder h = Handoff.poll(ring, control);
        return h == null ? 0 : h.item;
    }

    /**
     * The alloc/write/free pair, with a statistics reader running beside it.
     *
     * @return the item
     */
    @Benchmark
    @Group("reader")
    @GroupThreads(1)
    public long allocator() {
        long p = zone.alloc(Uma.M_WAITOK);
        zone.segment(p).set(ValueLayout.JAVA_LONG_UNALIGNED, 0, p);
        zone.free(p);
        return p;
    }

    /**
     * One statistics snapshot of the zone.
     *
     * @return the snapshot
     */
    @Benchmark
    @Group("reader")
    @GroupThreads(1)
    public ZoneStats statsReader() {
        return zone.stats();
    }
}
