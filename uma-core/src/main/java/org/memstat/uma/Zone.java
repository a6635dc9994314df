package org.memstat.uma;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.memstat.uma.sysctl.ZoneStatsStream;

/**
 * A zone: a named source of fixed-size off-heap items (UMA's {@code uma_zone}).
 *
 * <p>An item is a {@code long} address, as UMA's {@code void *}; {@link #segment(long)} gives a bounds-checked
 * view of it. Allocation order, fastest first: the calling thread's alloc bucket, its free bucket, a full
 * bucket from the zone's depot, a bucket filled from the keg, fresh slabs from the page source. Only the first
 * step is on the fast path ({@link #alloc(int)} and {@link #free(long)}); it takes no lock, no atomic
 * instruction and no fence, and counts with plain per-thread counters summed when statistics are read. Another
 * thread may take an idle cache's buckets at any time without the owner's help ({@link ZoneCache}).
 *
 * <p>Callbacks: the ctor and dtor run on every allocation and free; the init and fini of a secondary zone run
 * when an item moves between the shared keg and this zone; a primary zone's init and fini belong to its keg
 * and run when slabs are carved and freed. Thread-safe for any number of platform and virtual threads.
 */
public final class Zone {
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED;
    static final ZoneCache[] NO_CACHES = new ZoneCache[1];

    final Uma uma;
    final Keg keg;
    final String name;
    final int size;
    final int flags;
    final ItemCtor ctor;
    final ItemDtor dtor;
    final ItemInit zinit;
    final ItemFini zfini;
    final boolean secondary;
    final boolean trash;
    final MemorySegment mem;
    /**
     * The same pages for the fast path, without the arena's liveness check: safe because no fast-path access can
     * run after {@link Uma#close()} has revoked every cache (see {@link ZoneCache}), and cheaper by the check.
     */
    private final MemorySegment fast;
    final long base;
    private final boolean plainAlloc;
    private final boolean plainFree;

    /** The slot table the fast path reads; written only by {@link ZoneCaches}. */
    volatile ZoneCache[] caches;
    final BucketSize sizing;
    final BucketDepot depot;
    final ZoneLimit limit;
    final ZoneCaches cacheSet;
    final ZoneSlowPath slow;
    final ZoneSampler sampler;
    /** The allocator's live-sample counts per page ({@link SampleMarks}), read by the free fast path. */
    private final char[] sampledPages;
    private final int sampledShift;
    /** The highest in-use count seen at a statistics read or a trim tick. */
    final UsedPeak usedPeak = new UsedPeak();
    volatile boolean destroyed;
    /** Allocations sleeping at the limit; read by the free fast path, written only by {@link ZoneLimit}. */
    volatile int sleepers;
    final LongAdder allocs = new LongAdder();
    final LongAdder frees = new LongAdder();
    final LongAdder fails = new LongAdder();

    Zone(Uma uma, Keg keg, String name, ItemCtor ctor, ItemDtor dtor, ItemInit zinit, ItemFini zfini, int flags,
            boolean secondary) {
        this.uma = uma;
        this.keg = keg;
        this.name = name;
        this.size = keg.size;
        this.flags = flags;
        this.ctor = ctor;
        this.dtor = dtor;
        this.zinit = zinit;
        this.zfini = zfini;
        this.secondary = secondary;
        this.trash = keg.trash && zinit == null && zfini == null;
        this.mem = uma.pages.region;
        this.fast = uma.pages.unchecked;
        this.base = uma.pages.base;
        this.plainAlloc = ctor == null && !trash && !uma.debug;
        this.plainFree = dtor == null && !trash && !uma.debug;
        boolean bucketless = (flags & (Uma.ZFLAG_BUCKET | Uma.ZONE_NOBUCKET)) != 0;
        boolean maxBucket = (flags & Uma.ZONE_MAXBUCKET) != 0;
        this.sizing = new BucketSize(bucketless ? 0 : maxBucket ? Bucket.MAX : Bucket.select(size), !maxBucket);
        this.depot = new BucketDepot(mem, base, sizing);
        this.limit = new ZoneLimit(this);
        this.slow = new ZoneSlowPath(this);
        this.sampler = new ZoneSampler(this, uma.marks, (flags & Uma.ZFLAG_BUCKET) != 0 ? 0 : uma.sampleRate,
                uma.sampleSeed());
        this.sampledPages = uma.marks.counts;
        this.sampledShift = uma.marks.shift;
        this.cacheSet = new ZoneCaches(this);
    }

    /** The zone's name as given at creation (names may repeat). */
    public String name() {
        return name;
    }

    /** The requested item size in bytes. */
    public int size() {
        return size;
    }

    /** The real item size: the size rounded up to the alignment. */
    public int rsize() {
        return keg.rsize;
    }

    /** The zone's creation flags ({@code Uma.ZONE_*}), with {@link Uma#ZONE_SECONDARY} for secondary zones. */
    public int flags() {
        return flags;
    }

    /** Allocates an item; equivalent to {@code allocArg(null, flags)}. */
    public long alloc(int flags) {
        return allocArg(null, flags);
    }

    /**
     * Allocates an item ({@code uma_zalloc_arg}).
     *
     * @param arg   passed to the ctor
     * @param flags {@link Uma#M_WAITOK} or {@link Uma#M_NOWAIT}, optionally with {@link Uma#M_ZERO},
     *              {@link Uma#M_NOVM}, {@link Uma#M_USE_RESERVE}
     * @return the item's address; 0 only when the allocation failed (never with {@code M_WAITOK} unless a
     *         ctor or init failed)
     */
    public long allocArg(Object arg, int flags) {
        Thread t = Thread.currentThread();
        ZoneCache[] tab = caches;
        ZoneCache c = tab[(int) t.threadId() & (tab.length - 1)];
        if (c != null && c.owner == t) {
            long count = c.allocs;
            if (c.enterAlloc(count)) {
                int n = c.allocCnt - 1;
                if (n >= 0) {
                    long item = fast.get(LONG, c.allocBucket - base + Bucket.OFF_ITEMS + ((long) n << 3));
                    c.allocCnt = n;
                    c.exitAlloc(count);
                    // The sampling countdown is the owner's alone, so it needs no protocol of its own.
                    if (--c.sampleLeft >= 0 && plainAlloc && (flags & Uma.M_ZERO) == 0) {
                        return item;
                    }
                    return slow.construct(c, item, arg, flags, c.sampleLeft < 0);
                }
            }
            c.abortAlloc(count);
        }
        return slow.alloc(arg, flags);
    }

    /** Frees an item; equivalent to {@code freeArg(item, null)}. */
    public void free(long item) {
        freeArg(item, null);
    }

    /**
     * Frees an item ({@code uma_zfree_arg}); freeing 0 does nothing. The item may have been allocated by any
     * thread.
     *
     * @param item the item's address, as returned by an allocation from this zone
     * @param arg  passed to the dtor
     */
    public void freeArg(long item, Object arg) {
        if (item == 0) {
            return;
        }
        long page = (item - base) >>> sampledShift;
        if (page < sampledPages.length && sampledPages[(int) page] != 0) {
            sampler.forget(item);
        }
        if (!plainFree) {
            slow.destruct(item, arg);
        }
        Thread t = Thread.currentThread();
        ZoneCache[] tab = caches;
        ZoneCache c = tab[(int) t.threadId() & (tab.length - 1)];
        if (c != null && c.owner == t && sleepers == 0) {
            long count = c.frees;
            if (c.enterFree(count)) {
                int n = c.allocCnt;
                if (n < c.allocEntries) {
                    fast.set(LONG, c.allocBucket - base + Bucket.OFF_ITEMS + ((long) n << 3), item);
                    c.allocCnt = n + 1;
                    c.exitFree(count);
                    return;
                }
            }
            c.abortFree(count);
        }
        slow.free(item);
    }

    /**
     * A bounds-checked view of an item's {@link #size()} bytes.
     *
     * @throws IndexOutOfBoundsException if the address is outside the allocator's memory
     */
    public MemorySegment segment(long item) {
        // No open check here: the slice belongs to the region's arena, so any access after close throws anyway.
        try {
            return mem.asSlice(item - base, size);
        } catch (IndexOutOfBoundsException e) {
            throw new IndexOutOfBoundsException("item 0x" + Long.toHexString(item) + " is not in zone " + name);
        }
    }

    /**
     * Limits the items this zone may hold, cached ones included ({@code uma_zone_set_max}). Bucket sizes are set
     * from the limit first, as {@link #setMaxCache} does, so per-thread caches cannot hoard it.
     *
     * @param nitems the limit, 0 for none
     * @return {@code nitems}
     */
    public int setMax(int nitems) {
        if (nitems < 0) {
            throw new IllegalArgumentException("zone " + name + ": negative limit " + nitems);
        }
        if (nitems > 0) {
            sizing.setMaxCache(nitems, uma.maxCpus);
        }
        limit.setMax(nitems);
        return nitems;
    }

    /**
     * Sizes the caches for about {@code nitems} cached items ({@code uma_zone_set_maxcache}): with
     * {@code nb = 2 * maxCpus} buckets, the bucket size becomes {@code nitems / nb / 2} (at most
     * {@code BUCKET_MAX}; 0 disables the per-thread caches) and the depot may hold the rest,
     * {@code nitems - nb * bsize}. This can raise the bucket size as well as lower it.
     *
     * @throws IllegalArgumentException if {@code nitems} is negative
     */
    public void setMaxCache(int nitems) {
        if (nitems < 0) {
            throw new IllegalArgumentException("zone " + name + ": negative cache size " + nitems);
        }
        sizing.setMaxCache(nitems, uma.maxCpus);
    }

    /** The item limit, 0 for none ({@code uma_zone_get_max}). */
    public int getMax() {
        return (int) limit.max();
    }

    /** Items allocated and not freed, clamped at 0 ({@code uma_zone_get_cur}); exact only when quiescent. */
    public long getCur() {
        return stats().used();
    }

    /** Sets the text logged, at most once per warning interval, when the limit is hit. */
    public void setWarning(String text) {
        limit.setWarning(text);
    }

    /**
     * Sets what runs whenever an allocation finds the zone at its limit ({@code uma_zone_set_maxaction}), in
     * the allocating thread, before it fails or sleeps; null for nothing. The mbuf layer drains the packet zone
     * here, which gives back the clusters its cached packets hold.
     */
    public void setMaxAction(Runnable action) {
        limit.setMaxAction(action);
    }

    /** True while an allocation sleeps at this zone's limit ({@code uma_zone_exhausted}). */
    public boolean isExhausted() {
        return limit.sleepers() > 0;
    }

    /** Keeps {@code items} free items in the keg for {@link Uma#M_USE_RESERVE} allocations. */
    public void reserve(int items) {
        keg.setReserve(items);
    }

    /** The keg's slab efficiency: the percentage of each slab that holds items. */
    public int efficiency() {
        return keg.efficiency();
    }

    /** Gives cached memory back ({@code uma_zone_reclaim}); see {@link Reclaim}. */
    public void reclaim(Reclaim how) {
        checkUsable();
        slow.reclaim(how);
        keg.drainSlabs();
    }

    /**
     * Destroys the zone ({@code uma_zdestroy}). Caches are flushed to the keg; for a primary zone the keg's
     * memory goes back to the page source. A zone that still has items in use is reported on the console as
     * {@code Freed UMA keg (NAME) was not empty (N items).  Lost N pages of memory.} and its busy slabs are
     * kept. No thread may use the zone during or after the call.
     *
     * @throws IllegalStateException if secondary zones still use this zone's keg
     */
    public void destroy() {
        uma.destroy(this);
    }

    /**
     * The sampling rate in bytes: about one allocation in every {@code rate} bytes allocated is sampled with its
     * stack (docs/PROFILES.md); 0 is off, 1 samples every allocation. Also {@code vm.uma.<zone>.sample_rate}.
     */
    public long sampleRate() {
        return sampler.rate();
    }

    /**
     * Sets the sampling rate; threads already allocating pick it up at their next allocation or free.
     *
     * @param bytes 0 (off) to 2^40
     * @throws IllegalArgumentException outside that range, or for a bucket zone (never sampled)
     */
    public void setSampleRate(long bytes) {
        checkUsable();
        if ((flags & Uma.ZFLAG_BUCKET) != 0) {
            throw new IllegalArgumentException("bucket zone " + name + " is never sampled");
        }
        sampler.setRate(bytes);
    }

    /** Reads the reference count of a {@link Uma#ZONE_REFCNT} item. */
    public int refcntGet(long item) {
        Slab s = refSlab(item);
        return s.refGet(index(s, item));
    }

    /** Sets the reference count of a {@link Uma#ZONE_REFCNT} item. */
    public void refcntSet(long item, int value) {
        Slab s = refSlab(item);
        s.refSet(index(s, item), value);
    }

    /** Atomically adds {@code delta} to the reference count of a refcounted item; returns the new count. */
    public int refcntAdd(long item, int delta) {
        Slab s = refSlab(item);
        return s.refAdd(index(s, item), delta);
    }

    private Slab refSlab(long item) {
        if ((keg.flags & Uma.ZONE_REFCNT) == 0) {
            throw new IllegalStateException("zone " + name + " is not UMA_ZONE_REFCNT");
        }
        Slab s = uma.slabTable.lookup(item);
        if (s == null || s.keg != keg) {
            throw new IllegalArgumentException("item 0x" + Long.toHexString(item) + " is not in zone " + name);
        }
        return s;
    }

    int index(Slab s, long item) {
        return (int) ((item - s.base) / keg.rsize);
    }

    /** Throws if the allocator was closed or the zone destroyed. */
    void checkUsable() {
        uma.checkOpen();
        if (destroyed) {
            throw new IllegalStateException("zone " + name + " was destroyed");
        }
    }

    /** A snapshot of this zone's statistics, taken without stopping allocators. */
    public ZoneStats stats() {
        uma.checkOpen();
        int ncpu = uma.maxCpus;
        long[] a = new long[ncpu];
        long[] f = new long[ncpu];
        long[] c = new long[ncpu];
        cacheSet.perCpu(a, f, c);
        List<CpuStats> cpus = new ArrayList<>(ncpu);
        for (int i = 0; i < ncpu; i++) {
            cpus.add(new CpuStats(a[i], f[i], c[i]));
        }
        ZoneStats st = new ZoneStats(name, keg.align, size, keg.rsize, maxPagesStat(), limit.max(), pagesStat(),
                keg.freeItems(), depot.items(), sizing.current(), secondaryStat(), allocs.sum(), frees.sum(),
                fails.sum(), limit.sleeps(), 0, cpus);
        usedPeak.observe(st.used());
        return st;
    }

    /**
     * Pushes the same snapshot as {@link #stats()} into a stream writer without allocating. The arrays are
     * scratch space: {@code a}, {@code f}, {@code c} of {@code maxCpus} entries and the bitmap {@code touched} of
     * {@code (maxCpus + 63) / 64} words, all zero on entry and left zero on a normal return. Only the slots that
     * have a cache are visited and written ({@link ZoneStatsStream.Writer#cpuAt}); the writer leaves the rest of
     * the zone's 64-byte per-CPU records zero, so an idle slot costs nothing.
     */
    void writeStats(ZoneStatsStream.Writer w, long[] a, long[] f, long[] c, long[] touched) {
        cacheSet.perCpu(a, f, c, touched);
        long zoneAllocs = allocs.sum();
        long zoneFrees = frees.sum();
        w.zone(name, keg.align, size, keg.rsize, maxPagesStat(), limit.max(), pagesStat(), keg.freeItems(),
                depot.items(), secondaryStat(), zoneAllocs, zoneFrees, fails.sum(), limit.sleeps(), 0);
        long used = zoneAllocs - zoneFrees;
        for (int word = 0; word < touched.length; word++) {
            long bits = touched[word];
            touched[word] = 0;
            while (bits != 0) {
                int i = (word << 6) + Long.numberOfTrailingZeros(bits);
                bits &= bits - 1;
                w.cpuAt(i, a[i], f[i], c[i]);
                used += a[i] - f[i];
                a[i] = 0;
                f[i] = 0;
                c[i] = 0;
            }
        }
        w.zeroCpus();
        usedPeak.observe(used);
    }

    /** Items in use now as the statistics count them (allocations minus frees, clamped at 0). */
    long used() {
        long[] a = new long[uma.maxCpus];
        long[] f = new long[uma.maxCpus];
        long[] c = new long[uma.maxCpus];
        cacheSet.perCpu(a, f, c);
        long n = allocs.sum() - frees.sum();
        for (int i = 0; i < a.length; i++) {
            n += a[i] - f[i];
        }
        return Math.max(0, n);
    }

    /** {@code uth_pages}: for a limited zone the pages its items would fill, else the keg's pages. */
    private long pagesStat() {
        return limit.max() > 0 ? limit.items() / keg.ipers * keg.ppera : keg.pages();
    }

    private long maxPagesStat() {
        return limit.max() / keg.ipers * keg.ppera;
    }

    /** {@code UTH_ZONE_SECONDARY}: a secondary zone that is not first on its keg. */
    private boolean secondaryStat() {
        return secondary && keg.zones.indexOf(this) > 0;
    }

    @Override
    public String toString() {
        return "Zone[" + name + ", size " + size + "]";
    }
}
