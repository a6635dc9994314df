package org.memstat.uma;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A zone's per-thread cache slots: who owns which {@link ZoneCache}, and every way a cache changes hands
 * (claimed by a new thread, retired when its owner died, unpublished for DRAIN_CPU and taken back by its
 * owner, flushed for destruction), plus the racy per-slot sums statistics read.
 *
 * <p>The slot table itself is {@link Zone#caches}, read without a lock by the fast path; every change to it,
 * to {@link Zone#pending} and to the depot happens under the zone lock. Entries are published with release
 * stores so a statistics reader on another thread sees a fully built cache.
 */
final class CacheSlots {
    private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(ZoneCache[].class);
    private static final int MAX_CACHES = 4096;

    private final Zone z;

    CacheSlots(Zone zone) {
        this.z = zone;
    }

    int slot(Thread t) {
        return (int) (t.threadId() % z.uma.maxCpus);
    }

    /** The shared cache for a thread without its own, made on first use. */
    ZoneCache shared(Thread t) {
        int i = slot(t);
        ZoneCache s = (ZoneCache) SLOTS.getAcquire(z.shared, i);
        if (s == null) {
            ZoneCache made = new ZoneCache(null, i);
            s = (ZoneCache) SLOTS.compareAndExchangeRelease(z.shared, i, null, made);
            if (s == null) {
                s = made;
            }
        }
        return s;
    }

    /** The calling thread's own cache, claiming a slot on first use; null for virtual threads and overflow. */
    ZoneCache owned(Thread t) {
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
            z.slow.drainToKeg(back);
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

    /** Moves a cache's buckets to the depot; the caller has exclusive use of the cache. */
    void flush(ZoneCache c) {
        z.lock.lock();
        try {
            flushLocked(c);
        } finally {
            z.lock.unlock();
        }
    }

    void flushLocked(ZoneCache c) {
        if (c.allocBucket != 0) {
            depotPut(c.allocBucket, c.allocCnt);
        }
        if (c.freeBucket != 0) {
            depotPut(c.freeBucket, c.freeCnt);
        }
        c.clearBuckets();
    }

    private void depotPut(long bucket, int count) {
        if (count > 0) {
            z.depot.putFull(bucket, count);
        } else {
            z.depot.putEmpty(bucket);
        }
    }

    /** Flushes a dead thread's cache, folds its counters into the zone's and frees its slot. */
    void retireLocked(ZoneCache c) {
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

    void retireDead() {
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

    void perCpu(long[] allocs, long[] frees, long[] cached) {
        perCpu(allocs, frees, cached, null);
    }

    /**
     * Adds every cache's counters to its slot's entries; with {@code touched} (a bitmap of
     * {@code (maxCpus + 63) / 64} words) also sets the bit of each slot added to, so a statistics writer can visit
     * only those instead of all {@code maxCpus}.
     */
    void perCpu(long[] allocs, long[] frees, long[] cached, long[] touched) {
        ZoneCache[] tab = z.caches;
        for (int i = 0; i < tab.length; i++) {
            ZoneCache c = (ZoneCache) SLOTS.getAcquire(tab, i);
            if (c != null) {
                add(c, allocs, frees, cached, touched);
            }
        }
        for (ZoneCache c : z.pending) {
            add(c, allocs, frees, cached, touched);
        }
        ZoneCache[] shared = z.shared;
        for (int i = 0; i < shared.length; i++) {
            ZoneCache s = (ZoneCache) SLOTS.getAcquire(shared, i);
            if (s != null) {
                add(s, allocs, frees, cached, touched);
            }
        }
    }

    private static void add(ZoneCache c, long[] allocs, long[] frees, long[] cached, long[] touched) {
        int i = c.slot;
        allocs[i] += c.allocsOpaque();
        frees[i] += c.freesOpaque();
        cached[i] += c.cachedOpaque();
        if (touched != null) {
            touched[i >>> 6] |= 1L << i;
        }
    }

    /**
     * DRAIN_CPU for live threads, which cannot be stopped: a fresh table unpublishes every owned cache, so each
     * owner misses at its next call, finds its cache pending and drains it itself. The fast path pays nothing.
     * The caller's own cache is flushed at once when {@code flushOwn} (it is not in the middle of an operation).
     */
    void unpublish(boolean flushOwn) {
        Thread me = Thread.currentThread();
        z.lock.lock();
        try {
            ZoneCache[] tab = z.caches;
            List<ZoneCache> moved = new ArrayList<>(Arrays.asList(z.pending));
            ZoneCache[] fresh = new ZoneCache[tab.length];
            for (ZoneCache c : tab) {
                if (c == null) {
                    continue;
                }
                if (c.owner == me && flushOwn) {
                    flushLocked(c);
                    fresh[(int) me.threadId() & (fresh.length - 1)] = c;
                } else {
                    moved.add(c);
                }
            }
            z.pending = moved.toArray(new ZoneCache[0]);
            z.caches = fresh;
        } finally {
            z.lock.unlock();
        }
    }

    /** Flushes the shared caches that are not in use right now to the depot. */
    void flushShared() {
        for (ZoneCache s : z.shared) {
            if (s != null && s.tryLock()) {
                try {
                    flush(s);
                } finally {
                    s.unlock();
                }
            }
        }
    }

    /** Retires every cache, owned, pending or shared, into the depot and the zone counters; quiescent zones only. */
    void retireAll() {
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
                if (s == null) {
                    continue;
                }
                flushLocked(s);
                z.allocs.add(s.allocs);
                z.frees.add(s.frees);
                s.allocs = 0;
                s.frees = 0;
            }
        } finally {
            z.lock.unlock();
        }
    }
}
