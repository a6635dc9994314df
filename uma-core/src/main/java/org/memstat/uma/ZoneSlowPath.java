package org.memstat.uma;

import java.lang.foreign.MemorySegment;

/**
 * Everything {@link Zone}'s fast path does not do (UMA's {@code cache_alloc}, {@code zone_import},
 * {@code zone_release}, {@code zone_alloc_limit}, {@code bucket_alloc}): bucket exchanges with the depot,
 * fills from the keg, limits and sleeps, callbacks and debug checks, claiming and retiring thread caches.
 *
 * <p>Lock order: zone lock, then keg lock, then page source lock. No zone lock is held while calling into
 * the keg's fetch, a bucket zone or a user callback, so a sleeping allocation never blocks a free.
 * A method named {@code cache*} needs exclusive use of its cache: its owner thread, or the holder of a
 * shared cache's lock.
 */
final class ZoneSlowPath {
    /** {@code cacheAlloc} results that are not items: no bucket could be had, or the zone is at its limit. */
    private static final long NO_BUCKET = -1;
    private static final long AT_LIMIT = -2;

    private final Zone z;
    private final MemorySegment mem;
    private final long base;

    ZoneSlowPath(Zone zone) {
        this.z = zone;
        this.mem = zone.mem;
        this.base = zone.base;
    }

    long alloc(Object arg, int flags) {
        checkAlive();
        Thread t = Thread.currentThread();
        ZoneCache c = z.slots.owned(t);
        long item = NO_BUCKET;
        if (c != null) {
            item = cacheAlloc(c, flags);
        } else if (z.bucketSizeMax > 0) {
            c = z.slots.shared(t);
            if (c.tryLock()) {
                try {
                    item = cacheAlloc(c, flags);
                } finally {
                    c.unlock();
                }
            }
        }
        if (item > 0) {
            return construct(c, item, arg, flags);
        }
        if (item == 0) {
            // The keg could not fill a bucket (no memory for M_NOWAIT, or a failing init): no second try.
            z.fails.increment();
            return 0;
        }
        item = allocItem(flags);
        return item == 0 ? 0 : construct(null, item, arg, flags);
    }

    void free(long item) {
        checkAlive();
        Thread t = Thread.currentThread();
        if (z.sleepers == 0) {
            ZoneCache c = z.slots.owned(t);
            if (c != null) {
                if (cacheFree(c, item)) {
                    return;
                }
            } else if (z.bucketSizeMax > 0) {
                ZoneCache s = z.slots.shared(t);
                if (s.tryLock()) {
                    boolean done;
                    try {
                        done = cacheFree(s, item);
                    } finally {
                        s.unlock();
                    }
                    if (done) {
                        return;
                    }
                }
            }
        }
        z.frees.increment();
        releaseItem(item);
    }

    private void checkAlive() {
        if (z.destroyed) {
            throw new IllegalStateException("zone " + z.name + " was destroyed");
        }
    }

    /** Debug checks, trash check, ctor and M_ZERO after an item left a cache or the keg. */
    long construct(ZoneCache c, long item, Object arg, int flags) {
        Slab s = null;
        int idx = 0;
        if (z.uma.debug) {
            s = z.uma.slabTable.lookup(item);
            idx = z.index(s, item);
            if (!s.dbgAlloc(idx)) {
                throw new UmaCorruptionException(describe("Duplicate alloc of", item, s, idx));
            }
        }
        if (z.trash) {
            int bad = Trash.check(mem, base, item, z.keg.rsize);
            if (bad >= 0) {
                Slab owner = s != null ? s : z.uma.slabTable.lookup(item);
                throw z.keg.corruptAfterFree(z.name, owner, z.index(owner, item), bad, item);
            }
        }
        if (z.ctor != null && z.ctor.construct(item, z.size, arg, flags) != 0) {
            if (c != null && c.owner == Thread.currentThread()) {
                c.uncountAlloc();
            } else {
                z.allocs.decrement();
            }
            if (s != null) {
                s.dbgFree(idx);
            }
            z.fails.increment();
            if (z.trash) {
                Trash.fill(mem, base, item, z.keg.rsize);
            }
            releaseItem(item);
            return 0;
        }
        if ((flags & Uma.M_ZERO) != 0) {
            mem.asSlice(item - base, z.size).fill((byte) 0);
        }
        return item;
    }

    /** Debug checks, dtor and trash fill before an item enters a cache. */
    void destruct(long item, Object arg) {
        if (z.uma.debug) {
            Slab s = z.uma.slabTable.lookup(item);
            if (s == null || s.keg != z.keg) {
                throw new UmaCorruptionException(String.format(
                        "Invalid free of 0x%x from zone %s: the pointer belongs to no slab of this zone", item, z.name));
            }
            long off = item - s.base;
            int idx = (int) (off / z.keg.rsize);
            if (idx >= z.keg.ipers) {
                throw new UmaCorruptionException(describe("Invalid free of", item, s, idx));
            }
            if (off % z.keg.rsize != 0) {
                throw new UmaCorruptionException(describe("Unaligned free of", item, s, idx));
            }
            if (!s.dbgFree(idx)) {
                throw new UmaCorruptionException(describe("Duplicate free of", item, s, idx));
            }
        }
        if (z.dtor != null) {
            z.dtor.destruct(item, z.size, arg);
        }
        if (z.trash) {
            Trash.fill(mem, base, item, z.keg.rsize);
        }
    }

    private String describe(String what, long item, Slab s, int idx) {
        return String.format("%s 0x%x from zone %s: slab %d (0x%x), item index %d, offset %d", what, item, z.name,
                s.id, s.base, idx, (item - s.base) % z.keg.rsize);
    }

    private long cacheAlloc(ZoneCache c, int flags) {
        while (true) {
            if (c.allocCnt > 0) {
                long item = Bucket.item(mem, base, c.allocBucket, --c.allocCnt);
                c.countAlloc();
                return item;
            }
            if (c.freeCnt > 0) {
                c.swapBuckets();
                continue;
            }
            long full;
            lockZone();
            try {
                full = z.depot.takeFull();
                if (full != 0 && c.allocBucket != 0) {
                    z.depot.putEmpty(c.allocBucket);
                }
            } finally {
                z.lock.unlock();
            }
            if (full != 0) {
                c.allocBucket = full;
                c.allocCnt = Bucket.count(mem, base, full);
                c.allocEntries = Bucket.entries(mem, base, full);
                continue;
            }
            if (c.allocBucket == 0) {
                long b = bucketAlloc(flags);
                if (b == 0) {
                    return NO_BUCKET;
                }
                c.allocBucket = b;
                c.allocEntries = Bucket.entries(mem, base, b);
                c.allocCnt = 0;
            }
            int want = Math.min(c.allocEntries, z.bucketSize);
            if (want == 0) {
                return NO_BUCKET;
            }
            int granted = z.limit.reserve(want);
            if (granted == 0) {
                return AT_LIMIT;
            }
            int n = importItems(c.allocBucket, granted, flags);
            if (n == 0) {
                return 0;
            }
            c.allocCnt = n;
        }
    }

    private boolean cacheFree(ZoneCache c, long item) {
        while (true) {
            if (c.allocCnt < c.allocEntries) {
                Bucket.setItem(mem, base, c.allocBucket, c.allocCnt++, item);
                c.countFree();
                return true;
            }
            if (c.freeCnt < c.freeEntries) {
                Bucket.setItem(mem, base, c.freeBucket, c.freeCnt++, item);
                c.countFree();
                return true;
            }
            long empty;
            lockZone();
            try {
                if (c.freeBucket != 0) {
                    z.depot.putFull(c.freeBucket, c.freeCnt);
                    c.freeBucket = 0;
                    c.freeCnt = 0;
                    c.freeEntries = 0;
                }
                empty = z.depot.takeEmpty();
            } finally {
                z.lock.unlock();
            }
            if (empty == 0) {
                empty = bucketAlloc(Uma.M_NOWAIT);
                if (empty == 0) {
                    return false;
                }
            }
            c.freeBucket = empty;
            c.freeEntries = Bucket.entries(mem, base, empty);
            c.freeCnt = 0;
        }
    }

    /**
     * Takes the zone lock; a contended lock grows the bucket size, as UMA's {@code zone_domain_lock}. Critical
     * sections under it are a few pointer moves, so a contended taker spins briefly before it parks: parking and
     * waking a thread costs microseconds, far more than the wait it would save.
     */
    private void lockZone() {
        if (z.lock.tryLock()) {
            return;
        }
        for (int spin = 0; spin < 128; spin++) {
            Thread.onSpinWait();
            if (z.lock.tryLock()) {
                growBucket();
                return;
            }
        }
        z.lock.lock();
        growBucket();
    }

    private void growBucket() {
        if (z.bucketSize < z.bucketSizeMax) {
            z.bucketSize = z.bucketSize + 1;
        }
    }

    // ---- the zone without caches: depot items, keg imports, limits -----------------------------------------

    private long allocItem(int flags) {
        while (true) {
            long item;
            z.lock.lock();
            try {
                item = z.depot.takeItem();
            } finally {
                z.lock.unlock();
            }
            if (item != 0) {
                z.allocs.increment();
                return item;
            }
            if (z.limit.reserve(1) == 0) {
                z.limit.warn();
                if (!Uma.canWait(flags)) {
                    z.fails.increment();
                    return 0;
                }
                z.limit.await();
                continue;
            }
            item = z.keg.fetchOne(flags);
            if (item != 0 && importItem(item, flags)) {
                z.allocs.increment();
                return item;
            }
            z.limit.unreserve(1);
            z.fails.increment();
            return 0;
        }
    }

    /**
     * Fills a bucket with up to {@code granted} items (already reserved against the limit); returns the count.
     * A secondary zone's init runs on each item; as UMA's {@code zone_alloc_bucket}, the first failure stops the
     * fill and the items not yet initialized go back to the keg. Inits after the first run with {@code M_NOWAIT}:
     * only the item the caller waits for may sleep.
     */
    private int importItems(long bucket, int granted, int flags) {
        int n = z.keg.fetch(bucket + Bucket.OFF_ITEMS, granted, flags);
        int kept = n;
        int itemFlags = flags;
        for (int i = 0; i < n; i++) {
            if (!importItem(Bucket.item(mem, base, bucket, i), itemFlags)) {
                for (int j = i + 1; j < n; j++) {
                    toKeg(Bucket.item(mem, base, bucket, j));
                }
                kept = i;
                break;
            }
            itemFlags = (flags & ~Uma.M_WAITOK) | Uma.M_NOWAIT;
        }
        if (kept < granted) {
            z.limit.unreserve(granted - kept);
        }
        return kept;
    }

    /** Keg-to-zone transition of one item: trash check and the secondary zone's init. */
    private boolean importItem(long item, int flags) {
        if (z.keg.trash && !z.trash) {
            int bad = Trash.check(mem, base, item, z.keg.rsize);
            if (bad >= 0) {
                Slab s = z.uma.slabTable.lookup(item);
                throw z.keg.corruptAfterFree(z.name, s, z.index(s, item), bad, item);
            }
        }
        if (z.zinit != null && z.zinit.init(item, z.size, flags) != 0) {
            toKeg(item);
            return false;
        }
        return true;
    }

    /** Zone-to-keg transition of one item that is leaving the zone: fini, trash, keg, limit. */
    void releaseItem(long item) {
        if (z.zfini != null) {
            z.zfini.fini(item, z.size);
        }
        toKeg(item);
        z.limit.unreserve(1);
    }

    /**
     * Hands an item back to the keg. A trash zone's free items are junk already, so they are checked (UMA's
     * trash_fini); other zones of a trashed keg junk them, keeping every free keg item junk.
     */
    private void toKeg(long item) {
        if (z.trash) {
            int bad = Trash.check(mem, base, item, z.keg.rsize);
            if (bad >= 0) {
                Slab s = z.uma.slabTable.lookup(item);
                throw z.keg.corruptAfterFree(z.name, s, z.index(s, item), bad, item);
            }
        } else if (z.keg.trash) {
            Trash.fill(mem, base, item, z.keg.rsize);
        }
        z.keg.releaseOne(item);
    }

    private long bucketAlloc(int flags) {
        int entries = Math.max(z.bucketSize, 1);
        Zone bz = z.uma.bucketZones[Bucket.zoneIndex(entries)];
        int bflags = Uma.M_NOWAIT | ((z.flags & Uma.ZONE_VM) != 0 || (flags & Uma.M_NOVM) != 0 ? Uma.M_NOVM : 0);
        long b = bz.alloc(bflags);
        if (b != 0) {
            Bucket.setEntries(mem, base, b, Math.min(Bucket.ZONE_ENTRIES[Bucket.zoneIndex(entries)],
                    Math.max(z.bucketSizeMax, 1)));
            Bucket.setCount(mem, base, b, 0);
            Bucket.setNext(mem, base, b, 0);
        }
        return b;
    }

    private void bucketFree(long bucket) {
        z.uma.slabTable.lookup(bucket).keg.zones.get(0).free(bucket);
    }

    /** Releases a bucket's items to the keg and frees the bucket. */
    private void releaseBucket(long bucket, int count) {
        for (int i = 0; i < count; i++) {
            releaseItem(Bucket.item(mem, base, bucket, i));
        }
        bucketFree(bucket);
    }

    /**
     * Gives depot buckets back: all of them, or for a trim the items the depot did not need since the last trim
     * (its working-set estimate), rounded up to whole buckets. The lock is dropped around each release.
     */
    void drainDepot(boolean trimOnly) {
        long target;
        z.lock.lock();
        try {
            target = trimOnly ? z.depot.trimTarget() : Long.MAX_VALUE;
        } finally {
            z.lock.unlock();
        }
        long released = 0;
        while (released < target) {
            long full;
            long empty = 0;
            z.lock.lock();
            try {
                full = z.depot.takeFull();
                if (full == 0 && !trimOnly) {
                    empty = z.depot.takeEmpty();
                }
            } finally {
                z.lock.unlock();
            }
            if (full != 0) {
                int n = Bucket.count(mem, base, full);
                released += n;
                releaseBucket(full, n);
            } else if (empty != 0) {
                bucketFree(empty);
            } else {
                return;
            }
        }
    }

    /** Releases a cache's buckets and their items to the keg; the caller has exclusive use of the cache. */
    void drainToKeg(ZoneCache c) {
        long a = c.allocBucket;
        int ac = c.allocCnt;
        long f = c.freeBucket;
        int fc = c.freeCnt;
        c.clearBuckets();
        if (a != 0) {
            releaseBucket(a, ac);
        }
        if (f != 0) {
            releaseBucket(f, fc);
        }
    }

    /** Gives cached memory back: caches (for DRAIN_CPU), dead threads' caches, then the depot. */
    void reclaim(Reclaim how, boolean flushOwn) {
        if (how == Reclaim.DRAIN_CPU) {
            z.slots.unpublish(flushOwn);
            z.slots.flushShared();
        }
        z.slots.retireDead();
        drainDepot(how == Reclaim.TRIM);
    }

    /** Flushes every cache and the depot; the zone must be quiescent (destroy's contract). */
    void flushAll() {
        z.slots.retireAll();
        drainDepot(false);
    }

}
