package org.memstat.uma;

import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.memstat.uma.sysctl.Errno;
import org.memstat.uma.sysctl.OidType;
import org.memstat.uma.sysctl.StandardOids;
import org.memstat.uma.sysctl.Sysctl;

/**
 * One allocator instance: a page source, its kegs and zones, and the bucket zones their caches use
 * (FreeBSD's UMA as a whole). Most programs make one and keep it for the life of the process.
 *
 * <pre>{@code
 * try (Uma uma = Uma.builder().kmemSize(256L << 20).build()) {
 *     Zone packets = uma.zcreate("packet", 256, null, null, null, null, Uma.ALIGN_CACHE, 0);
 *     long p = packets.alloc(Uma.M_WAITOK);
 *     packets.segment(p).set(ValueLayout.JAVA_LONG, 0, 42L);
 *     packets.free(p);
 * }
 * }</pre>
 *
 * <p>Constants mirror FreeBSD's {@code sys/malloc.h} and {@code vm/uma.h} values so numbers read the same.
 */
public final class Uma implements AutoCloseable {
    /** Do not sleep; may return 0. */
    public static final int M_NOWAIT = 0x0001;
    /** May sleep at a limit or for memory; never returns 0 for lack of memory. */
    public static final int M_WAITOK = 0x0002;
    /** Zero the item after the ctor ran. */
    public static final int M_ZERO = 0x0100;
    /** Never ask the page source for new pages. */
    public static final int M_NOVM = 0x0200;
    /** May use the keg's reserved items. */
    public static final int M_USE_RESERVE = 0x0400;
    /** Do not reclaim other zones' caches to find pages. */
    public static final int M_NORECLAIM = 0x0080;

    /** The zone's caches are never trimmed, by the trim tick or {@link #reclaim} ({@code UMA_ZONE_UNMANAGED}). */
    public static final int ZONE_UNMANAGED = 0x0001;
    /** Zero-fill items when their slab is carved. */
    public static final int ZONE_ZINIT = 0x0002;
    /** Slabs are never given back to the page source. */
    public static final int ZONE_NOFREE = 0x0020;
    /** A VM zone: its buckets come only from cached bucket memory ({@code M_NOVM}). */
    public static final int ZONE_VM = 0x0080;
    /** Set on secondary zones ({@link #zsecondCreate}). */
    public static final int ZONE_SECONDARY = 0x0200;
    /** No per-thread caches: every allocation and free goes to the keg ({@code UMA_ZONE_NOBUCKET}). */
    public static final int ZONE_NOBUCKET = 0x0400;
    /**
     * Each item has an out-of-band reference count: FreeBSD 6's {@code UMA_ZONE_REFCNT}, kept here as an
     * extension on a bit current FreeBSD leaves unused (its old 0x0400 is {@link #ZONE_NOBUCKET} today).
     */
    public static final int ZONE_REFCNT = 0x1000;
    /** Use the largest buckets from the start. */
    public static final int ZONE_MAXBUCKET = 0x0800;
    /** Internal: a bucket zone (no caches of its own). */
    static final int ZFLAG_BUCKET = 0x10000000;

    /** Alignment masks ({@code UMA_ALIGN_*}). */
    public static final int ALIGN_CHAR = 0;
    /** 2-byte alignment. */
    public static final int ALIGN_SHORT = 1;
    /** 4-byte alignment. */
    public static final int ALIGN_INT = 3;
    /** 8-byte alignment. */
    public static final int ALIGN_LONG = 7;
    /** Pointer alignment. */
    public static final int ALIGN_PTR = 7;
    /** Cache-line alignment ({@code uma_get_cache_align_mask()}'s default). */
    public static final int ALIGN_CACHE = 63;

    /** {@code ENOMEM}, what a failing ctor or init usually returns. */
    public static final int ENOMEM = 12;

    final PageSource pages;
    final SlabTable slabTable;
    final SampleMarks marks;
    /** The sampling rate new zones start with, bytes. */
    final long sampleRate;
    private final long sampleSeed;
    private final AtomicLong zonesMade = new AtomicLong();
    private final ZoneSysctl zoneSysctl;
    final boolean debug;
    final int maxCpus;
    final Consumer<String> console;
    final long warningIntervalNanos;
    final Zone[] bucketZones;
    /** Newest keg first, as FreeBSD's stream lists them; adding one copies nothing. */
    private final ConcurrentLinkedDeque<Keg> kegs = new ConcurrentLinkedDeque<>();
    private final Sysctl sysctl = new Sysctl();
    private final UmaTimeout timeout;
    private final AtomicLong lastLowMemoryDrain = new AtomicLong(System.nanoTime() - LOW_MEMORY_DRAIN_NANOS);
    private volatile boolean closed;

    private Uma(Builder b) {
        this.pages = new PageSource(b.kmemSize, b.console);
        this.slabTable = new SlabTable(pages);
        this.marks = new SampleMarks(pages.base, pages.npages);
        this.sampleRate = b.sampleRate;
        this.sampleSeed = b.sampleSeed;
        this.zoneSysctl = new ZoneSysctl(sysctl);
        this.debug = b.debug;
        this.maxCpus = b.maxCpus;
        this.console = b.console;
        this.warningIntervalNanos = b.warningInterval.toNanos();
        this.bucketZones = new Zone[Bucket.ZONE_ENTRIES.length];
        for (int i = 0; i < bucketZones.length; i++) {
            // Cache-line aligned: two threads' small buckets must not share a line, or their fast paths, which
            // write their own bucket's slots, would bounce it between cores (FreeBSD aligns them to pointers).
            bucketZones[i] = zcreate(Bucket.ZONE_NAMES[i], Bucket.byteSize(Bucket.ZONE_ENTRIES[i]), null, null,
                    null, null, ALIGN_CACHE, ZFLAG_BUCKET);
        }
        pages.onLowMemory(this::lowMemory);
        StandardOids.registerSmp(sysctl, maxCpus);
        StandardOids.registerZoneStats(sysctl, new UmaZoneStats(this));
        StandardOids.registerKmemSize(sysctl, pages::sizeBytes);
        registerProfileOids();
        this.timeout = b.trimInterval.isZero() ? null : UmaTimeout.start(this, b.trimInterval);
    }

    /** {@code vm.zone_samples}, {@code vm.zone_peaks} and {@code vm.zone_peaks_reset} (docs/PROFILES.md). */
    private void registerProfileOids() {
        sysctl.addOpaque("vm.zone_samples", "s,struct memstat_samples_header",
                "Sampled allocation sites of every zone", sink -> {
                    if (!closed) {
                        sink.accept(ProfileStreams.samples(this));
                    }
                }, null);
        sysctl.addOpaque("vm.zone_peaks", "s,struct memstat_peaks_header",
                "Peaks: pages held by the allocator and each keg (exact), items in use per zone (sampled)", sink -> {
                    if (!closed) {
                        sink.accept(ProfileStreams.peaks(this));
                    }
                }, null);
        sysctl.addInt("vm.zone_peaks_reset", OidType.INT, "I", "Write 1 to restart every peak from the current value",
                () -> 0, v -> {
                    if (v != 1) {
                        return Errno.EINVAL;
                    }
                    if (!closed) {
                        resetPeaks();
                    }
                    return Errno.OK;
                });
    }

    /** Restarts every peak from the current value: the allocator's pages, each keg's, each zone's items in use. */
    public void resetPeaks() {
        checkOpen();
        pages.resetPeak();
        forEachZone(z -> {
            z.keg.resetPeak();
            z.usedPeak.reset(z.used());
        });
    }

    /** A seed for a new zone's sampler: distinct per zone, reproducible under a fixed builder seed. */
    long sampleSeed() {
        return sampleSeed + zonesMade.getAndIncrement() * 0x9E3779B97F4A7C15L;
    }

    /** DRAIN_CPU revokes every cache at most this often on behalf of allocations that ran out of pages. */
    private static final long LOW_MEMORY_DRAIN_NANOS = 1_000_000_000L;

    /**
     * This allocator's sysctl registry: {@code kern.smp.maxid}, {@code kern.smp.maxcpus}, {@code vm.zone_count},
     * {@code vm.uma_count}, {@code vm.zone_stats} and {@code vm.kmem_size} from the start, memstat's
     * {@code vm.zone_samples}, {@code vm.zone_peaks} and {@code vm.zone_peaks_reset}, and a node
     * {@code vm.uma.<zone>} with {@code sample_rate} per zone (docs/PROFILES.md); the mbuf and malloc layers and
     * applications add their own.
     */
    public Sysctl sysctl() {
        return sysctl;
    }

    /** A builder with the defaults: 1 GiB of pages, one CPU slot per available processor, debug off. */
    public static Builder builder() {
        return new Builder();
    }

    /** True when {@code flags} allow sleeping: {@link #M_NOWAIT} is not set. */
    static boolean canWait(int flags) {
        return (flags & M_NOWAIT) == 0;
    }

    /**
     * Creates a zone with its own keg ({@code uma_zcreate}).
     *
     * @param name  the zone name; names may repeat
     * @param size  item size in bytes
     * @param ctor  run on every allocation, or null
     * @param dtor  run on every free, or null
     * @param init  run when a slab is carved (keg init), may fail; or null
     * @param fini  run when a slab is freed, or null
     * @param align alignment mask, {@code 2^k - 1} ({@link #ALIGN_PTR}, {@link #ALIGN_CACHE}, ...)
     * @param flags {@code ZONE_*} flags
     * @return the new zone
     */
    public Zone zcreate(String name, int size, ItemCtor ctor, ItemDtor dtor, ItemInit init, ItemFini fini, int align,
            int flags) {
        Objects.requireNonNull(name, "name");
        checkOpen();
        if (size <= 0 || size > pages.sizeBytes() / 2) {
            throw new IllegalArgumentException("zone " + name + ": item size out of range: " + size);
        }
        int kflags = flags & ~ZONE_SECONDARY;
        Keg keg = new Keg(this, name, size, align, init, fini, kflags);
        Zone zone = new Zone(this, keg, name, ctor, dtor, null, null, kflags, false);
        keg.zones.add(zone);
        kegs.addFirst(keg);
        if ((kflags & ZFLAG_BUCKET) == 0) {
            zoneSysctl.add(zone);
        }
        return zone;
    }

    /**
     * Creates a secondary zone sharing {@code primary}'s keg ({@code uma_zsecond_create}). Its zinit/zfini run
     * when items move between the keg and this zone; the keg's free items are reported once, by the primary.
     *
     * @param name    the zone name
     * @param ctor    run on every allocation, or null
     * @param dtor    run on every free, or null
     * @param zinit   run when an item enters this zone from the keg, may fail; or null
     * @param zfini   run when an item leaves this zone for the keg, or null
     * @param primary the zone whose keg is shared
     * @return the new zone
     */
    public Zone zsecondCreate(String name, ItemCtor ctor, ItemDtor dtor, ItemInit zinit, ItemFini zfini,
            Zone primary) {
        Objects.requireNonNull(name, "name");
        checkOpen();
        if (primary.uma != this || primary.destroyed) {
            throw new IllegalArgumentException("primary zone " + primary.name + " is not a live zone of this Uma");
        }
        Keg keg = primary.keg;
        Zone zone = new Zone(this, keg, name, ctor, dtor, zinit, zfini, keg.flags | ZONE_SECONDARY, true);
        keg.zones.add(zone);
        zoneSysctl.add(zone);
        return zone;
    }

    /** Every live zone in FreeBSD's stream order: newest keg first, each keg's primary then its secondaries. */
    public List<Zone> zones() {
        List<Zone> out = new ArrayList<>();
        for (Keg k : kegs) {
            out.addAll(k.zones);
        }
        return out;
    }

    /** Every live zone counted as {@code vm.zone_count} counts them: bucket and secondary zones included. */
    int zoneCount() {
        int n = 0;
        for (Keg k : kegs) {
            n += k.zones.size();
        }
        return n;
    }

    /** Visits every live zone in stream order without building a list. */
    void forEachZone(Consumer<Zone> action) {
        for (Keg k : kegs) {
            // forEach walks the same snapshot an iterator would, without allocating one per keg.
            k.zones.forEach(action);
        }
    }

    /** The number of per-CPU slots ({@code mp_maxid + 1}); every zone reports this many per-CPU records. */
    public int maxCpus() {
        return maxCpus;
    }

    /** The page source's size in bytes ({@code vm.kmem_size}). */
    public long kmemSize() {
        return pages.sizeBytes();
    }

    /** Pages currently handed out by the page source. */
    public long pagesInUse() {
        return pages.pagesInUse();
    }

    /** The page size in bytes. */
    public int pageSize() {
        return PageSource.PAGE_SIZE;
    }

    /** True when debug checks (trash, duplicate and invalid free detection) are on. */
    public boolean debug() {
        return debug;
    }

    /** A view of the whole page range, for code that addresses items directly. */
    public MemorySegment memory() {
        checkOpen();
        return pages.region;
    }

    /**
     * Allocates whole pages straight from the page source, bypassing zones ({@code kmem_malloc}, what
     * {@code malloc(9)} uses above its largest bucket). The memory reads as zero the first time.
     *
     * @param bytes at least 1; rounded up to whole pages
     * @param flags {@link #M_WAITOK} or {@link #M_NOWAIT} (running out reclaims zones first, as for slabs)
     * @return the page-aligned address, or 0 when {@code M_NOWAIT} could not be satisfied (or never can be)
     * @throws IllegalArgumentException if {@code bytes} can never fit in the page source and {@code M_WAITOK}
     *                                  would wait forever
     */
    public long kmemAlloc(long bytes, int flags) {
        checkOpen();
        if (bytes > 0 && bytes > pages.sizeBytes() && !canWait(flags)) {
            return 0;
        }
        int n = kmemPages(bytes);
        return pages.alloc(n, flags);
    }

    /**
     * Gives pages from {@link #kmemAlloc} back; {@code bytes} must be the size they were allocated with.
     *
     * @throws IllegalStateException if the pages are not allocated
     */
    public void kmemFree(long addr, long bytes) {
        checkOpen();
        if ((addr & (PageSource.PAGE_SIZE - 1)) != 0 || !pages.contains(addr) || slabTable.lookup(addr) != null) {
            throw new IllegalArgumentException(String.format("kmemFree of 0x%x: not a kmemAlloc address", addr));
        }
        pages.free(addr, kmemPages(bytes));
    }

    private int kmemPages(long bytes) {
        long n = (bytes + PageSource.PAGE_SIZE - 1) >>> PageSource.PAGE_SHIFT;
        if (bytes <= 0 || n > pages.npages) {
            throw new IllegalArgumentException("kmem allocation of " + bytes + " bytes can never fit in "
                    + pages.sizeBytes() + " bytes");
        }
        return (int) n;
    }

    /**
     * Reclaims cached memory in every zone but {@link #ZONE_UNMANAGED} ones, then frees empty slabs
     * ({@code uma_reclaim}). {@link Reclaim#DRAIN_CPU} also takes the buckets of every thread cache not in use at
     * that moment, live threads' included.
     */
    public void reclaim(Reclaim how) {
        checkOpen();
        reclaimPass(how);
        if (how == Reclaim.DRAIN_CPU) {
            // Draining one zone can free items into another drained earlier (mbuf_packet's fini frees clusters,
            // into this very thread's cluster cache), so, as FreeBSD, DRAIN_CPU goes over every zone again.
            reclaimPass(how);
        }
    }

    /**
     * One trim tick ({@code uma_timeout}): caches idle for a whole interval are revoked, every zone's depot is
     * trimmed to its working-set estimate and its bucket size decays, dead threads' caches are retired, and free
     * slabs go back to the page source, which gives their pages back to the kernel. Synchronized with
     * {@link #destroy} and {@link #close()}, which need the zones they remove to be left alone.
     */
    synchronized void tick() {
        if (!closed) {
            forEachManagedZone(z -> z.slow.timeout());
        }
    }

    /** Pages ran out: drain every depot, and at most once a second also revoke every idle or busy cache. */
    private void lowMemory() {
        long now = System.nanoTime();
        long last = lastLowMemoryDrain.get();
        boolean cpu = now - last >= LOW_MEMORY_DRAIN_NANOS && lastLowMemoryDrain.compareAndSet(last, now);
        if (!closed) {
            reclaimPass(cpu ? Reclaim.DRAIN_CPU : Reclaim.DRAIN);
        }
    }

    private void reclaimPass(Reclaim how) {
        forEachManagedZone(z -> z.slow.reclaim(how));
    }

    /**
     * Runs {@code action} on every zone but bucket zones and {@link #ZONE_UNMANAGED} ones, freeing each keg's empty
     * slabs after its zones, then the bucket zones' ({@code uma_reclaim}'s order).
     */
    private void forEachManagedZone(Consumer<Zone> action) {
        for (Keg k : kegs) {
            if ((k.flags & ZFLAG_BUCKET) == 0) {
                for (Zone z : k.zones) {
                    if ((z.flags & ZONE_UNMANAGED) == 0 && !z.destroyed) {
                        action.accept(z);
                    }
                }
                k.drainSlabs();
            }
        }
        drainBucketZones();
    }

    /** Draining zones frees buckets, so the bucket zones go last. */
    private void drainBucketZones() {
        for (Zone bz : bucketZones) {
            bz.keg.drainSlabs();
        }
    }

    /** True once {@link #close()} was called. */
    public boolean isClosed() {
        return closed;
    }

    /** Throws {@link IllegalStateException} once the allocator is closed. */
    void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the allocator was closed");
        }
    }

    synchronized void destroy(Zone zone) {
        checkOpen();
        if (zone.destroyed) {
            throw new IllegalStateException("zone " + zone.name + " was already destroyed");
        }
        Keg keg = zone.keg;
        if (!zone.secondary && keg.zones.size() > 1) {
            throw new IllegalStateException("zone " + zone.name + " still has secondary zones");
        }
        zone.destroyed = true;
        long used = zone.used();
        zone.slow.flushAll();
        zone.cacheSet.close();
        keg.zones.remove(zone);
        zoneSysctl.remove(zone);
        if (zone.secondary) {
            if (used > 0) {
                console.accept("Freed UMA zone (" + zone.name + ") was not empty (" + used + " items).");
                zone.sampler.report(console, LEAK_REPORT_SITES);
            }
            zone.sampler.clear();
            return;
        }
        long inUse = keg.itemsInUseBySlabs();
        keg.drainSlabs(true);
        if (inUse > 0) {
            reportLeak(keg, inUse, List.of(zone));
        }
        zone.sampler.clear();
        kegs.remove(keg);
    }

    /** Sites listed per zone in a leak report, most items first. */
    private static final int LEAK_REPORT_SITES = 5;

    /**
     * A keg given up with items still allocated: FreeBSD's {@code keg_dtor} line, then, per zone, the sampled
     * sites still holding items, with their stacks (complete at rate 1).
     */
    private void reportLeak(Keg keg, long items, List<Zone> zones) {
        console.accept("Freed UMA keg (" + keg.name + ") was not empty (" + items + " items).  Lost "
                + keg.pages() + " pages of memory.");
        for (Zone z : zones) {
            z.sampler.report(console, LEAK_REPORT_SITES);
        }
    }

    /**
     * Closes the allocator and unmaps its memory; closing twice does nothing. Afterwards every method of the
     * allocator and its zones throws {@link IllegalStateException}, and so does every access through a segment
     * obtained from it ({@link Zone#segment}, {@link #memory()}): the mapping belongs to a shared arena closed
     * before the range is unmapped, and the thread caches' views are closed with it. Threads still allocating
     * get exceptions, never a crash. The trim thread stops.
     */
    @Override
    public void close() {
        // Stopped first and outside the monitor: a tick in progress holds it and must finish.
        if (timeout != null) {
            timeout.stop();
        }
        closeLocked();
    }

    private synchronized void closeLocked() {
        if (closed) {
            return;
        }
        reportLeaksAtClose();
        closed = true;
        // Keep every fast path out before the pages go (ZoneCache's protocol): revoke, one barrier, then wait
        // for the operations already inside, which take nanoseconds unless their thread is descheduled.
        forEachZone(z -> z.cacheSet.revokeForClose());
        ProcessBarrier.serialize();
        long deadline = System.nanoTime() + CLOSE_WAIT_NANOS;
        boolean quiet;
        while (!(quiet = allQuiescent()) && System.nanoTime() < deadline) {
            Thread.yield();
        }
        for (Keg k : kegs) {
            for (Zone z : k.zones) {
                z.destroyed = true;
                z.cacheSet.close();
            }
        }
        if (quiet) {
            pages.close();
        } else {
            // A thread stopped inside its fast path (a debugger, a suspended thread): unmapping now could crash
            // it, so the range stays mapped; every other access already throws.
            pages.closeKeepingMapping();
            console.accept("uma: a thread is stuck inside an allocation; the allocator's memory stays mapped");
        }
    }

    private static final long CLOSE_WAIT_NANOS = 5_000_000_000L;

    /** Closing with items still allocated: each keg with some gets the report {@link #destroy} gives. */
    private void reportLeaksAtClose() {
        for (Keg k : kegs) {
            if ((k.flags & ZFLAG_BUCKET) != 0) {
                continue;
            }
            long items = 0;
            for (Zone z : k.zones) {
                items += z.used();
            }
            if (items > 0) {
                reportLeak(k, items, List.copyOf(k.zones));
            }
        }
    }

    private boolean allQuiescent() {
        for (Keg k : kegs) {
            for (Zone z : k.zones) {
                if (!z.cacheSet.quiescent()) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Options for a new {@link Uma}. */
    public static final class Builder {
        private long kmemSize = 1L << 30;
        private int maxCpus = Runtime.getRuntime().availableProcessors();
        private boolean debug = Boolean.getBoolean("uma.debug");
        private Consumer<String> console = line -> System.getLogger("org.memstat.uma")
                .log(System.Logger.Level.WARNING, line);
        private Duration warningInterval = Duration.ofSeconds(300);
        private Duration trimInterval = Duration.ofSeconds(20);
        private long sampleRate = 512 * 1024;
        private long sampleSeed = System.nanoTime() ^ 0x5DEECE66DL;

        private Builder() {
        }

        /** The page source's size in bytes ({@code vm.kmem_size}); reserved as address space, used on demand. */
        public Builder kmemSize(long bytes) {
            this.kmemSize = bytes;
            return this;
        }

        /** Per-CPU slots in the statistics ({@code mp_maxid + 1}); 1 to 4096. */
        public Builder maxCpus(int n) {
            if (n < 1 || n > 4096) {
                throw new IllegalArgumentException("maxCpus must be 1..4096: " + n);
            }
            this.maxCpus = n;
            return this;
        }

        /** Debug checks: trash fill and check, duplicate/invalid/unaligned free detection. */
        public Builder debug(boolean on) {
            this.debug = on;
            return this;
        }

        /** Where UMA's console lines go (destroy leak reports, limit warnings). */
        public Builder console(Consumer<String> sink) {
            this.console = Objects.requireNonNull(sink);
            return this;
        }

        /** The least time between two limit warnings of one zone (FreeBSD: 300 s). */
        public Builder warningInterval(Duration interval) {
            this.warningInterval = Objects.requireNonNull(interval);
            return this;
        }

        /**
         * How often the trim thread runs ({@code uma_timeout}; FreeBSD's {@code UMA_TIMEOUT} is 20 s, the
         * default). {@link Duration#ZERO} turns it off: memory then goes back only on {@link Uma#reclaim}. The
         * thread is a daemon (it never keeps the JVM alive) and stops at {@link Uma#close()}.
         */
        public Builder trimInterval(Duration interval) {
            if (interval.isNegative()) {
                throw new IllegalArgumentException("negative trim interval: " + interval);
            }
            this.trimInterval = interval;
            return this;
        }

        /**
         * The sampling rate every zone starts with (docs/PROFILES.md): about one allocation sampled per
         * {@code bytes} allocated, with its stack; 0 turns sampling off, 1 samples every allocation. Default
         * 512 KiB, as Go's {@code MemProfileRate}. Each zone's rate can be changed later through
         * {@code vm.uma.<zone>.sample_rate}.
         *
         * @throws IllegalArgumentException outside 0..2^40
         */
        public Builder sampleRate(long bytes) {
            if (bytes < 0 || bytes > ZoneSampler.MAX_RATE) {
                throw new IllegalArgumentException("sampling rate out of range 0.." + ZoneSampler.MAX_RATE + ": "
                        + bytes);
            }
            this.sampleRate = bytes;
            return this;
        }

        /**
         * Seeds the samplers' random distances, so that a single-threaded run samples the same allocations every
         * time (tests, reproducible demos); by default each allocator draws its own seed.
         */
        public Builder sampleSeed(long seed) {
            this.sampleSeed = seed;
            return this;
        }

        /** Builds the allocator. */
        public Uma build() {
            return new Uma(this);
        }
    }
}
