package org.memstat.uma;

/** How hard {@link Uma#reclaim(Reclaim)} and {@link Zone#reclaim(Reclaim)} work ({@code UMA_RECLAIM_*}). */
public enum Reclaim {
    /** Trim the bucket depot to its working-set estimate, then free empty slabs. */
    TRIM,
    /** Drop the whole bucket depot, then free empty slabs. */
    DRAIN,
    /**
     * As {@link #DRAIN}, and also take the buckets of every per-thread cache not in use at that moment: live
     * threads' (parked or running), dead threads' and the shared ones; bucket sizes go halfway back to their
     * floor ({@code cache_shrink}).
     */
    DRAIN_CPU
}
