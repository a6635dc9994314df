package org.memstat.uma;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A zone's thread caches: which thread owns which {@link ZoneCache}, the leases that bound how many of them
 * may hold buckets, the shared caches, the counters of caches whose owners died, and every way a cache changes
 * hands (claimed, leased, revoked, retired). The slot table is published in {@link Zone#caches} for the
 * lock-free fast path; this class is the only one that writes it.
 *
 * <p><b>The bound.</b> At most {@code maxCpus} owned caches hold a lease, and only a leased cache holds
 * buckets, so whatever the number of threads, owned caches hold at most {@code 2 * maxCpus} buckets; the
 * {@code maxCpus} shared caches another {@code 2 * maxCpus}. A thread without a lease keeps a bucketless entry
 * (so its fast path falls through without touching a lock) and is served by its shared cache. FreeBSD's bound
 * is two buckets per CPU plus the cross bucket; ours is four per CPU slot and flat in the thread count.
 *
 * <p><b>Hand-over of idle caches.</b> A lease is given back when its owner dies ({@link #retireDead}) or when
 * its cache is revoked ({@link #revoke}: at a trim tick if it did nothing for a whole interval, at DRAIN_CPU
 * whatever it did): this class takes the cache's lock, keeps the fast path out with the protocol described in
 * {@link ZoneCache}, moves the buckets to the depot and drops the lease. The owner's next call finds itself
 * revoked, takes the slow path and asks for a lease again. A parked owner is never needed for any of it.
 *
 * <p><b>Counters never go backwards.</b> A cache's counters stay in the cache while its owner lives. When the
 * owner has died, its counters move into {@code retired} (per CPU slot) and the cache leaves the table in one
 * step that readers see whole: membership changes are bracketed by a sequence counter that {@link #perCpu}
 * validates, retrying a sum that overlapped a change.
 *
 * <p>Locking: membership changes under {@link #lock}; a cache's buckets under its own lock. Lock order: this
 * lock, then a cache's (only ever tried, never waited for, while holding this one), then the depot's.
 */
final class ZoneCaches {
    private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(ZoneCache[].class);
    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle VERSION;
    private static final int MAX_SLOTS = 4096;

    static {
        try {
            VERSION = MethodHandles.lookup().findVarHandle(ZoneCaches.class, "version", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Zone z;
    private final ReentrantLock lock = new ReentrantLock();
    private final ZoneCache[] shared;
    private final AtomicInteger leases = new AtomicInteger();
    private final int maxLeases;
    /** Counters of caches whose owners died: allocs of slot i at 2i, frees at 2i + 1; made on first use. */
    private volatile long[] retired;
    @SuppressWarnings("unused")
    private int version;

    ZoneCaches(Zone zone) {
        this.z = zone;
        this.maxLeases = zone.uma.maxCpus;
        // Shared caches are made on first use, so statistics skip the unused ones.
        this.shared = new ZoneCache[zone.uma.maxCpus];
        z.caches = new ZoneCache[16];
    }

    int slot(Thread t) {
        return (int) (t.threadId() % z.uma.maxCpus);
    }

    /** The shared cache for a thread without a leased cache of its own, made on first use. */
    ZoneCache shared(Thread t) {
        int i = slot(t);
        ZoneCache s = (ZoneCache) SLOTS.getAcquire(shared, i);
        if (s == null) {
            ZoneCache made = new ZoneCache(null, i, z.sampler.newRandom());
            s = (ZoneCache) SLOTS.compareAndExchangeRelease(shared, i, null, made);
            if (s == null) {
                s = made;
            }
        }
        return s;
    }

    /**
     * The calling thread's own cache, locked and leased, its fast path admitted; null for virtual threads, zones
     * without buckets, and threads that could not get a slot or a lease (they use {@link #shared}).
     */
    ZoneCache acquire(Thread t) {
        if (t.isVirtual() || !z.sizing.cached() || z.destroyed) {
            return null;
        }
        ZoneCache[] tab = z.caches;
        ZoneCache c = (ZoneCache) SLOTS.getAcquire(tab, (int) t.threadId() & (tab.length - 1));
        if (c == null || c.owner != t) {
            c = claim(t);
            if (c == null) {
                return null;
            }
        }
        c.lock();
        if (!c.leased) {
            if (!lease()) {
                c.unlock();
                return null;
            }
            c.leased = true;
        }
        c.admit();
        c.resync(z.sampler);
        if (z.uma.isClosed()) {
            // Close stores `closed` before it revokes; we stored `revoked = 0` before reading `closed` (both
            // volatile): either we see closed, or close's revocation comes after our admission.
            c.markRevoked();
            c.unlock();
            z.uma.checkOpen();
        }
        return c;
    }

    /**
     * Sends every leased cache's owner through its slow path once, where it re-arms its sampling countdown
     * ({@link ZoneCache#resync}): {@code revoked} is set under the cache's lock and the buckets stay where they
     * are, so the owner, finding its lease, is admitted again at once. Holds no lock of this class, so waiting for
     * a cache's lock (its owner's slow path is short) breaks no lock order.
     */
    void poke() {
        for (ZoneCache c : z.caches) {
            if (c != null && c.owner != null) {
                c.lock();
                try {
                    if (c.leased) {
                        c.markRevoked();
                    }
                } finally {
                    c.unlock();
                }
            }
        }
    }

    private boolean lease() {
        while (true) {
            int n = leases.get();
            if (n >= maxLeases) {
                return false;
            }
            if (leases.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    /** Gives the thread a table slot, retiring a dead owner's or growing the table; the cache is unleased. */
    private ZoneCache claim(Thread t) {
        lock.lock();
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
                    ZoneCache mine = new ZoneCache(t, slot(t), z.sampler.newRandom());
                    SLOTS.setRelease(tab, idx, mine);
                    return mine;
                }
                if (tab.length >= MAX_SLOTS) {
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
            lock.unlock();
        }
    }

    /**
     * Takes the buckets of leased caches that nobody is using: all of them ({@code all}, DRAIN_CPU) or those
     * that counted no operation since the last call (a trim tick), and likewise of the shared caches. A cache
     * whose owner is on its slow path, or turns out to be mid-operation, is left alone until a later call.
     *
     * @return how many leased caches gave their buckets back
     */
    int revoke(boolean all) {
        int taken = 0;
        lock.lock();
        try {
            List<ZoneCache> held = new ArrayList<>();
            for (ZoneCache c : z.caches) {
                if (c == null || !c.leased) {
                    continue;
                }
                long ops = c.allocsOpaque() + c.freesOpaque();
                boolean idle = ops == c.seenOps;
                c.seenOps = ops;
                if ((all || idle) && c.tryLock()) {
                    if (c.leased) {
                        c.markRevoked();
                        held.add(c);
                    } else {
                        c.unlock();
                    }
                }
            }
            if (!held.isEmpty()) {
                // One barrier for all of them: afterwards each owner is either outside its fast path, and will
                // see `revoked` at its next call, or visibly inside it.
                ProcessBarrier.serialize();
                for (ZoneCache c : held) {
                    if (c.quiescent()) {
                        c.flush(z);
                        c.leased = false;
                        leases.decrementAndGet();
                        taken++;
                    } else {
                        c.admit();
                    }
                    c.unlock();
                }
            }
            for (ZoneCache s : shared) {
                if (s == null) {
                    continue;
                }
                long ops = s.allocsOpaque() + s.freesOpaque();
                if ((all || ops == s.seenOps) && s.tryLock()) {
                    try {
                        s.flush(z);
                    } finally {
                        s.unlock();
                    }
                }
                s.seenOps = ops;
            }
        } finally {
            lock.unlock();
        }
        return taken;
    }

    /**
     * Keeps every owner's fast path out for good, for {@link Uma#close()}: the caller has set the allocator's
     * closed flag; after {@link ProcessBarrier#serialize()} it waits with {@link #awaitQuiescent}.
     */
    void revokeForClose() {
        for (ZoneCache c : z.caches) {
            if (c != null) {
                c.markRevoked();
            }
        }
    }

    /** True once no owner is inside its fast path (after {@link #revokeForClose} and a barrier). */
    boolean quiescent() {
        for (ZoneCache c : z.caches) {
            if (c != null && !c.quiescent()) {
                return false;
            }
        }
        return true;
    }

    /** Retires the caches of dead threads: buckets to the depot, counters to the retired counts, slot freed. */
    void retireDead() {
        lock.lock();
        try {
            for (ZoneCache c : z.caches) {
                if (c != null && !c.owner.isAlive()) {
                    retireLocked(c);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Retires one cache, under {@link #lock}. Its owner is dead ({@code isAlive() == false} orders its last
     * writes before ours) or the zone is quiescent, so nobody else touches the cache.
     */
    private void retireLocked(ZoneCache c) {
        begin();
        try {
            fold(c);
            ZoneCache[] tab = z.caches;
            int idx = (int) c.owner.threadId() & (tab.length - 1);
            if (tab[idx] == c) {
                SLOTS.setRelease(tab, idx, null);
            }
        } finally {
            end();
        }
    }

    private void fold(ZoneCache c) {
        c.flush(z);
        if (c.leased && c.owner != null) {
            c.leased = false;
            leases.decrementAndGet();
        }
        long[] r = retired;
        if (r == null) {
            r = new long[2 * z.uma.maxCpus];
            retired = r;
        }
        // Opaque stores: perCpu reads these without the lock, and must see whole values.
        int i = 2 * c.slot;
        LONGS.setOpaque(r, i, r[i] + (c.allocs >>> 1));
        LONGS.setOpaque(r, i + 1, r[i + 1] + (c.frees >>> 1));
        c.allocs = 0;
        c.frees = 0;
    }

    private void begin() {
        VERSION.setVolatile(this, (int) VERSION.get(this) + 1);
    }

    private void end() {
        VERSION.setRelease(this, (int) VERSION.get(this) + 1);
    }

    /** Retires every cache, owned or shared; the zone is quiescent (destroy's contract). */
    void retireAll() {
        lock.lock();
        try {
            for (ZoneCache c : z.caches) {
                if (c != null) {
                    retireLocked(c);
                }
            }
            begin();
            try {
                for (ZoneCache s : shared) {
                    if (s != null) {
                        fold(s);
                    }
                }
            } finally {
                end();
            }
        } finally {
            lock.unlock();
        }
    }

    void perCpu(long[] allocs, long[] frees, long[] cached) {
        perCpu(allocs, frees, cached, null);
    }

    /**
     * Adds every cache's counters, and the retired counts, to its slot's entries; with {@code touched} (a bitmap
     * of {@code (maxCpus + 63) / 64} words) also sets the bit of each slot added to, so a statistics writer can
     * visit only those. A sum that overlapped a retirement is thrown away and taken again (a sequence lock), so
     * a count moving from a cache to the retired counts is seen exactly once.
     */
    void perCpu(long[] allocs, long[] frees, long[] cached, long[] touched) {
        while (true) {
            int v = (int) VERSION.getAcquire(this);
            if ((v & 1) == 0) {
                sum(allocs, frees, cached, touched);
                VarHandle.acquireFence();
                if ((int) VERSION.getOpaque(this) == v) {
                    return;
                }
            }
            Arrays.fill(allocs, 0);
            Arrays.fill(frees, 0);
            Arrays.fill(cached, 0);
            if (touched != null) {
                Arrays.fill(touched, 0);
            }
            Thread.onSpinWait();
        }
    }

    private void sum(long[] allocs, long[] frees, long[] cached, long[] touched) {
        ZoneCache[] tab = z.caches;
        for (int i = 0; i < tab.length; i++) {
            ZoneCache c = (ZoneCache) SLOTS.getAcquire(tab, i);
            if (c != null) {
                add(c, allocs, frees, cached, touched);
            }
        }
        for (int i = 0; i < shared.length; i++) {
            ZoneCache s = (ZoneCache) SLOTS.getAcquire(shared, i);
            if (s != null) {
                add(s, allocs, frees, cached, touched);
            }
        }
        long[] r = retired;
        if (r != null) {
            for (int i = 0; i < allocs.length; i++) {
                long a = (long) LONGS.getOpaque(r, 2 * i);
                long f = (long) LONGS.getOpaque(r, 2 * i + 1);
                if (a != 0 || f != 0) {
                    allocs[i] += a;
                    frees[i] += f;
                    mark(touched, i);
                }
            }
        }
    }

    private void add(ZoneCache c, long[] allocs, long[] frees, long[] cached, long[] touched) {
        int i = c.slot;
        allocs[i] += c.allocsOpaque();
        frees[i] += c.freesOpaque();
        cached[i] += c.cachedOpaque();
        mark(touched, i);
    }

    private static void mark(long[] touched, int i) {
        if (touched != null) {
            touched[i >>> 6] |= 1L << i;
        }
    }

    /** Unpublishes the table for good (the zone was destroyed or the allocator closed): every call misses. */
    void close() {
        z.caches = Zone.NO_CACHES;
    }
}
