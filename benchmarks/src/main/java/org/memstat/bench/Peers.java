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
    /** Netty's classic jemalloc-style pooled allocator; thread caches only on FastThreadLocalThreads. */
    static final PooledByteBufAllocator POOLED = PooledByteBufAllocator.DEFAULT;

    /** Pooled, but with a thread cache on every thread ({@code useCacheForAllThreads = true}). */
    static final PooledByteBufAllocator POOLED_CACHE_ALL = new PooledByteBufAllocator(true,
            PooledByteBufAllocator.defaultNumHeapArena(), PooledByteBufAllocator.defaultNumDirectArena(),
            PooledByteBufAllocator.defaultPageSize(), PooledByteBufAllocator.defaultMaxOrder(),
            PooledByteBufAllocator.defaultSmallCacheSize(), PooledByteBufAllocator.defaultNormalCacheSize(),
            true);

    /** Netty 4.2's default allocator; thread-local magazines only on event-loop (FTL) threads. */
    static final AdaptiveByteBufAllocator ADAPTIVE = new AdaptiveByteBufAllocator(true, false);

    /** Adaptive with cached magazines for non-event-loop threads too. */
    static final AdaptiveByteBufAllocator ADAPTIVE_CACHE_ALL = new AdaptiveByteBufAllocator(true, true);

    private Peers() {
    }
}
