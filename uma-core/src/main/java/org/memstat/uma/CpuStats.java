package org.memstat.uma;

/**
 * One per-CPU record of a zone, as {@code struct uma_percpu_stat} carries it.
 *
 * <p>The JVM has no {@code critical_enter()}, so caches belong to threads, not CPUs. Slot {@code i}
 * sums every thread cache whose slot index is congruent to {@code i} modulo {@code maxCpus}, plus the
 * lock-guarded shared cache {@code i} used by virtual threads. Summed over all slots the values are
 * exactly what the zone's caches hold and counted.
 *
 * @param allocs    allocations counted in the caches of this slot ({@code ups_allocs})
 * @param frees     frees counted in the caches of this slot ({@code ups_frees})
 * @param cacheFree items currently held in the buckets of this slot ({@code ups_cache_free})
 */
public record CpuStats(long allocs, long frees, long cacheFree) {
    /** An all-zero record, as FreeBSD writes for absent CPUs and internal zones. */
    public static final CpuStats ZERO = new CpuStats(0, 0, 0);
}
