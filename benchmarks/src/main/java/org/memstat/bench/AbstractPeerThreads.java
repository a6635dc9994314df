package org.memstat.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Control;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * Two-thread Netty benchmarks, shared by {@link PeerThreadsBenchmark} (plain threads) and
 * {@link PeerThreadsFtlBenchmark} (FastThreadLocalThreads).
 *
 * <ul>
 *   <li>{@code *2T}: two threads each doing the LIFO alloc/write/release pair of
 *       {@link AbstractPeerAlloc} on one shared allocator ({@code @Threads(2)}). The score is the
 *       per-thread time per pair; perfect scaling leaves it equal to the 1-thread number, so
 *       {@code 1T / 2T} per-thread ratio tells the scaling (ALLOCATORS.md goal G4).</li>
 *   <li>{@code *Handoff}: one thread allocates and writes, hands the buffer over through a bounded
 *       {@link SpscRing}, the other releases it: the cross-thread free of Netty's
 *       {@code ByteBufAllocatorProducerConsumerBenchmark} (goal G5). The two threads run as a
 *       pipeline, so the producer's avgt is the time per buffer once the pipeline is balanced,
 *       which includes any waiting for the slower side; compare it with the 1-thread pair.</li>
 *   <li>{@code ringOnlyHandoff}: the same pipeline passing one constant buffer, no allocator: the
 *       cost of the handoff mechanism itself, to subtract from the two above.</li>
 * </ul>
 *
 * <p>The ring holds {@value #RING_CAPACITY} buffers, i.e. up to that many are live at once. A
 * side that finds the ring full or empty waits with {@link Backoff} (spin, then yield). Each side
 * gives up waiting as soon as JMH signals the end of the iteration ({@link Control}), so a stopped
 * partner never deadlocks the other; buffers left in flight are released at iteration tear-down.
 * On a 2-core machine both threads of a pair get a core of their own only if nothing else runs:
 * check the load before trusting these numbers.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public abstract class AbstractPeerThreads {

    /** Ring capacity of the handoff benchmarks (buffers in flight at most). */
    public static final int RING_CAPACITY = 1024;

    /** Buffer size in bytes. */
    @Param({"256"})
    public int size;

    private long seq;

    /** Creates the state; JMH calls it. */
    protected AbstractPeerThreads() {
    }

    /** The worker-thread type this class must run on. */
    protected abstract ThreadKind threadKind();

    /** Fails the trial if JMH runs this class on the wrong thread type. */
    @Setup(Level.Trial)
    public void checkThread() {
        threadKind().require();
    }

    /** The ring between the producer and the consumer of one handoff group. */
    @State(Scope.Group)
    public static class Pipe {
        final SpscRing<ByteBuf> ring = new SpscRing<>(RING_CAPACITY);

        /** Creates the state; JMH calls it. */
        public Pipe() {
        }

        /**
         * Refuses group shapes the single-producer single-consumer ring cannot serve.
         *
         * @param threads JMH's thread parameters of the calling thread
         */
        @Setup(Level.Trial)
        public void checkShape(ThreadParams threads) {
            if (threads.getGroupThreadCount() != 2) {
                throw new IllegalStateException("handoff needs exactly 1 producer and 1 consumer (-tg 1,1), got "
                        + threads.getGroupThreadCount() + " threads per group");
            }
        }

        /** Releases buffers still in flight when an iteration ends, so nothing leaks between iterations. */
        @TearDown(Level.Iteration)
        public void drain() {
            for (ByteBuf buf = ring.poll(); buf != null; buf = ring.poll()) {
                buf.release();
            }
        }
    }

    /**
     * Pooled (default instance), two threads.
     *
     * @return whether the buffer was deallocated
     */
    @Benchmark
    @Threads(2)
    public boolean pooledDirect2T() {
        return cycle(Peers.POOLED);
    }

    /**
     * Pooled with a cache on every thread, two threads.
     *
     * @return whether the buffer was deallocated
     */
    @Benchmark
    @Threads(2)
    public boolean pooledDirectCacheAllThreads2T() {
        return cycle(Peers.POOLED_CACHE_ALL);
    }

    /**
     * Adaptive (default), two threads.
     *
     * @return whether the buffer was deallocated
     */
    @Benchmark
    @Threads(2)
    public boolean adaptiveDirect2T() {
        return cycle(Peers.ADAPTIVE);
    }

    /**
     * Adaptive with cached magazines for every thread, two threads.
     *
     * @return whether the buffer was deallocated
     */
    @Benchmark
    @Threads(2)
    public boolean adaptiveDirectCacheAllThreads2T() {
        return cycle(Peers.ADAPTIVE_CACHE_ALL);
    }

    /**
     * Pooled handoff, producer side: allocate, write, pass on.
     *
     * @param pipe    the group's ring
     * @param control JMH's iteration control
     */
    @Benchmark
    @Group("pooledHandoff")
    @GroupThreads(1)
    public void pooledHandoffAlloc(Pipe pipe, Control control) {
        produce(Peers.POOLED, pipe, control);
    }

    /**
     * Pooled handoff, consumer side: take and release.
     *
     * @param pipe    the group's ring
     * @param control JMH's iteration control
     * @return whether a buffer was released
     */
    @Benchmark
    @Group("pooledHandoff")
    @GroupThreads(1)
    public boolean pooledHandoffRelease(Pipe pipe, Control control) {
        return consume(pipe, control);
    }

    /**
     * Adaptive handoff, producer side.
     *
     * @param pipe    the group's ring
     * @param control JMH's iteration control
     */
    @Benchmark
    @Group("adaptiveHandoff")
    @GroupThreads(1)
    public void adaptiveHandoffAlloc(Pipe pipe, Control control) {
        produce(Peers.ADAPTIVE, pipe, control);
    }

    /**
     * Adaptive handoff, consumer side.
     *
     * @param pipe    the group's ring
     * @param control JMH's iteration control
     * @return whether a buffer was released
     */
    @Benchmark
    @Group("adaptiveHandoff")
    @GroupThreads(1)
    public boolean adaptiveHandoffRelease(Pipe pipe, Control control) {
        return consume(pipe, control);
    }

    /**
     * Handoff without an allocator, producer side: passes the same empty buffer every time, so
     * the group measures the ring and the two threads' cache-line traffic alone; subtract it from
     * the allocator handoffs to see what the cross-thread free itself costs.
     *
     * @param pipe    the group's ring
     * @param control JMH's iteration control
     */
    @Benchmark
    @Group("ringOnlyHandoff")
    @GroupThreads(1)
    public void ringOnlyHandoffOffer(Pipe pipe, Control control) {
        int spins = 0;
        while (!pipe.ring.offer(Unpooled.EMPTY_BUFFER)) {
            if (control.stopMeasurement) {
                return;
            }
            spins = Backoff.idle(spins);
        }
    }

    /**
     * Handoff without an allocator, consumer side: takes the buffer and drops it.
     *
     * @param pipe    the group's ring
     * @param control JMH's iteration control
     * @return the buffer taken, or null when the iteration ended first
     */
    @Benchmark
    @Group("ringOnlyHandoff")
    @GroupThreads(1)
    public ByteBuf ringOnlyHandoffPoll(Pipe pipe, Control control) {
        ByteBuf buf;
        int spins = 0;
        while ((buf = pipe.ring.poll()) == null) {
            if (control.stopMeasurement) {
                return null;
            }
            spins = Backoff.idle(spins);
        }
        return buf;
    }

    private boolean cycle(ByteBufAllocator allocator) {
        ByteBuf buf = allocator.directBuffer(size);
        buf.writeLong(seq++);
        return buf.release();
    }

    private void produce(ByteBufAllocator allocator, Pipe pipe, Control control) {
        ByteBuf buf = allocator.directBuffer(size);
        buf.writeLong(seq++);
        int spins = 0;
        while (!pipe.ring.offer(buf)) {
            if (control.stopMeasurement) {
                buf.release();
                return;
            }
            spins = Backoff.idle(spins);
        }
    }

    private static boolean consume(Pipe pipe, Control control) {
        ByteBuf buf;
        int spins = 0;
        while ((buf = pipe.ring.poll()) == null) {
            if (control.stopMeasurement) {
                return false;
            }
            spins = Backoff.idle(spins);
        }
        return buf.release();
    }
}
