package org.memstat.uma;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.SplittableRandom;

/**
 * A per-thread cache of one zone (UMA's {@code uma_cache}): an alloc bucket, a free bucket, the thread's
 * allocation and free counters, and the cache operations themselves ({@link #alloc}, {@link #free},
 * {@link #flush}: UMA's {@code cache_alloc(zone, cache)} and {@code cache_free}).
 *
 * <p>Ownership replaces {@code critical_enter()}: the owning platform thread is the only one that touches the
 * buckets on the fast path. Everything else, the slow path included, runs with {@link #lock()} held: the owner's
 * slow path, a revoker taking an idle cache's buckets ({@link ZoneCaches#revoke}), every user of a shared cache
 * ({@code owner == null}, for virtual threads and threads without a lease). A cache with {@code leased == false}
 * holds no buckets; a cache without a bucket has address 0 and no entries in that place.
 *
 * <p><b>Revocation without a fence on the fast path</b> (an asymmetric Dekker protocol). The counters are kept
 * doubled, and an odd value means "inside an operation": the owner's fast path bumps its counter to odd
 * ({@link #enterAlloc}: a plain store, then a compiler-only barrier), reads {@code revoked}, and only if it is
 * 0 touches the buckets, ending with a release store that makes the counter even again, one operation higher
 * ({@link #exitAlloc}; {@link #abortAlloc} when it did not operate). A revoker, holding the cache's lock (so
 * the owner is not on its slow path), stores {@code revoked = 1}, runs {@link ProcessBarrier#serialize()} (every
 * thread passes a full barrier), and reads the counters: both even means the owner is outside an operation and
 * every later operation of it will see {@code revoked} and take the slow path, so the buckets are the revoker's;
 * odd means the owner is mid-operation, and the revoker backs off and tries again later. The heavy barrier stands
 * in for the {@code StoreLoad} fence the fast path would otherwise pay between its store and its load; the
 * compiler barrier keeps the JIT from reordering them. The marker costs nothing extra: it is the counter store
 * every operation makes anyway, split in two.
 *
 * <p>The counters are written with opaque and release stores by whoever has exclusive use and read (halved) by
 * statistics; an operation counts once it is complete, they only grow, and they are folded into the zone's
 * retired counts only after the owner died.
 */
final class ZoneCache {
    private static final VarHandle ALLOCS;
    private static final VarHandle FREES;
    private static final VarHandle LOCK;
    private static final VarHandle ALLOC_CNT;
    private static final VarHandle FREE_CNT;
    private static final VarHandle REVOKED;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            ALLOCS = l.findVarHandle(ZoneCache.class, "allocs", long.class);
            FREES = l.findVarHandle(ZoneCache.class, "frees", long.class);
            LOCK = l.findVarHandle(ZoneCache.class, "lock", int.class);
            ALLOC_CNT = l.findVarHandle(ZoneCache.class, "allocCnt", int.class);
            FREE_CNT = l.findVarHandle(ZoneCache.class, "freeCnt", int.class);
            REVOKED = l.findVarHandle(ZoneCache.class, "revoked", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** {@link #alloc} results that are not items: no bucket could be had, or the zone is at its limit. */
    static final long NO_BUCKET = -1;
    static final long AT_LIMIT = -2;

    final Thread owner;
    final int slot;
    boolean leased;
    long allocBucket;
    int allocEntries;
    int allocCnt;
    long freeBucket;
    int freeEntries;
    int freeCnt;
    /** Twice the allocations counted, plus 1 while the owner's fast path is inside an allocation. */
    long allocs;
    /** Twice the frees counted, plus 1 while the owner's fast path is inside a free. */
    long frees;
    /**
     * Allocations still to let through before the next sampled one ({@link ZoneSampler}): decremented by the
     * owner's fast path, re-armed on its slow path; for a shared cache, by whoever holds the lock.
     */
    long sampleLeft = ZoneSampler.OFF;
    /** The sampler's epoch the countdown was armed under; -1 before the first arming. */
    private int sampleEpoch = -1;
    private final SplittableRandom rng;
    /** Operations counted when the last trim tick looked, to tell idle caches (written under the caches' lock). */
    long seenOps;
    @SuppressWarnings("unused")
    private int lock;
    /** 1 while the owner's fast path must not touch the buckets: unleased, being revoked, or closed. */
    @SuppressWarnings("unused")
    private int revoked;

    ZoneCache(Thread owner, int slot, SplittableRandom rng) {
        this.owner = owner;
        this.slot = slot;
        this.rng = rng;
        this.leased = owner == null;
        this.revoked = owner == null ? 0 : 1;
    }

    /**
     * The fast path's entry into an allocation, {@code count} being the counter as the owner last wrote it
     * ({@link #allocs}): true when the owner may touch its buckets; {@link #exitAlloc} or {@link #abortAlloc}
     * must follow either way. The store and the load must stay in this order (see the
     * class comment). The JMM alone does not order a store before a later load across an acquire fence;
     * HotSpot's compilers and interpreter treat every fence as a barrier to moving memory operations, at no
     * instruction on x86, and {@link ProcessBarrier} supplies what the processor may still reorder.
     */
    boolean enterAlloc(long count) {
        ALLOCS.setOpaque(this, count + 1);
        VarHandle.acquireFence();
        return (int) REVOKED.getOpaque(this) == 0;
    }

    /**
     * Leaves the allocation counted; its writes are visible before the counter is even again. {@code count} is
     * the value read before {@link #enterAlloc}: reading the field again after the fence would wait for the
     * store just made.
     */
    void exitAlloc(long count) {
        ALLOCS.setRelease(this, count + 2);
    }

    /** Leaves without having allocated: the counter is even again at its old value. */
    void abortAlloc(long count) {
        ALLOCS.setRelease(this, count);
    }

    /** As {@link #enterAlloc}, for a free. */
    boolean enterFree(long count) {
        FREES.setOpaque(this, count + 1);
        VarHandle.acquireFence();
        return (int) REVOKED.getOpaque(this) == 0;
    }

    void exitFree(long count) {
        FREES.setRelease(this, count + 2);
    }

    void abortFree(long count) {
        FREES.setRelease(this, count);
    }

    /** Asks the fast path to stay out (a revoker, under the lock, before {@link ProcessBarrier#serialize()}). */
    void markRevoked() {
        REVOKED.setVolatile(this, 1);
    }

    /** After the barrier: true when the owner is outside an operation, so the buckets are the revoker's. */
    boolean quiescent() {
        return (((long) ALLOCS.getVolatile(this) | (long) FREES.getVolatile(this)) & 1) == 0;
    }

    /** Lets the fast path in again; the owner's slow path, under the lock, with a lease. */
    void admit() {
        REVOKED.setVolatile(this, 0);
    }

    /** Re-arms the countdown if the rate changed since it was armed; the owner, or the holder of the lock. */
    void resync(ZoneSampler s) {
        int e = s.epoch();
        if (sampleEpoch != e) {
            sampleEpoch = e;
            sampleLeft = s.distance(rng);
        }
    }

    /**
     * The countdown ran out ({@code sampleLeft < 0}) on the allocation just made: true when it is sampled. It is,
     * unless the rate changed since the countdown was armed; then it counts as the first allocation under the
     * new rate (the distance is memoryless, so restarting it there biases nothing). Re-arms either way.
     */
    boolean expired(ZoneSampler s) {
        int e = s.epoch();
        long d = s.distance(rng);
        if (sampleEpoch == e) {
            sampleLeft = d;
            return true;
        }
        sampleEpoch = e;
        if (d == 0) {
            sampleLeft = s.distance(rng);
            return true;
        }
        sampleLeft = d - 1;
        return false;
    }

    /** Counts an allocation made on the slow path against the countdown: true when it is sampled. */
    boolean sampleDue(ZoneSampler s) {
        resync(s);
        return --sampleLeft < 0 && expired(s);
    }

    /** Counts an allocation made with the lock held (the slow path). */
    void countAlloc() {
        ALLOCS.setOpaque(this, allocs + 2);
    }

    void countFree() {
        FREES.setOpaque(this, frees + 2);
    }

    /** Allocations counted; one in progress is not counted yet. */
    long allocsOpaque() {
        return (long) ALLOCS.getOpaque(this) >>> 1;
    }

    long freesOpaque() {
        return (long) FREES.getOpaque(this) >>> 1;
    }

    /** Items in this cache's buckets, read racily by statistics; exact when the zone is quiescent. */
    long cachedOpaque() {
        return (int) ALLOC_CNT.getOpaque(this) + (int) FREE_CNT.getOpaque(this);
    }

    void lock() {
        while (!tryLock()) {
            Thread.onSpinWait();
        }
    }

    boolean tryLock() {
        return LOCK.compareAndSet(this, 0, 1);
    }

    void unlock() {
        LOCK.setRelease(this, 0);
    }

    /**
     * {@code cache_alloc}: an item from the buckets, refilling them from the depot or the keg; the caller holds
     * the lock. Returns the item, {@link #NO_BUCKET}, {@link #AT_LIMIT}, or 0 when the keg import failed.
     */
    long alloc(Zone z, int flags) {
        MemorySegment mem = z.mem;
        long base = z.base;
        while (true) {
            int n = allocCnt;
            if (n > 0) {
                long item = Bucket.item(mem, base, allocBucket, n - 1);
                allocCnt = n - 1;
                countAlloc();
                return item;
            }
            if (freeCnt > 0) {
                swap();
                continue;
            }
            // Decided once: the size may change under us, and a bucket parked in the depot must not be freed.
            boolean keep = keepable(z, allocEntries);
            long full = z.depot.takeFull(keep ? leave(z, allocBucket, 0) : 0);
            if (full != 0) {
                if (!keep) {
                    z.slow.bucketFree(allocBucket, allocEntries);
                }
                setAlloc(full, Bucket.entries(mem, base, full), Bucket.count(mem, base, full));
                continue;
            }
            if (!keep) {
                z.slow.bucketFree(allocBucket, allocEntries);
                setAlloc(0, 0, 0);
                long b = z.slow.bucketAlloc(flags);
                if (b == 0) {
                    return NO_BUCKET;
                }
                setAlloc(b, Bucket.entries(mem, base, b), 0);
            }
            int want = Math.min(allocEntries, z.sizing.current());
            if (want == 0) {
                return NO_BUCKET;
            }
            int granted = z.limit.reserve(want);
            if (granted == 0) {
                return AT_LIMIT;
            }
            int got = z.slow.fill(allocBucket, granted, flags);
            if (got == 0) {
                return 0;
            }
            allocCnt = got;
            z.sizing.missed();
        }
    }

    /** {@code cache_free}: pushes the item into the buckets; false when no bucket can take it. Locked. */
    boolean free(Zone z, long item) {
        MemorySegment mem = z.mem;
        long base = z.base;
        while (true) {
            int n = allocCnt;
            if (n < allocEntries) {
                Bucket.setItem(mem, base, allocBucket, n, item);
                allocCnt = n + 1;
                countFree();
                return true;
            }
            if (freeCnt < freeEntries) {
                // As uma_zfree: swap so the item goes on top of the alloc bucket, and the next allocation on this
                // thread gets it back (LIFO, warm in cache, and what the debug trash check relies on).
                swap();
                continue;
            }
            long empty = freeEntries > 0 ? z.depot.swapFull(leave(z, freeBucket, freeCnt)) : z.depot.takeEmpty();
            if (empty == BucketDepot.REFUSED) {
                // The depot is at its cap (bucket_max): the items go to the keg, the bucket stays ours.
                z.slow.releaseBucket(freeBucket);
                freeCnt = 0;
                continue;
            }
            if (empty != 0 && !keepable(z, Bucket.entries(mem, base, empty))) {
                z.slow.bucketFree(empty, Bucket.entries(mem, base, empty));
                empty = 0;
            }
            if (empty == 0) {
                empty = z.slow.bucketAlloc(Uma.M_NOWAIT);
            }
            if (empty == 0) {
                setFree(0, 0, 0);
                return false;
            }
            setFree(empty, Bucket.entries(mem, base, empty), 0);
        }
    }

    /**
     * Gives both buckets to the depot (or, past its cap, their items to the keg) and points the cache at the
     * empty bucket; the caller has exclusive use of the cache.
     */
    void flush(Zone z) {
        z.slow.stow(leave(z, allocBucket, allocCnt), allocEntries);
        z.slow.stow(leave(z, freeBucket, freeCnt), freeEntries);
        setAlloc(0, 0, 0);
        setFree(0, 0, 0);
    }

    /** A bucket leaves the cache: its header gets the count (depot buckets are counted by their headers). */
    private static long leave(Zone z, long bucket, int count) {
        if (bucket != 0) {
            Bucket.setCount(z.mem, z.base, bucket, count);
        }
        return bucket;
    }

    /** A real bucket big enough for the zone's current bucket size (smaller ones are freed, not reused). */
    private static boolean keepable(Zone z, int entries) {
        return entries > 0 && entries >= Math.min(z.sizing.current(), z.sizing.max());
    }

    private void setAlloc(long bucket, int entries, int count) {
        allocBucket = bucket;
        allocEntries = entries;
        allocCnt = count;
    }

    private void setFree(long bucket, int entries, int count) {
        freeBucket = bucket;
        freeEntries = entries;
        freeCnt = count;
    }

    private void swap() {
        long b = allocBucket;
        int e = allocEntries;
        int c = allocCnt;
        setAlloc(freeBucket, freeEntries, freeCnt);
        setFree(b, e, c);
    }
}
