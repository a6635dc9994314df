package org.memstat.lib;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * libmemstat's {@code struct memory_type_list}: the malloc types and UMA zones of one system, refreshed in place
 * from a {@link SysctlSource} (reference §3.3-§3.5).
 *
 * <p><b>Order.</b> Iteration follows libmemstat: a type seen for the first time goes to the <em>head</em> of the
 * list, so types come out in reverse stream order. {@code vmstat -z} therefore lists the kernel's oldest keg
 * first, and a secondary zone before its primary ({@code mbuf_packet} before {@code mbuf}); after
 * {@link #refreshAll} on a new list, every UMA zone comes before every malloc type.
 *
 * <p><b>Refresh in place.</b> A refresh updates the existing {@link MemoryType} of each name it carries, so two
 * refreshes give rates, and caller-owned slots survive. When the list was empty at the start of a query,
 * libmemstat skips the name lookup and so does this class: a name repeated within one stream then gets two
 * types. <b>Types that vanished</b> from the source stay in the list with their last values until
 * {@link #clear()}, as libmemstat's man page says of its own list.
 *
 * <p><b>Stricter than libmemstat.</b> A stream is validated completely before any record is used: its length
 * must equal exactly {@code 16 + count x (header + maxcpus x 64)}, {@code maxcpus} must be in 1..4096, every
 * name must be NUL-terminated within its 32 bytes, and the byte order is taken from the version word (1 read
 * little-endian or big-endian), so a big-endian dump reads correctly. An empty value is a VERSION error
 * (libmemstat quietly returns success). A stream that keeps changing size is retried at most 8 times. Memory
 * used by a refresh is bounded by a constant times the input length.
 *
 * <p><b>All or nothing.</b> A refresh that throws {@link MemstatException} leaves the list exactly as it was:
 * the same types, values, order and malloc zone table. libmemstat instead empties the list on a mid-parse
 * allocation failure.
 *
 * <p>A warm refresh (every name already known, the same maxcpus) allocates nothing per type. Not thread-safe.
 */
public final class MemoryTypeList implements Iterable<MemoryType> {
    /** Types in insertion order; iteration runs backwards, which is libmemstat's head insertion. */
    private final ArrayList<MemoryType> entries = new ArrayList<>();
    private final List<MemoryType> view = Collections.unmodifiableList(entries.reversed());
    private final TypeIndex index = new TypeIndex();
    private final StreamPlan mallocPlan = new StreamPlan();
    private final StreamPlan umaPlan = new StreamPlan();
    private final int[] zoneSizes = new int[Fetch.MAX_MALLOC_ZONES];
    private final int[] stagedZoneSizes = new int[Fetch.MAX_MALLOC_ZONES];
    private int zoneCount;
    private int stagedZoneCount;

    /** Creates an empty list ({@code memstat_mtl_alloc}). */
    public MemoryTypeList() {
    }

    /**
     * {@code memstat_sysctl_uma}: reads {@code kern.smp.maxid}, {@code vm.zone_count} and {@code vm.zone_stats}
     * from {@code source} and adds or updates one UMA type per zone.
     *
     * @param source where to read
     * @throws MemstatException if the source fails or the stream is malformed; the list is then unchanged
     */
    public void refreshUma(SysctlSource source) throws MemstatException {
        commit(null, stageUma(source));
    }

    /**
     * {@code memstat_sysctl_malloc}: reads {@code kern.smp.maxcpus}, {@code kern.malloc_count},
     * {@code vm.malloc.zone_count}, {@code vm.malloc.zone_sizes} and {@code kern.malloc_stats} from
     * {@code source} and adds or updates one malloc type per type in the stream.
     *
     * @param source where to read
     * @throws MemstatException if the source fails or the stream is malformed; the list is then unchanged
     */
    public void refreshMalloc(SysctlSource source) throws MemstatException {
        commit(stageMalloc(source), null);
    }

    /**
     * {@code memstat_sysctl_all}: the malloc query, then the UMA query. Both streams are read and validated
     * before either is applied, so a failure of either leaves the list unchanged.
     *
     * @param source where to read
     * @throws MemstatException if either query fails; the list is then unchanged
     */
    public void refreshAll(SysctlSource source) throws MemstatException {
        StreamView malloc = stageMalloc(source);
        commit(malloc, stageUma(source));
    }

    private static StreamView stageUma(SysctlSource source) throws MemstatException {
        return StreamView.validate(StreamKind.UMA, Fetch.uma(source), source.uri());
    }

    private StreamView stageMalloc(SysctlSource source) throws MemstatException {
        Fetch.Malloc m = Fetch.malloc(source);
        StreamView v = StreamView.validate(StreamKind.MALLOC, m.stream(), source.uri());
        stagedZoneCount = Fetch.zoneTable(m, v.order(), stagedZoneSizes, source.uri());
        return v;
    }

    private void commit(StreamView malloc, StreamView uma) throws MemstatException {
        boolean emptyAtEntry = entries.isEmpty();
        try {
            int added = 0;
            if (malloc != null) {
                mallocPlan.prepare(malloc, index, !emptyAtEntry);
                added += mallocPlan.freshCount();
            }
            if (uma != null) {
                // libmemstat tests for an empty list when the UMA query starts, after the malloc query ran.
                boolean emptyBeforeUma = emptyAtEntry && (malloc == null || malloc.count == 0);
                umaPlan.prepare(uma, index, !emptyBeforeUma);
                added += umaPlan.freshCount();
            }
            entries.ensureCapacity(entries.size() + added);
            index.reserve(added);
        } catch (OutOfMemoryError e) {
            mallocPlan.abort();
            umaPlan.abort();
            StreamView v = uma != null ? uma : malloc;
            throw new MemstatException(MemstatError.NOMEMORY, "no memory for " + v.count + " types of "
                    + v.maxCpus + " CPUs", null, v.kind.oid, -1, -1, e);
        }
        // Nothing below allocates or throws: the list changes completely or, above, not at all.
        if (malloc != null) {
            mallocPlan.apply(entries, index);
            System.arraycopy(stagedZoneSizes, 0, zoneSizes, 0, zoneSizes.length);
            zoneCount = stagedZoneCount;
        }
        if (uma != null) {
            umaPlan.apply(entries, index);
        }
    }

    /**
     * {@code memstat_mtl_find}: the first type in list order whose name equals {@code name} and whose allocator
     * is {@code allocator} ({@link Allocator#ANY} matches every allocator).
     *
     * @param allocator the allocator to match, or {@link Allocator#ANY}
     * @param name      the exact name
     * @return the type, or empty
     */
    public Optional<MemoryType> find(Allocator allocator, String name) {
        for (int i = entries.size() - 1; i >= 0; i--) {
            MemoryType t = entries.get(i);
            if (allocator.matches(t.allocator()) && t.name().equals(name)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /**
     * {@code memstat_mtl_first} / {@code memstat_mtl_next}: iterates in libmemstat's order (see the class
     * comment). Refreshing while iterating fails fast with {@link java.util.ConcurrentModificationException}.
     *
     * @return an iterator over the types
     */
    @Override
    public Iterator<MemoryType> iterator() {
        return view.iterator();
    }

    /**
     * Returns the types in libmemstat's order as a read-only live view.
     *
     * @return an unmodifiable list backed by this list
     */
    public List<MemoryType> types() {
        return view;
    }

    /**
     * Returns how many types the list holds, vanished ones included.
     *
     * @return the number of types
     */
    public int size() {
        return entries.size();
    }

    /**
     * Returns whether the list holds no types.
     *
     * @return true for a new or cleared list
     */
    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /**
     * Removes every type, including vanished ones and their caller-owned slots ({@code _memstat_mtl_empty}).
     * The malloc zone table of the last malloc refresh is kept.
     */
    public void clear() {
        entries.clear();
        index.clear();
    }

    /**
     * {@code memstat_malloc_zone_get_count}: {@code vm.malloc.zone_count} as read by the last successful malloc
     * refresh, 0 before one.
     *
     * @return the number of malloc(9) bucket zones
     */
    public int mallocZoneCount() {
        return zoneCount;
    }

    /**
     * {@code memstat_malloc_zone_get_size}: the item size of malloc zone {@code n} from {@code
     * vm.malloc.zone_sizes}, as read by the last successful malloc refresh.
     *
     * @param n a zone index, the bit number in {@link MemoryType#sizeMask()}
     * @return the size in bytes; 0 for an index at or above {@link #mallocZoneCount()}; -1 for {@code n}
     *         outside 0..31, as libmemstat's {@code (size_t)-1}
     */
    public long mallocZoneSize(int n) {
        if (n < 0 || n >= zoneSizes.length) {
            return -1;
        }
        return Integer.toUnsignedLong(zoneSizes[n]);
    }
}
