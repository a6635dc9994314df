package org.memstat.uma;

import java.lang.foreign.MemorySegment;

/**
 * Everything {@link Zone}'s fast path does not do, for one zone: the entry points that choose a cache
 * ({@code cache_alloc_retry}), the cacheless item path ({@code zone_alloc_item}), the moves of items between
 * keg and zone ({@code zone_import}, {@code zone_release}, init/fini, trash), buckets from and to the bucket
 * zones ({@code bucket_alloc}, {@code bucket_free}), callbacks and debug checks, and reclaim.
 *
 * <p>It owns no state of its own: it asks the zone's parts, each of which owns and changes its own
 * ({@link ZoneCache} its buckets, {@link ZoneCaches} who has which cache, {@link BucketDepot} the bucket
 * cache, {@link BucketSize} the sizing, {@link ZoneLimit} the limit, {@link Keg} the slabs). Lock order: the
 * caches' lock, a cache's lock, the depot's, the keg's, the page source's. No depot or keg lock is held while
 * calling into the keg's fetch, a bucket zone or a user callback, so a sleeping allocation never blocks a free.
 */
final class ZoneSlowPath {
    private final Zone z;
    private final MemorySegment mem;
    private final long base;

    ZoneSlowPath(Zone zone) {
        this.z = zone;
        this.mem = zone.mem;
        this.base = zone.base;
    }

    long alloc(Object arg, int flags) {
        z.checkUsable();
        Thread t = Thread.currentThread();
        ZoneCache c = z.cacheSet.acquire(t);
        long item = ZoneCache.NO_BUCKET;
        boolean due = false;
        if (c != null) {
            try {
                item = c.alloc(z, flags);
                due = item > 0 && c.sampleDue(z.sampler);
            } finally {
                c.unlock();
            }
        } else if (z.sizing.cached()) {
            c = z.cacheSet.shared(t);
            if (c.tryLock()) {
                try {
                    item = c.alloc(z, flags);
                    due = item > 0 && c.sampleDue(z.sampler);
                } finally {
                    c.unlock();
                }
            }
        }
        if (item > 0) {
            return sampled(construct(c, item, arg, flags), arg, due);
        }
        if (item == 0) {
            // The bucket import failed (zone_alloc_bucket counts it); the single-item retry counts its own.
            z.fails.increment();
        }
        item = allocItem(flags);
        return item == 0 ? 0 : sampled(construct(null, item, arg, flags), arg, z.sampler.bernoulli());
    }

    /**
     * The fast path's exit for an item that needs more than handing out: a ctor, {@code M_ZERO}, debug checks,
     * or a sampling countdown that ran out ({@code countdownOut}).
     */
    long construct(ZoneCache c, long item, Object arg, int flags, boolean countdownOut) {
        boolean due = countdownOut && c.expired(z.sampler);
        return sampled(construct(c, item, arg, flags), arg, due);
    }

    /** Records {@code item} as a sample when it was due and the allocation succeeded. */
    private long sampled(long item, Object arg, boolean due) {
        if (due && item != 0) {
            z.sampler.record(item, arg);
        }
        return item;
    }

    void free(long item) {
        z.checkUsable();
        Thread t = Thread.currentThread();
        if (z.limit.sleepers() == 0) {
            ZoneCache c = z.cacheSet.acquire(t);
            if (c != null) {
                try {
                    if (c.free(z, item)) {
                        return;
                    }
                } finally {
                    c.unlock();
                }
            } else if (z.sizing.cached()) {
                ZoneCache s = z.cacheSet.shared(t);
                if (s.tryLock()) {
                    try {
                        if (s.free(z, item)) {
                            return;
                        }
                    } finally {
                        s.unlock();
                    }
                }
            }
        }
        z.frees.increment();
        releaseItem(item);
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
            // An item from a cache was counted as allocated there: count the free too, so counters only grow and
            // `used` stays exact (current FreeBSD counts no free, so its `used` drifts up by one). An item from
            // the keg was not counted yet, and is not (zone_alloc_item counts allocs on success only).
            if (c != null) {
                z.frees.increment();
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
        if (c == null) {
            z.allocs.increment();
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

    // ---- the zone without caches: depot items, keg imports, limits -----------------------------------------

    /** {@code zone_alloc_item}: one item from the depot or the keg, under the limit; 0 on failure (counted). */
    private long allocItem(int flags) {
        while (true) {
            long item = z.depot.takeItem();
            if (item != 0) {
                return item;
            }
            if (z.limit.reserve(1) == 0) {
                z.limit.hit();
                if (!Uma.canWait(flags)) {
                    z.fails.increment();
                    return 0;
                }
                z.limit.await();
                continue;
            }
            item = z.keg.fetchOne(flags);
            if (item != 0 && importItem(item, flags)) {
                return item;
            }
            z.limit.unreserve(1);
            z.fails.increment();
            return 0;
        }
    }

    /**
     * Fills a cache's empty bucket with up to {@code granted} items (already reserved against the limit) and
     * returns how many; slots past that stay 0. As UMA's {@code zone_alloc_bucket}, a secondary zone's init runs on each item and the
     * first failure stops the fill (the items not yet initialized go back). The first init gets the caller's
     * flags; the later ones {@code M_NOWAIT}, where FreeBSD passes the caller's flags to all: a fill that sleeps
     * for each item of a bucket (the packet zone's init waiting for a cluster) holds what it already took, and
     * with no other traffic, as in a program rather than a kernel, waits forever for clusters only it holds.
     */
    int fill(long bucket, int granted, int flags) {
        int n = z.keg.fetch(bucket + Bucket.OFF_ITEMS, granted, flags);
        int kept = n;
        int itemFlags = flags;
        for (int i = 0; i < n; i++) {
            if (!importItem(Bucket.item(mem, base, bucket, i), itemFlags)) {
                // A cache's bucket keeps 0 in every slot past its count (ZoneCache).
                Bucket.setItem(mem, base, bucket, i, 0);
                for (int j = i + 1; j < n; j++) {
                    toKeg(Bucket.item(mem, base, bucket, j));
                    Bucket.setItem(mem, base, bucket, j, 0);
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
            checkTrash(item);
        }
        if (z.zinit != null && z.zinit.init(item, z.size, flags) != 0) {
            toKeg(item);
            return false;
        }
        return true;
    }

    /** Zone-to-keg transition of one item that is leaving the zone: fini, trash, keg, limit. */
    void releaseItem(long item) {
        leave(item);
        z.keg.releaseOne(item);
        z.limit.unreserve(1);
    }

    /**
     * {@code bucket_drain}: every item of a bucket leaves the zone (fini and trash one by one), then all go back
     * to the keg under one keg lock and to the limit at once; the bucket is left empty.
     */
    void releaseBucket(long bucket) {
        int n = Bucket.count(mem, base, bucket);
        if (n == 0) {
            return;
        }
        for (int i = 0; i < n; i++) {
            leave(Bucket.item(mem, base, bucket, i));
        }
        z.keg.release(bucket + Bucket.OFF_ITEMS, n);
        Bucket.setCount(mem, base, bucket, 0);
        z.limit.unreserve(n);
    }

    private void leave(long item) {
        if (z.zfini != null) {
            z.zfini.fini(item, z.size);
        }
        junk(item);
    }

    private void toKeg(long item) {
        junk(item);
        z.keg.releaseOne(item);
    }

    /**
     * A trash zone's free items are junk already, so they are checked (UMA's trash_fini); other zones of a
     * trashed keg junk them, keeping every free keg item junk.
     */
    private void junk(long item) {
        if (z.trash) {
            checkTrash(item);
        } else if (z.keg.trash) {
            Trash.fill(mem, base, item, z.keg.rsize);
        }
    }

    private void checkTrash(long item) {
        int bad = Trash.check(mem, base, item, z.keg.rsize);
        if (bad >= 0) {
            Slab s = z.uma.slabTable.lookup(item);
            throw z.keg.corruptAfterFree(z.name, s, z.index(s, item), bad, item);
        }
    }

    // ---- buckets ---------------------------------------------------------------------------------------------

    /** {@code bucket_alloc}: an empty bucket for the current size, or 0. */
    long bucketAlloc(int flags) {
        int entries = Math.max(z.sizing.current(), 1);
        int zi = Bucket.zoneIndex(entries);
        Zone bz = z.uma.bucketZones[zi];
        int bflags = Uma.M_NOWAIT | ((z.flags & Uma.ZONE_VM) != 0 || (flags & Uma.M_NOVM) != 0 ? Uma.M_NOVM : 0);
        long b = bz.alloc(bflags);
        if (b != 0) {
            Bucket.setEntries(mem, base, b, Math.min(Bucket.ZONE_ENTRIES[zi], Math.max(z.sizing.max(), 1)));
            Bucket.setCount(mem, base, b, 0);
            Bucket.setNext(mem, base, b, 0);
        }
        return b;
    }

    /** Frees an empty bucket to its bucket zone; the allocator's empty bucket ({@code entries == 0}) stays. */
    void bucketFree(long bucket, int entries) {
        if (entries > 0) {
            z.uma.slabTable.lookup(bucket).keg.zones.get(0).free(bucket);
        }
    }

    /** A cache's bucket goes to the depot: full ones kept unless over the cap, empty ones freed. */
    void stow(long bucket, int entries) {
        if (entries == 0) {
            return;
        }
        if (Bucket.count(mem, base, bucket) > 0 && z.depot.putFull(bucket)) {
            return;
        }
        releaseBucket(bucket);
        bucketFree(bucket, entries);
    }

    // ---- reclaim ---------------------------------------------------------------------------------------------

    /**
     * Gives cached memory back ({@code zone_reclaim}): dead threads' caches, revoked and idle caches, then the
     * depot down to its working-set estimate (TRIM) or entirely (DRAIN, DRAIN_CPU). For DRAIN_CPU every leased
     * cache not in use at that moment gives its buckets back, live owners' included.
     */
    void reclaim(Reclaim how) {
        if (how == Reclaim.DRAIN_CPU) {
            z.sizing.shrink();
        }
        z.sizing.reclaimed();
        giveBack(how == Reclaim.DRAIN_CPU, how == Reclaim.TRIM);
    }

    /** One trim tick: as a TRIM, and the bucket size goes halfway back to its floor. */
    void timeout() {
        z.usedPeak.observe(z.used());
        z.sizing.shrink();
        giveBack(false, true);
    }

    private void giveBack(boolean allShared, boolean trim) {
        z.cacheSet.retireDead();
        z.cacheSet.revoke(allShared);
        drainDepot(z.depot.reclaimTarget(trim));
    }

    /** Releases full buckets while the depot holds more than {@code keep} items, then every empty bucket. */
    void drainDepot(long keep) {
        long b;
        while ((b = z.depot.takeFullAbove(keep)) != 0) {
            releaseBucket(b);
            bucketFree(b, Bucket.entries(mem, base, b));
        }
        while ((b = z.depot.takeEmpty()) != 0) {
            bucketFree(b, Bucket.entries(mem, base, b));
        }
    }

    /** Flushes every cache and the depot; the zone must be quiescent (destroy's contract). */
    void flushAll() {
        z.cacheSet.retireAll();
        drainDepot(0);
    }
}
