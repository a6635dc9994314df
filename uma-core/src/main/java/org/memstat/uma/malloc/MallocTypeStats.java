package org.memstat.uma.malloc;

import java.util.List;

/**
 * A snapshot of one malloc type: its name and one record per CPU slot, what {@code kern.malloc_stats} carries for
 * it. Not atomic: exact when the type's users are quiescent.
 *
 * @param name   the type's name (at most 31 bytes of UTF-8)
 * @param perCpu exactly {@code maxCpus} records; slot {@code i} sums the threads whose {@code threadId % maxCpus}
 *               is {@code i}
 */
public record MallocTypeStats(String name, List<MallocCpuStats> perCpu) {
    /** Copies the list so the record stays immutable. */
    public MallocTypeStats {
        perCpu = List.copyOf(perCpu);
    }

    /** Bytes allocated over all slots (libmemstat's {@code mt_memalloced}). */
    public long memalloced() {
        return perCpu.stream().mapToLong(MallocCpuStats::memalloced).sum();
    }

    /** Bytes freed over all slots ({@code mt_memfreed}). */
    public long memfreed() {
        return perCpu.stream().mapToLong(MallocCpuStats::memfreed).sum();
    }

    /** Allocations over all slots ({@code mt_numallocs}). */
    public long numallocs() {
        return perCpu.stream().mapToLong(MallocCpuStats::numallocs).sum();
    }

    /** Frees over all slots ({@code mt_numfrees}). */
    public long numfrees() {
        return perCpu.stream().mapToLong(MallocCpuStats::numfrees).sum();
    }

    /** The OR of every slot's size bitmask ({@code mt_sizemask}). */
    public long sizemask() {
        return perCpu.stream().mapToLong(MallocCpuStats::sizemask).reduce(0, (a, b) -> a | b);
    }

    /** Bytes in use: {@code memalloced - memfreed} ({@code mt_bytes}). */
    public long bytes() {
        return memalloced() - memfreed();
    }

    /** Allocations in use: {@code numallocs - numfrees} ({@code mt_count}). */
    public long count() {
        return numallocs() - numfrees();
    }
}
