package org.memstat.uma.malloc;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.memstat.uma.Uma;
import org.memstat.uma.UmaCorruptionException;
import org.memstat.uma.Zone;
import org.memstat.uma.sysctl.MallocStatsProducer;
import org.memstat.uma.sysctl.MallocStatsStream;
import org.memstat.uma.sysctl.StandardOids;

/**
 * FreeBSD's malloc(9) on a {@link Uma}: the malloc type registry and the allocator behind it.
 *
 * <p>Sizes up to 65536 bytes are served by the bucket zones {@code malloc-16} ... {@code malloc-65536} (with
 * {@code malloc-384}), created in that order by {@link #create(Uma)}; larger sizes by one zone per large class
 * (see {@link #malloc}). Every allocation and free is counted per type and per CPU slot as
 * {@code malloc_type_zone_allocated} and {@code malloc_type_freed} do (reference §2), for {@code kern.malloc_stats}.
 *
 * <p>Addresses are {@code long}s in the Uma's memory; {@link #segment(long)} gives a bounded view. All methods are
 * thread-safe; an allocation may be freed by any thread.
 *
 * <p>Debug mode (a {@code Uma} built with {@code debug(true)}) remembers the type of every live allocation and
 * throws {@link UmaCorruptionException} on a free with the wrong type (FreeBSD's {@code mtrash} reports the
 * owner as "Most recently used by TYPE"), on a double free and on a free of an address malloc never returned.
 */
public final class Malloc {
    /** {@code MALLOC_MAX_NAME} - 1: the longest type name, in UTF-8 bytes. */
    public static final int MAX_NAME_BYTES = 31;
    private static final int MINALLOCSIZE = SizeClasses.SIZES[0];
    private static final int KNOWN_FLAGS = Uma.M_NOWAIT | Uma.M_WAITOK | Uma.M_ZERO | Uma.M_NOVM
            | Uma.M_USE_RESERVE | Uma.M_NORECLAIM;
    private static final Object CREATE_LOCK = new Object();

    private final Uma uma;
    private final MemorySegment mem;
    private final long base;
    private final Zone[] zones;
    private final AllocTable table;
    private final Counters counters;
    /** Debug only: the type of every live allocation. */
    private final ConcurrentHashMap<Long, MallocType> owners;
    private final List<MallocType> types = new CopyOnWriteArrayList<>();
    /** Guarded by {@code this}. */
    private final Map<String, MallocType> byName = new HashMap<>();

    private Malloc(Uma uma) {
        this.uma = uma;
        this.mem = uma.memory();
        this.base = mem.address();
        this.zones = new Zone[SizeClasses.SIZES.length];
        for (int i = 0; i < zones.length; i++) {
            int size = SizeClasses.SIZES[i];
            zones[i] = uma.zcreate("malloc-" + size, size, null, null, null, null, Uma.ALIGN_PTR, 0);
        }
        this.table = new AllocTable(base, mem.byteSize());
        this.counters = new Counters(uma.maxCpus());
        this.owners = uma.debug() ? new ConcurrentHashMap<>() : null;
    }

    /**
     * Creates the malloc layer of {@code uma}: its 14 bucket zones and an empty type registry ({@code kmeminit}).
     *
     * @throws IllegalStateException    if {@code uma} already has a malloc layer (its {@code malloc-16} zone exists)
     * @throws IllegalArgumentException if {@code uma}'s memory cannot hold a {@code malloc-65536} zone (its
     *                                  {@code kmemSize()} is below 128 KiB); nothing is created then
     */
    public static Malloc create(Uma uma) {
        if (uma.kmemSize() / 2 < SizeClasses.ZMAX) {
            throw new IllegalArgumentException("kmem size " + uma.kmemSize() + " is too small for malloc zones");
        }
        synchronized (CREATE_LOCK) {
            for (Zone z : uma.zones()) {
                if (z.name().equals("malloc-" + MINALLOCSIZE)) {
                    throw new IllegalStateException("this Uma already has a malloc layer");
                }
            }
            Malloc m = new Malloc(uma);
            StandardOids.registerMallocStats(uma.sysctl(), m.new StreamProducer(), SizeClasses.SIZES.clone());
            return m;
        }
    }

    /**
     * Feeds {@code kern.malloc_count} and {@code kern.malloc_stats}: newest type first, {@code maxCpus} records per
     * type. FreeBSD's {@code mtsh_maxcpus} is the compile-time {@code MAXCPU}; here the Uma's {@code maxCpus} is
     * both that and {@code mp_maxid + 1}, so no record is padding.
     */
    private final class StreamProducer implements MallocStatsProducer {
        @Override
        public int typeCount() {
            return count();
        }

        @Override
        public int maxCpus() {
            return uma.maxCpus();
        }

        @Override
        public void writeTo(MallocStatsStream.Writer w) {
            List<MallocType> ts = List.copyOf(types);
            long[][] snap = counters.snapshot(ts.size());
            w.begin(uma.maxCpus(), ts.size());
            for (MallocType t : ts.reversed()) {
                w.type(t.name);
                int i = t.id * Cells.FIELDS;
                for (long[] slot : snap) {
                    w.cpu(slot[i + Cells.MEMALLOCED], slot[i + Cells.MEMFREED], slot[i + Cells.NUMALLOCS],
                            slot[i + Cells.NUMFREES], slot[i + Cells.SIZEMASK]);
                }
            }
        }
    }

    /**
     * Registers a malloc type ({@code MALLOC_DEFINE} / {@code malloc_init}).
     *
     * @param name 1 to 31 bytes of UTF-8 without NUL, unique within this registry
     * @throws IllegalArgumentException if the name is empty, too long, contains NUL or is already registered
     */
    public synchronized MallocType define(String name) {
        Objects.requireNonNull(name, "name");
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (bytes == 0 || bytes > MAX_NAME_BYTES || name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("malloc type name must be 1.." + MAX_NAME_BYTES
                    + " bytes without NUL: \"" + name + "\"");
        }
        if (byName.containsKey(name)) {
            throw new IllegalArgumentException("malloc type " + name + " is already defined");
        }
        MallocType t = new MallocType(this, name, types.size());
        types.add(t);
        byName.put(name, t);
        return t;
    }

    /**
     * Allocates {@code size} bytes ({@code malloc(9)}). Sizes up to 65536 come from the smallest bucket zone that
     * holds them and count that zone's size; larger ones count {@code round_page(size)} and come as
     * whole pages straight from the page source ({@link Uma#kmemAlloc}), as FreeBSD's {@code malloc_large}.
     *
     * @param flags exactly one of {@link Uma#M_WAITOK} and {@link Uma#M_NOWAIT}, optionally {@link Uma#M_ZERO},
     *              {@link Uma#M_NOVM}, {@link Uma#M_USE_RESERVE}, {@link Uma#M_NORECLAIM}
     * @return the address, or 0 when an {@code M_NOWAIT} allocation failed
     * @throws IllegalArgumentException for a negative size, bad flags, a type of another registry, or a size no
     *                                  zone of this Uma can hold with {@code M_WAITOK}
     */
    public long malloc(long size, MallocType type, int flags) {
        check(type, flags, size);
        if (size <= SizeClasses.ZMAX) {
            int zi = SizeClasses.index(size);
            // The type rides along as the allocation's argument: a sampled allocation is tagged with it.
            long va = zones[zi].allocArg(type, flags);
            if (va != 0) {
                table.set(va, zi + 1);
                remember(va, type);
            }
            counters.allocated(type.id, va == 0 ? 0 : SizeClasses.SIZES[zi], zi);
            return va;
        }
        long bytes = SizeClasses.roundPage(size);
        if (bytes <= 0 || bytes > uma.kmemSize()) {
            if ((flags & Uma.M_NOWAIT) != 0) {
                return 0;
            }
            throw new IllegalArgumentException("malloc of " + size + " bytes can never be satisfied (kmem_size "
                    + uma.kmemSize() + ")");
        }
        long va = uma.kmemAlloc(bytes, flags);
        if (va != 0) {
            table.set(va, (int) -(bytes >>> SizeClasses.PAGE_SHIFT));
            remember(va, type);
        }
        counters.allocated(type.id, va == 0 ? 0 : bytes, -1);
        return va;
    }

    /**
     * Frees an allocation ({@code free(9)}); 0 does nothing. Counts the same size the allocation counted.
     *
     * @throws UmaCorruptionException in debug mode, when {@code type} is not the allocation's type or the address
     *                                is not a live allocation; nothing is freed then
     * @throws IllegalArgumentException if malloc never handed out an allocation starting on that page
     */
    public void free(long addr, MallocType type) {
        if (addr == 0) {
            return;
        }
        checkType(type);
        if (owners != null) {
            expectOwner(addr, type);
            if (!owners.remove(addr, type)) {
                throw new UmaCorruptionException(String.format("Duplicate free of 0x%x (malloc type %s)", addr,
                        type.name));
            }
        }
        int v = table.get(addr);
        if (v > 0) {
            zones[v - 1].free(addr);
            counters.freed(type.id, SizeClasses.SIZES[v - 1]);
        } else if (v < 0) {
            long bytes = (long) -v << SizeClasses.PAGE_SHIFT;
            table.set(addr, 0);
            uma.kmemFree(addr, bytes);
            counters.freed(type.id, bytes);
        } else {
            throw new IllegalArgumentException(String.format("free of 0x%x: not an address malloc returned", addr));
        }
    }

    /** Zeroes the whole allocation ({@link #usableSize}) and frees it ({@code zfree(9)}). */
    public void zfree(long addr, MallocType type) {
        if (addr == 0) {
            return;
        }
        checkType(type);
        if (owners != null) {
            expectOwner(addr, type);
        }
        segment(addr).fill((byte) 0);
        free(addr, type);
    }

    /**
     * Resizes an allocation ({@code realloc(9)}). A null {@code addr} is {@code malloc}. The block is kept when
     * the new size fits and is more than half of it (or the block is 16 bytes); otherwise a new block is
     * allocated, {@code min(size, old usable size)} bytes are copied and the old block freed.
     *
     * @return the new address, or 0 when {@code M_NOWAIT} could not allocate; the old block is then untouched
     */
    public long realloc(long addr, long size, MallocType type, int flags) {
        if (addr == 0) {
            return malloc(size, type, flags);
        }
        check(type, flags, size);
        if (owners != null) {
            expectOwner(addr, type);
        }
        long alloc = usableSize(addr);
        if (size <= alloc && (size > (alloc >> 1) || alloc == MINALLOCSIZE)) {
            return addr;
        }
        long fresh = malloc(size, type, flags);
        if (fresh == 0) {
            return 0;
        }
        MemorySegment.copy(mem, addr - base, mem, fresh - base, Math.min(size, alloc));
        free(addr, type);
        return fresh;
    }

    /** As {@link #realloc}, but frees the old block when the allocation fails ({@code reallocf(9)}). */
    public long reallocf(long addr, long size, MallocType type, int flags) {
        long fresh = realloc(addr, size, type, flags);
        if (fresh == 0) {
            free(addr, type);
        }
        return fresh;
    }

    /** The bytes an allocation may use: its zone size, or {@code round_page(size)} for a large one. */
    public long usableSize(long addr) {
        if (owners != null && !owners.containsKey(addr)) {
            throw new IllegalArgumentException(String.format("0x%x is not a live malloc allocation", addr));
        }
        int v = table.get(addr);
        if (v == 0) {
            throw new IllegalArgumentException(String.format("0x%x is not an address malloc returned", addr));
        }
        return v > 0 ? SizeClasses.SIZES[v - 1] : (long) -v << SizeClasses.PAGE_SHIFT;
    }

    /** A bounds-checked view of an allocation's {@link #usableSize} bytes. */
    public MemorySegment segment(long addr) {
        return mem.asSlice(addr - base, usableSize(addr));
    }

    /**
     * A statistics snapshot of every type in <em>registration</em> order (oldest first), one record per CPU slot
     * ({@code uma.maxCpus()} of them). FreeBSD inserts each new type at the head of {@code kmemstatistics}, so
     * {@code kern.malloc_stats} lists the newest type first: use {@link #streamOrder()} for the stream.
     */
    public List<MallocTypeStats> stats() {
        List<MallocType> ts = List.copyOf(types);
        long[][] snap = counters.snapshot(ts.size());
        List<MallocTypeStats> out = new ArrayList<>(ts.size());
        for (MallocType t : ts) {
            List<MallocCpuStats> cpus = new ArrayList<>(snap.length);
            for (long[] slot : snap) {
                int i = t.id * Cells.FIELDS;
                cpus.add(new MallocCpuStats(slot[i + Cells.MEMALLOCED], slot[i + Cells.MEMFREED],
                        slot[i + Cells.NUMALLOCS], slot[i + Cells.NUMFREES], slot[i + Cells.SIZEMASK]));
            }
            out.add(new MallocTypeStats(t.name, cpus));
        }
        return out;
    }

    /** {@link #stats()} in {@code kern.malloc_stats} order: newest type first. */
    public List<MallocTypeStats> streamOrder() {
        return stats().reversed();
    }

    /** The registered types, oldest first. */
    public List<MallocType> types() {
        return List.copyOf(types);
    }

    /** {@code kern.malloc_count}: the number of registered types. */
    public int count() {
        return types.size();
    }

    /** {@code vm.malloc.zone_sizes}: the 14 bucket zone sizes, smallest first. */
    public List<Integer> zoneSizes() {
        List<Integer> out = new ArrayList<>(SizeClasses.SIZES.length);
        for (int s : SizeClasses.SIZES) {
            out.add(s);
        }
        return List.copyOf(out);
    }

    /** The 14 bucket zones, smallest first. */
    public List<Zone> zones() {
        return List.of(zones);
    }

    /** The allocator this layer runs on. */
    public Uma uma() {
        return uma;
    }

    private void checkType(MallocType type) {
        if (type.owner != this) {
            throw new IllegalArgumentException(type + " belongs to another malloc registry");
        }
    }

    private void check(MallocType type, int flags, long size) {
        checkType(type);
        int wait = flags & (Uma.M_NOWAIT | Uma.M_WAITOK);
        if ((wait != Uma.M_NOWAIT && wait != Uma.M_WAITOK) || (flags & ~KNOWN_FLAGS) != 0) {
            throw new IllegalArgumentException("malloc flags need exactly one of M_WAITOK and M_NOWAIT: 0x"
                    + Integer.toHexString(flags));
        }
        if (size < 0) {
            throw new IllegalArgumentException("negative malloc size " + size);
        }
    }

    private void remember(long va, MallocType type) {
        if (owners != null) {
            owners.put(va, type);
        }
    }

    private void expectOwner(long addr, MallocType type) {
        MallocType was = owners.get(addr);
        if (was == null) {
            throw new UmaCorruptionException(String.format(
                    "Free of 0x%x (malloc type %s): not a live malloc allocation (duplicate or invalid free)", addr,
                    type.name));
        }
        if (was != type) {
            throw new UmaCorruptionException(String.format(
                    "Malloc type mismatch on free of 0x%x: allocated as %s, freed as %s (Most recently used by %s)",
                    addr, was.name, type.name, was.name));
        }
    }
}
