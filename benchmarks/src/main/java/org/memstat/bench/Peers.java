package org.memstat.bench;

import io.netty.buffer.AdaptiveByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;

/**
 * The Netty allocators under comparison, one instance of each per fork, held in static finals as a
 * server keeps its allocator (and as Netty's own microbenchmarks do).
 *
 * <p>Arguments are spelled out rather than left to system properties, so that a stray
 * {@code -Dio.netty.allocator.*} cannot silently change what a result means.
 */
final class Peers {
    /**
     * Netty's classic jemalloc-style pooled allocator. In 4.2.7 and 4.2.21 a thread gets a thread cache if it
     * has FastThreadLocals or runs inside a Netty executor ({@code PoolThreadLocalCache}), so
     * {@link FastThreadExecutor} workers are cached and plain JMH threads are not.
     */
    static final PooledByteBufAllocator POOLED = PooledByteBufAllocator.DEFAULT;

    /** Pooled, but with a thread cache on every thread ({@code useCacheForAllThreads = true}). */
    static final PooledByteBufAllocator POOLED_CACHE_ALL = new PooledByteBufAllocator(true,
            PooledByteBufAllocator.defaultNumHeapArena(), PooledByteBufAllocator.defaultNumDirectArena(),
            PooledByteBufAllocator.defaultPageSize(), PooledByteBufAllocator.defaultMaxOrder(),
            PooledByteBufAllocator.defaultSmallCacheSize(), PooledByteBufAllocator.defaultNormalCacheSize(),
            true);

    /**
     * Netty 4.2's default allocator. In 4.2.7 and 4.2.21 a thread gets thread-local magazines only if it
     * cleans up FastThreadLocals AND runs inside a Netty {@code EventExecutor}
     * ({@code ThreadExecutorMap.currentExecutor() != null}), i.e. a real event loop. JMH workers,
     * even {@link FastThreadExecutor}'s, are not, so this instance always takes the shared,
     * {@code StampedLock}-guarded magazines (as in Netty's own microbenchmarks).
     */
    static final AdaptiveByteBufAllocator ADAPTIVE = new AdaptiveByteBufAllocator(true, false);

    /**
     * Adaptive with {@code useCacheForNonEventLoopThreads = true}: thread-local magazines on every
     * FastThreadLocalThread, which is the event-loop path; on
     * {@link FastThreadExecutor} workers this is Netty's best case. Plain threads still use the
     * shared magazines (the FTL check comes first), so there it equals {@link #ADAPTIVE}.
     */
    static final AdaptiveByteBufAllocator ADAPTIVE_CACHE_ALL = new AdaptiveByteBufAllocator(true, true);

    private Peers() {
    }
}
