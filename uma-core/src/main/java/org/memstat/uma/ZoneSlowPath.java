package org.memstat.uma;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

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
    private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(ZoneCache[].class);
    private static final int MAX_CACHES = 4096;
    /** {@code cacheAlloc} results that are not items: no bucket could be had, or the zone is at its limit. */
    private static final long NO_BUCKET = -1;
    private static final long AT_LIMIT = -2;

    private final Zone z;
    private final MemorySegment mem;
    private final long base;
    private final AtomicLong lastWarning = new AtomicLong(Long.MIN_VALUE / 2);

    ZoneSlowPath(Zone zone) {
        this.z = zone;
        this.mem = zone.mem;
        this.base = zone.base;
    }

    long alloc(Object arg, int flags) {
        checkAlive();
        Thread t = Thread.currentThread();
        ZoneCache c = cacheFor(t);
        long item = NO_BUCKET;
        if (c != null) {
            item = cacheAlloc(c, flags);
        } else if (z.bucketSizeMax > 0) {
            c = z.shared[slot(t)];
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
            ZoneCache c = cacheFor(t);
            if (c != null) {
                if (cacheFree(c, item)) {
                    return;
                }
            } else if (z.bucketSizeMax > 0) {
                ZoneCache s = z.shared[slot(t)];
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

    private int slot(Thread t) {
        return (int) (t.threadId() % z.uma.maxCpus);
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

    // ---- per-thread caches -------------------------------------------------------------------------------

    private ZoneCache cacheFor(Thread t) {
        ZoneCache[] tab = z.caches;
        ZoneCache c = tab[(int) t.threadId() & (tab.length - 1)];
        if (c != null && c.owner == t) {
            return c;
        }
        if (t.isVirtual() || z.bucketSizeMax == 0 || z.destroyed) {
            return null;
        }
        return claim(t);
    }

    /**
     * Gives the thread a cache slot, retiring a dead owner's or growing the table on a collision. A cache the
     * thread left pending after a DRAIN_CPU request is drained to the keg here, by its owner, and reinstalled.
     */
    private ZoneCache claim(Thread t) {
        ZoneCache back = takePending(t);
        if (back != null) {
            drainToKeg(back);
        }
        z.lock.lock();
        try {
            while (true) {
                ZoneCache[] tab = z.caches;
                int idx = (int) t.threadId() & (tab.length - 1);
                ZoneCache c = tab[idx];
                if (c != null && c.owner == t) {
                    return c;
                }
                if (c == null || !c.owner.isAlive()) {
                    if (c != null) {
                        retireLocked(c);
                    }
                    ZoneCache mine = back != null ? back : new ZoneCache(t, slot(t));
                    SLOTS.setRelease(tab, idx, mine);
                    return mine;
                }
                if (tab.length >= MAX_CACHES) {
                    if (back != null) {
                        retireLocked(back);
                    }
                    return null;
                }
                ZoneCache[] bigger = new ZoneCache[tab.length * 2];
                for (ZoneCache old : tab) {
                    if (old != null) {
                        bigger[(int) old.owner.threadId() & (bigger.length - 1)] = old;
                    }
                }
                z.caches = bigger;
            }
        } finally {
            z.lock.unlock();
        }
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
            int granted = reserveItems(want);
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

    /** Takes the zone lock; a contended lock grows the bucket size, as UMA's {@code zone_domain_lock}. */
    private void lockZone() {
        if (!z.lock.tryLock()) {
            z.lock.lock();
            if (z.bucketSize < z.bucketSizeMax) {
                z.bucketSize = z.bucketSize + 1;
            }
        }
    }

    /** Moves a cache's buckets to the depot; the caller has exclusive use of the cache. */
    private void flush(ZoneCache c) {
        z.lock.lock();
        try {
            flushLocked(c);
        } finally {
            z.lock.unlock();
        }
    }

    private void flushLocked(ZoneCache c) {
        if (c.allocBucket != 0) {
            depotPut(c.allocBucket, c.allocCnt);
        }
        if (c.freeBucket != 0) {
            depotPut(c.freeBucket, c.freeCnt);
        }
        c.allocBucket = 0;
        c.allocCnt = 0;
        c.allocEntries = 0;
        c.freeBucket = 0;
        c.freeCnt = 0;
        c.freeEntries = 0;
    }

    private void depotPut(long bucket, int count) {
        if (count > 0) {
            z.depot.putFull(bucket, count);
        } else {
            z.depot.putEmpty(bucket);
        }
    }

    /** Flushes a dead thread's cache, folds its counters into the zone's and frees its slot. */
    private void retireLocked(ZoneCache c) {
        flushLocked(c);
        z.allocs.add(c.allocs);
        z.frees.add(c.frees);
        c.allocs = 0;
        c.frees = 0;
        ZoneCache[] tab = z.caches;
        int idx = (int) c.owner.threadId() & (tab.length - 1);
        if (tab[idx] == c) {
            SLOTS.setRelease(tab, idx, null);
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
            if (reserveItems(1) == 0) {
                warnLimit();
                if (!Uma.canWait(flags)) {
                    z.fails.increment();
                    return 0;
                }
                waitForLimit();
                continue;
            }
            item = z.keg.fetchOne(flags);
            if (item != 0 && importItem(item, flags)) {
                z.allocs.increment();
                return item;
            }
            unreserve(1);
            z.fails.increment();
            return 0;
        }
    }

    /** Fills a bucket with up to {@code granted} items (already reserved against the limit); returns the count. */
    private int importItems(long bucket, int granted, int flags) {
        int n = z.keg.fetch(bucket + Bucket.OFF_ITEMS, granted, flags);
        for (int i = 0; i < n; i++) {
            long item = Bucket.item(mem, base, bucket, i);
            if (!importItem(item, flags)) {
                Bucket.setItem(mem, base, bucket, i, Bucket.item(mem, base, bucket, --n));
                i--;
            }
        }
        if (n < granted) {
            unreserve(granted - n);
        }
        return n;
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
        unreserve(1);
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

    private int reserveItems(int n) {
        long m = z.max;
        if (m == 0) {
            z.items.addAndGet(n);
            return n;
        }
        while (true) {
            long cur = z.items.get();
            long room = m - cur;
            if (room <= 0) {
                return 0;
            }
            int k = (int) Math.min(n, room);
            if (z.items.compareAndSet(cur, cur + k)) {
                return k;
            }
        }
    }

    private void unreserve(int n) {
        z.items.addAndGet(-n);
        if (z.sleepers > 0) {
            z.lock.lock();
            try {
                z.limitFreed.signalAll();
            } finally {
                z.lock.unlock();
            }
        }
    }

    private void waitForLimit() {
        z.lock.lock();
        try {
            z.sleepers = z.sleepers + 1;
            z.sleeps.increment();
            // Bounded waits: items parked in other threads' caches free no slot and signal nobody.
            while (z.max > 0 && z.items.get() >= z.max && z.depot.items() == 0 && !z.destroyed) {
                z.limitFreed.awaitNanos(TimeUnit.MILLISECONDS.toNanos(50));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            z.sleepers = z.sleepers - 1;
            z.lock.unlock();
        }
    }

    private void warnLimit() {
        String text = z.warning;
        if (text == null) {
            return;
        }
        long now = System.nanoTime();
        long last = lastWarning.get();
        if (now - last >= z.uma.warningIntervalNanos && lastWarning.compareAndSet(last, now)) {
            z.uma.console.accept("[zone: " + z.name + "] " + text);
        }
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

    // ---- reclaim, destroy, statistics ---------------------------------------------------------------------

    void reclaim(Reclaim how, boolean flushOwn) {
        if (how == Reclaim.DRAIN_CPU) {
            Thread me = Thread.currentThread();
            z.lock.lock();
            try {
                // Unpublish every owned cache: owners are not stopped, so they drain their own at their next
                // call (the fast path no longer finds the cache), which costs the fast path nothing.
                ZoneCache[] tab = z.caches;
                List<ZoneCache> moved = new ArrayList<>(Arrays.asList(z.pending));
                for (ZoneCache c : tab) {
                    if (c != null && (c.owner != me || !flushOwn)) {
                        moved.add(c);
                    }
                }
                z.pending = moved.toArray(new ZoneCache[0]);
                ZoneCache[] fresh = new ZoneCache[tab.length];
                for (ZoneCache c : tab) {
                    if (c != null && c.owner == me && flushOwn) {
                        flushLocked(c);
                        fresh[(int) me.threadId() & (fresh.length - 1)] = c;
                    }
                }
                z.caches = fresh;
            } finally {
                z.lock.unlock();
            }
            for (ZoneCache s : z.shared) {
                if (s.tryLock()) {
                    try {
                        flush(s);
                    } finally {
                        s.unlock();
                    }
                }
            }
        }
        retireDead();
        drainDepot(how == Reclaim.TRIM);
    }

    /** Removes and returns the calling thread's pending cache, if it has one. */
    private ZoneCache takePending(Thread t) {
        ZoneCache[] p = z.pending;
        if (p.length == 0) {
            return null;
        }
        z.lock.lock();
        try {
            ZoneCache[] cur = z.pending;
            for (int i = 0; i < cur.length; i++) {
                if (cur[i].owner == t) {
                    ZoneCache found = cur[i];
                    ZoneCache[] rest = new ZoneCache[cur.length - 1];
                    System.arraycopy(cur, 0, rest, 0, i);
                    System.arraycopy(cur, i + 1, rest, i, cur.length - i - 1);
                    z.pending = rest;
                    return found;
                }
            }
            return null;
        } finally {
            z.lock.unlock();
        }
    }

    /** Releases a cache's buckets and their items to the keg; the caller has exclusive use of the cache. */
    private void drainToKeg(ZoneCache c) {
        long a = c.allocBucket;
        int ac = c.allocCnt;
        long f = c.freeBucket;
        int fc = c.freeCnt;
        c.allocBucket = 0;
        c.allocCnt = 0;
        c.allocEntries = 0;
        c.freeBucket = 0;
        c.freeCnt = 0;
        c.freeEntries = 0;
        if (a != 0) {
            releaseBucket(a, ac);
        }
        if (f != 0) {
            releaseBucket(f, fc);
        }
    }

    private void retireDead() {
        z.lock.lock();
        try {
            for (ZoneCache c : z.caches) {
                if (c != null && !c.owner.isAlive()) {
                    retireLocked(c);
                }
            }
            List<ZoneCache> alive = new ArrayList<>();
            for (ZoneCache c : z.pending) {
                if (c.owner.isAlive()) {
                    alive.add(c);
                } else {
                    retireLocked(c);
                }
            }
            z.pending = alive.toArray(new ZoneCache[0]);
        } finally {
            z.lock.unlock();
        }
    }

    private void drainDepot(boolean trimOnly) {
        while (true) {
            long full;
            long empty = 0;
            z.lock.lock();
            try {
                long target = trimOnly ? z.depot.trimTarget() : Long.MAX_VALUE;
                full = target > 0 ? z.depot.takeFull() : 0;
                if (full == 0 && !trimOnly) {
                    empty = z.depot.takeEmpty();
                }
            } finally {
                z.lock.unlock();
            }
            if (full != 0) {
                releaseBucket(full, Bucket.count(mem, base, full));
            } else if (empty != 0) {
                bucketFree(empty);
            } else {
                return;
            }
            if (trimOnly) {
                return;
            }
        }
    }

    /** Flushes every cache and the depot; the zone must be quiescent (destroy's contract). */
    void flushAll() {
        z.lock.lock();
        try {
            for (ZoneCache c : z.caches) {
                if (c != null) {
                    retireLocked(c);
                }
            }
            for (ZoneCache c : z.pending) {
                retireLocked(c);
            }
            z.pending = new ZoneCache[0];
            for (ZoneCache s : z.shared) {
                flushLocked(s);
                z.allocs.add(s.allocs);
                z.frees.add(s.frees);
                s.allocs = 0;
                s.frees = 0;
            }
        } finally {
            z.lock.unlock();
        }
        drainDepot(false);
    }

    void perCpu(long[] allocs, long[] frees, long[] cached) {
        ZoneCache[] tab = z.caches;
        for (int i = 0; i < tab.length; i++) {
            ZoneCache c = (ZoneCache) SLOTS.getAcquire(tab, i);
            if (c != null) {
                add(c, allocs, frees, cached);
            }
        }
        for (ZoneCache c : z.pending) {
            add(c, allocs, frees, cached);
        }
        for (ZoneCache s : z.shared) {
            add(s, allocs, frees, cached);
        }
    }

    private static void add(ZoneCache c, long[] allocs, long[] frees, long[] cached) {
        allocs[c.slot] += c.allocsOpaque();
        frees[c.slot] += c.freesOpaque();
        cached[c.slot] += c.cachedOpaque();
    }
}
