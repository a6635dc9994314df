package org.memstat.uma;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A per-thread cache of one zone (UMA's {@code uma_cache}): an alloc bucket, a free bucket and the
 * allocation and free counters of the thread that owns it.
 *
 * <p>Ownership replaces {@code critical_enter()}: the owning platform thread is the only one that touches
 * the buckets while it lives, so the fast path has no atomic instruction. Counters are written with opaque
 * stores so a statistics reader on another thread sees whole, recent values without the owner paying for a
 * fence. A shared cache ({@code owner == null}) serves virtual threads and threads that found no slot; its
 * users take {@link #tryLock()} around every use. When the owner dies, {@link Thread#isAlive()} returning
 * false gives whoever flushes the cache a happens-before edge with the owner's last writes.
 */
final class ZoneCache {
    private static final VarHandle ALLOCS;
    private static final VarHandle FREES;
    private static final VarHandle LOCK;
    private static final VarHandle ALLOC_CNT;
    private static final VarHandle FREE_CNT;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            ALLOCS = l.findVarHandle(ZoneCache.class, "allocs", long.class);
            FREES = l.findVarHandle(ZoneCache.class, "frees", long.class);
            LOCK = l.findVarHandle(ZoneCache.class, "lock", int.class);
            ALLOC_CNT = l.findVarHandle(ZoneCache.class, "allocCnt", int.class);
            FREE_CNT = l.findVarHandle(ZoneCache.class, "freeCnt", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final Thread owner;
    final int slot;
    long allocBucket;
    int allocCnt;
    int allocEntries;
    long freeBucket;
    int freeCnt;
    int freeEntries;
    long allocs;
    long frees;
    @SuppressWarnings("unused")
    private int lock;

    ZoneCache(Thread owner, int slot) {
        this.owner = owner;
        this.slot = slot;
    }

    void countAlloc() {
        ALLOCS.setOpaque(this, allocs + 1);
    }

    void uncountAlloc() {
        ALLOCS.setOpaque(this, allocs - 1);
    }

    void countFree() {
        FREES.setOpaque(this, frees + 1);
    }

    long allocsOpaque() {
        return (long) ALLOCS.getOpaque(this);
    }

    long freesOpaque() {
        return (long) FREES.getOpaque(this);
    }

    /** Items in this cache's buckets, read racily by statistics. */
    long cachedOpaque() {
        return (int) ALLOC_CNT.getOpaque(this) + (int) FREE_CNT.getOpaque(this);
    }

    boolean tryLock() {
        return LOCK.compareAndSet(this, 0, 1);
    }

    void unlock() {
        LOCK.setRelease(this, 0);
    }

    /** Forgets both buckets; the caller has already moved them somewhere. */
    void clearBuckets() {
        allocBucket = 0;
        allocCnt = 0;
        allocEntries = 0;
        freeBucket = 0;
        freeCnt = 0;
        freeEntries = 0;
    }

    void swapBuckets() {
        long b = allocBucket;
        int c = allocCnt;
        int e = allocEntries;
        allocBucket = freeBucket;
        allocCnt = freeCnt;
        allocEntries = freeEntries;
        freeBucket = b;
        freeCnt = c;
        freeEntries = e;
    }
}
