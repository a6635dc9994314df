package org.memstat.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The reference operation on Netty, shared by {@link PeerAllocBenchmark} (plain threads) and
 * {@link PeerAllocFtlBenchmark} (FastThreadLocalThreads): {@code directBuffer(size)} -&gt;
 * {@code writeLong} -&gt; {@code release()}, LIFO, one thread, steady state.
 *
 * <p>Same operation as a zone's {@code alloc -> write 8 bytes -> free} (ALLOCATORS.md section 7
 * item 3), with one semantic difference to keep in mind when comparing: Netty hands out a recycled,
 * reference-counted {@code ByteBuf} object (a recycler pop/push and an atomic refcount per pair),
 * where a zone hands out an address. Abstract so that JMH only generates the two concrete classes;
 * they differ in their {@code @Fork} (thread type) and nothing else.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public abstract class AbstractPeerAlloc {

    /** Buffer size in bytes: 256 is the reference item, 2048 a cluster-sized one. */
    @Param({"256", "2048"})
    public int size;

    private long seq;

    /** Creates the state; JMH calls it. */
    protected AbstractPeerAlloc() {
    }

    /** The worker-thread type this class must run on. */
    protected abstract ThreadKind threadKind();

    /** Fails the trial if JMH runs this class on the wrong thread type. */
    @Setup(Level.Trial)
    public void checkThread() {
        threadKind().require();
    }

    /**
     * {@code PooledByteBufAllocator.DEFAULT}: thread cache only on FTL threads.
     *
     * @return whether the buffer was deallocated (always true), consumed so nothing is dead code
     */
    @Benchmark
    public boolean pooledDirect() {
        return cycle(Peers.POOLED);
    }

    /**
     * Pooled with {@code useCacheForAllThreads = true}: a thread cache on plain threads as well.
     *
     * @return whether the buffer was deallocated
     */
    @Benchmark
    public boolean pooledDirectCacheAllThreads() {
        return cycle(Peers.POOLED_CACHE_ALL);
    }

    /**
     * {@code AdaptiveByteBufAllocator} (Netty 4.2's default): shared magazines on JMH workers of
     * either type (thread-local ones only inside a Netty event loop, see {@link Peers}).
     *
     * @return whether the buffer was deallocated
     */
    @Benchmark
    public boolean adaptiveDirect() {
        return cycle(Peers.ADAPTIVE);
    }

    /**
     * Adaptive with {@code useCacheForNonEventLoopThreads = true}: thread-local magazines on FTL
     * threads (the event-loop path), shared ones on plain threads.
     *
     * @return whether the buffer was deallocated
     */
    @Benchmark
    public boolean adaptiveDirectCacheAllThreads() {
        return cycle(Peers.ADAPTIVE_CACHE_ALL);
    }

    private boolean cycle(ByteBufAllocator allocator) {
        ByteBuf buf = allocator.directBuffer(size);
        buf.writeLong(seq++);
        return buf.release();
    }
}
