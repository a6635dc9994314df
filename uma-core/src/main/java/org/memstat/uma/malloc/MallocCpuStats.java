package org.memstat.uma.malloc;

/**
 * One per-CPU record of a malloc type, the fields of {@code struct malloc_type_stats} (reference §2).
 *
 * @param memalloced bytes allocated: the zone's item size (or {@code round_page(size)} for a large
 *                   allocation), not the requested size ({@code mts_memalloced})
 * @param memfreed   bytes freed, counted the same way ({@code mts_memfreed})
 * @param numallocs  successful allocations ({@code mts_numallocs})
 * @param numfrees   frees ({@code mts_numfrees})
 * @param sizemask   bit {@code i} set when an allocation, even a failed one, was served by bucket zone {@code i}
 *                   of {@link Malloc#zoneSizes()}; large allocations set no bit ({@code mts_size})
 */
public record MallocCpuStats(long memalloced, long memfreed, long numallocs, long numfrees, long sizemask) {
    /** An all-zero record, as FreeBSD writes for absent CPUs. */
    public static final MallocCpuStats ZERO = new MallocCpuStats(0, 0, 0, 0, 0);
}
