package org.memstat.bench;

import io.netty.buffer.ByteBuf;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.TimeUnit;
import org.memstat.uma.Uma;
import org.memstat.uma.Zone;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Control;

/**
 * Cross-thread free with the hand-over cost amortised: one thread allocates {@value #BATCH} items (writing 8
 * bytes into each) and hands the whole batch over through the {@link SpscRing}; the other frees them. Scores are
 * per item ({@code @OperationsPerInvocation}). With one ring operation per 256 items, the ring's cache-line
 * traffic and the two threads' scheduling on a 2-vCPU machine stop dominating, so what is left is the
 * allocators' own cost of an allocation on one thread and its free on another: compare with the local pair
 * ({@link ZoneAllocBenchmark#zonePair}, {@link PeerAllocBenchmark}). The same shape runs uma-core and Netty's
 * pooled and adaptive allocators (plain threads, as JMH's workers are).
 */
@State(Scope.Group)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {FairFlags.XMS, FairFlags.XMX, FairFlags.PRE_TOUCH, FairFlags.GC,
        FairFlags.NATIVE_ACCESS, FairFlags.UNSAFE, FairFlags.OPEN_NIO, FairFlags.NETTY_REFLECTION,
        FairFlags.NETTY_NO_LEAK_DETECTION})
public class BatchHandoffBenchmark {
    static final int BATCH = 256;
    private static final int ITEM = 256;
    private static final int BATCHES = 16;

    private Uma uma;
    private Zone zone;
    private final SpscRing<Batch> ring = new SpscRing<>(BATCHES / 2);
    private final Batch[] batches = new Batch[BATCHES];
    private int next;

    /** Creates the state; JMH calls it. */
    public BatchHandoffBenchmark() {
    }

    /** One batch in flight: zone items or Netty buffers. Reused only after the ring has cycled twice. */
    static final class Batch {
        final long[] items = new long[BATCH];
        final ByteBuf[] bufs = new ByteBuf[BATCH];
    }

    /** One allocator and zone per group. */
    @Setup(Level.Trial)
    public void setUp() {
        uma = Uma.builder().kmemSize(1L << 30).build();
        zone = uma.zcreate("bench", ITEM, null, null, null, null, Uma.ALIGN_PTR, 0);
        for (int i = 0; i < BATCHES; i++) {
            batches[i] = new Batch();
        }
    }

    /** Frees batches still in flight when an iteration ends. */
    @TearDown(Level.Iteration)
    public void drain() {
        for (Batch b = ring.poll(); b != null; b = ring.poll()) {
            for (int i = 0; i < BATCH; i++) {
                if (b.bufs[i] != null) {
                    b.bufs[i].release();
                    b.bufs[i] = null;
                } else {
                    zone.free(b.items[i]);
                }
            }
        }
    }

    /** Unmaps the allocator's memory. */
    @TearDown(Level.Trial)
    public void tearDown() {
        uma.close();
    }

    private Batch nextBatch() {
        Batch b = batches[next];
        next = (next + 1) % BATCHES;
        return b;
    }

    /**
     * Allocates a batch of zone items and hands it over.
     *
     * @param control JMH's iteration control
     * @return the last item
     */
    @Benchmark
    @Group("zone")
    @GroupThreads(1)
    @OperationsPerInvocation(BATCH)
    public long zoneProducer(Control control) {
        Batch b = nextBatch();
        long[] items = b.items;
        for (int i = 0; i < BATCH; i++) {
            long p = zone.alloc(Uma.M_WAITOK);
            zone.segment(p).set(ValueLayout.JAVA_LONG_UNALIGNED, 0, p);
            items[i] = p;
        }
        if (!Handoff.offer(ring, b, control)) {
            for (long p : items) {
                zone.free(p);
            }
        }
        return items[BATCH - 1];
    }

    /**
     * Frees a batch of zone items allocated by the producer.
     *
     * @param control JMH's iteration control
     * @return the last item freed, or 0 when the iteration ended first
     */
    @Benchmark
    @Group("zone")
    @GroupThreads(1)
    @OperationsPerInvocation(BATCH)
    public long zoneConsumer(Control control) {
        Batch b = Handoff.poll(ring, control);
        if (b == null) {
            return 0;
        }
        for (long p : b.items) {
            zone.free(p);
        }
        return b.items[BATCH - 1];
    }

    /**
     * Allocates a batch of Netty pooled direct buffers and hands it over.
     *
     * @param control JMH's iteration control
     * @return the number of buffers
     */
    @Benchmark
    @Group("pooled")
    @GroupThreads(1)
    @OperationsPerInvocation(BATCH)
    public int pooledProducer(Control control) {
        return nettyProduce(Peers.POOLED, control);
    }

    /**
     * Releases a batch of Netty pooled buffers.
     *
     * @param control JMH's iteration control
     * @return the number released
     */
    @Benchmark
    @Group("pooled")
    @GroupThreads(1)
    @OperationsPerInvocation(BATCH)
    public int pooledConsumer(Control control) {
        return nettyConsume(control);
    }

    /**
     * Allocates a batch of Netty adaptive direct buffers and hands it over.
     *
     * @param control JMH's iteration control
     * @return the number of buffers
     */
    @Benchmark
    @Group("adaptive")
    @GroupThreads(1)
    @OperationsPerInvocation(BATCH)
    public int adaptiveProducer(Control control) {
        return nettyProduce(Peers.ADAPTIVE, control);
    }

    /**
     * Releases a batch of Netty adaptive buffers.
     *
     * @param control JMH's iteration control
     * @return the number released
     */
    @Benchmark
    @Group("adaptive")
    @GroupThreads(1)
    @OperationsPerInvocation(BATCH)
    public int adaptiveConsumer(Control control) {
        return nettyConsume(control);
    }

    private int nettyProduce(io.netty.buffer.ByteBufAllocator alloc, Control control) {
        Batch b = nextBatch();
        ByteBuf[] bufs = b.bufs;
        for (int i = 0; i < BATCH; i++) {
            ByteBuf buf = alloc.directBuffer(ITEM);
            buf.writeLong(i);
            bufs[i] = buf;
        }
        if (!Handoff.offer(ring, b, control)) {
            for (int i = 0; i < BATCH; i++) {
                bufs[i].release();
                bufs[i] = null;
            }
            return 0;
        }
        return BATCH;
    }

    private int nettyConsume(Control control) {
        Batch b = Handoff.poll(ring, control);
        if (b == null) {
            return 0;
        }
        ByteBuf[] bufs = b.bufs;
        for (int i = 0; i < BATCH; i++) {
            bufs[i].release();
            bufs[i] = null;
        }
        return BATCH;
    }
}
