package org.memstat.uma;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Slabs of one item size and alignment (UMA's {@code uma_keg}); one or more zones draw items from it.
 *
 * <p>Geometry: {@code rsize} is the size rounded up to the alignment mask; a slab is {@code ppera} pages
 * holding {@code ipers} items, {@code ppera} chosen as the smallest run whose tail waste plus the slab's
 * metadata stays within 1/64 of the slab (else the least wasteful run up to 16 pages). The keg's own
 * init/fini ({@code uk_init}/{@code uk_fini}, the primary zone's init/fini) run when a slab is carved from
 * fresh pages and when it goes back (type-stable memory: an item returned to the keg keeps its init state).
 *
 * <p>Locking: one lock guards the slab lists, the bitsets and the counters. It is never held across a call
 * into the page source or a user callback, so a waiting allocation never blocks a free.
 */
final class Keg {
    static final int MAX_PPERA = 16;
    /** Heap bytes a slab costs (Slab object, bitset, page-table share), measured by ZoneAllocTest. */
    private static final int SLAB_METADATA_BYTES = 96;

    final Uma uma;
    final String name;
    final int size;
    final int rsize;
    final int align;
    final int ppera;
    final int ipers;
    final int flags;
    final ItemInit init;
    final ItemFini fini;
    final boolean trash;
    final List<Zone> zones = new CopyOnWriteArrayList<>();

    final ReentrantLock lock = new ReentrantLock();
    private final SlabList partial = new SlabList();
    private final SlabList full = new SlabList();
    private final SlabList empty = new SlabList();
    /** Free items in this keg's slabs; written under the lock, read without it by statistics. */
    private volatile long freeItems;
    private volatile long slabs;
    /** The most slabs held at once since the last {@link #resetPeak}; raised under the lock where slabs are made. */
    private volatile long peakSlabs;
    private long free;
    private int reserve;
    private int nextSlabId;

    Keg(Uma uma, String name, int size, int align, ItemInit init, ItemFini fini, int flags) {
        if (size <= 0) {
            throw new IllegalArgumentException("zone " + name + ": item size must be positive: " + size);
        }
        if (align < 0 || ((align + 1) & align) != 0 || align >= PageSource.PAGE_SIZE) {
            throw new IllegalArgumentException("zone " + name + ": align must be 2^k-1 below the page size: "
                    + align);
        }
        this.uma = uma;
        this.name = name;
        this.size = size;
        this.align = align;
        this.rsize = (size + align) & ~align;
        this.ppera = choosePpera(rsize);
        this.ipers = (ppera << PageSource.PAGE_SHIFT) / rsize;
        this.flags = flags;
        this.init = init;
        this.fini = fini;
        this.trash = uma.debug && init == null && fini == null
                && (flags & (Uma.ZONE_ZINIT | Uma.ZONE_NOFREE)) == 0;
    }

    static int choosePpera(int rsize) {
        int min = (rsize + PageSource.PAGE_SIZE - 1) >>> PageSource.PAGE_SHIFT;
        int max = Math.max(MAX_PPERA, 2 * min);
        int best = min;
        double bestRatio = Double.MAX_VALUE;
        for (int p = min; p <= max; p++) {
            int bytes = p << PageSource.PAGE_SHIFT;
            int waste = bytes - (bytes / rsize) * rsize;
            double ratio = (double) (waste + SLAB_METADATA_BYTES) / bytes;
            if (ratio <= 1.0 / 64) {
                return p;
            }
            if (ratio < bestRatio) {
                bestRatio = ratio;
                best = p;
            }
        }
        return best;
    }

    /** Percentage of a slab that holds items (FreeBSD's {@code keg.efficiency}). */
    int efficiency() {
        return (int) (100L * ipers * rsize / (ppera << PageSource.PAGE_SHIFT));
    }

    long freeItems() {
        return freeItems;
    }

    long pages() {
        return slabs * ppera;
    }

    /** The high-water mark of {@link #pages()}: exact, raised where slabs take pages. */
    long pagesPeak() {
        return peakSlabs * ppera;
    }

    /** Starts the high-water mark again from the pages held now. */
    void resetPeak() {
        lock.lock();
        try {
            peakSlabs = slabs;
        } finally {
            lock.unlock();
        }
    }

    long itemsCarved() {
        return slabs * ipers;
    }

    void setReserve(int items) {
        lock.lock();
        try {
            reserve = items;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Moves up to {@code max} items into the bucket body at {@code dst} (8 bytes per item). Takes a fresh slab
     * only when nothing was found; returns the number of items stored.
     */
    int fetch(long dst, int max, int flags) {
        MemorySegment mem = uma.pages.region;
        long base = uma.pages.base;
        int n = 0;
        lock.lock();
        try {
            long keep = (flags & Uma.M_USE_RESERVE) != 0 ? 0 : reserve;
            while (n < max) {
                Slab s = slabForFetch(n, keep, flags);
                if (s == null) {
                    break;
                }
                while (n < max && s.freeCount > 0 && free - n > keep) {
                    mem.set(ValueLayout.JAVA_LONG_UNALIGNED, dst - base + 8L * n, s.takeItem());
                    n++;
                }
                relist(s);
            }
            free -= n;
            freeItems = free;
        } finally {
            lock.unlock();
        }
        return n;
    }

    /** Takes one item, or returns 0 when none can be had. */
    long fetchOne(int flags) {
        lock.lock();
        try {
            Slab s = slabForFetch(0, (flags & Uma.M_USE_RESERVE) != 0 ? 0 : reserve, flags);
            if (s == null) {
                return 0;
            }
            long item = s.takeItem();
            relist(s);
            freeItems = --free;
            return item;
        } finally {
            lock.unlock();
        }
    }

    /**
     * A slab with an item to spare, carving a fresh one (with the lock dropped) when none has. Called and
     * returns with the lock held.
     */
    private Slab slabForFetch(int taken, long keep, int flags) {
        while (true) {
            Slab s = usableSlab(taken, keep);
            if (s != null || (flags & Uma.M_NOVM) != 0) {
                return s;
            }
            // Once something was taken, more slabs only if they come without waiting or reclaiming
            // (UMA's zone_import switches to M_NOWAIT after the first slab).
            int slabFlags = taken == 0 ? flags : (flags & ~Uma.M_WAITOK) | Uma.M_NOWAIT | Uma.M_NORECLAIM;
            lock.unlock();
            Slab fresh;
            try {
                fresh = allocSlab(slabFlags);
            } finally {
                lock.lock();
            }
            if (fresh == null) {
                return null;
            }
        }
    }

    /** A slab to take from, or null when only the reserve is left; {@code taken} is not yet subtracted. */
    private Slab usableSlab(int taken, long keep) {
        if (free - taken <= keep) {
            return null;
        }
        Slab s = partial.first();
        return s != null ? s : empty.first();
    }

    private void relist(Slab s) {
        SlabList target = s.freeCount == 0 ? full : s.freeCount == ipers ? empty : partial;
        s.list.moveTo(s, target);
    }

    /** Carves a fresh slab from the page source and runs the keg init on every item; null on failure. */
    private Slab allocSlab(int flags) {
        long addr = uma.pages.alloc(ppera, flags);
        if (addr == 0) {
            return null;
        }
        MemorySegment mem = uma.pages.region;
        long base = uma.pages.base;
        int id;
        lock.lock();
        try {
            id = nextSlabId++;
        } finally {
            lock.unlock();
        }
        Slab s = new Slab(this, addr, id, ipers, uma.debug, (this.flags & Uma.ZONE_REFCNT) != 0);
        for (int i = 0; i < ipers; i++) {
            long item = s.item(i);
            if (trash) {
                Trash.fill(mem, base, item, rsize);
            } else if ((this.flags & Uma.ZONE_ZINIT) != 0) {
                mem.asSlice(item - base, rsize).fill((byte) 0);
            }
            if (init != null && init.init(item, size, flags) != 0) {
                for (int j = 0; j < i; j++) {
                    if (fini != null) {
                        fini.fini(s.item(j), size);
                    }
                }
                uma.pages.free(addr, ppera);
                return null;
            }
        }
        uma.slabTable.install(s, ppera);
        lock.lock();
        try {
            empty.add(s);
            slabs = slabs + 1;
            if (slabs > peakSlabs) {
                peakSlabs = slabs;
            }
            free += ipers;
            freeItems = free;
        } finally {
            lock.unlock();
        }
        return s;
    }

    /** Returns items to their slabs (UMA's {@code zone_release}); the items are already fini'd by the zone. */
    void release(long src, int count) {
        MemorySegment mem = uma.pages.region;
        long base = uma.pages.base;
        lock.lock();
        try {
            for (int i = 0; i < count; i++) {
                releaseLocked(mem.get(ValueLayout.JAVA_LONG_UNALIGNED, src - base + 8L * i));
            }
            freeItems = free;
        } finally {
            lock.unlock();
        }
    }

    void releaseOne(long item) {
        lock.lock();
        try {
            releaseLocked(item);
            freeItems = free;
        } finally {
            lock.unlock();
        }
    }

    private void releaseLocked(long item) {
        Slab s = uma.slabTable.lookup(item);
        if (s == null || s.keg != this) {
            throw new IllegalStateException("item 0x" + Long.toHexString(item) + " does not belong to keg " + name);
        }
        s.putItem((int) ((item - s.base) / rsize));
        free++;
        relist(s);
    }

    /** Frees every fully free slab to the page source, unless the keg is NOFREE; returns pages freed. */
    int drainSlabs() {
        return drainSlabs(false);
    }

    /**
     * As {@link #drainSlabs()}; {@code force} frees NOFREE slabs too, for the keg's destruction. The slabs leave
     * the lists under one lock, their items are checked and fini'd without it, and their pages go back in one
     * batch ({@link PageSource#freeRuns}: one {@code madvise} per stretch of adjacent slabs).
     */
    int drainSlabs(boolean force) {
        if ((flags & Uma.ZONE_NOFREE) != 0 && !force) {
            return 0;
        }
        List<Slab> victims = new ArrayList<>();
        lock.lock();
        try {
            for (Slab s = empty.first(); s != null; s = empty.first()) {
                empty.remove(s);
                victims.add(s);
            }
            slabs = slabs - victims.size();
            free -= (long) victims.size() * ipers;
            freeItems = free;
        } finally {
            lock.unlock();
        }
        if (victims.isEmpty()) {
            return 0;
        }
        long[] runs = new long[victims.size()];
        int n = 0;
        UmaCorruptionException corrupt = null;
        for (Slab s : victims) {
            if (corrupt == null) {
                corrupt = finiSlab(s);
            }
            uma.slabTable.remove(s, ppera);
            runs[n++] = s.base;
        }
        uma.pages.freeRuns(runs, n, ppera);
        if (corrupt != null) {
            throw corrupt;
        }
        return n * ppera;
    }

    /** Trash check and keg fini of every item of a slab leaving the keg; the first corruption found, or null. */
    private UmaCorruptionException finiSlab(Slab s) {
        MemorySegment mem = uma.pages.region;
        long base = uma.pages.base;
        for (int i = 0; i < ipers; i++) {
            long item = s.item(i);
            if (trash) {
                int bad = Trash.check(mem, base, item, rsize);
                if (bad >= 0) {
                    return corruptAfterFree(zones.isEmpty() ? name : zones.get(0).name, s, i, bad, item);
                }
            }
            if (fini != null) {
                fini.fini(item, size);
            }
        }
        return null;
    }

    UmaCorruptionException corruptAfterFree(String zone, Slab s, int index, int offset, long item) {
        return new UmaCorruptionException(String.format(
                "Memory modified after free 0x%x(%d) val=%x @ 0x%x: zone %s, slab %d (0x%x), item index %d, offset %d",
                item, rsize, Trash.wordAt(uma.pages.region, uma.pages.base, item, offset), item + offset, zone, s.id,
                s.base, index, offset));
    }

    /** Items held in slabs that still have users, used by destroy's leak report. */
    long itemsInUseBySlabs() {
        lock.lock();
        try {
            return slabs * ipers - free;
        } finally {
            lock.unlock();
        }
    }
}
