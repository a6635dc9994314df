package org.memstat.uma;

/** How hard {@link Uma#reclaim(Reclaim)} and {@link Zone#reclaim(Reclaim)} work ({@code UMA_RECLAIM_*}). */
public enum Reclaim {
    /** Trim the bucket depot to its working-set estimate, then free empty slabs. */
    TRIM,
    /** Drop the whole bucket depot, then free empty slabs. */
    DRAIN,
    /**
     * As {@link #DRAIN}, and also flush per-thread caches: the caller's own, those of dead threads and
     * the shared slots at once; live threads flush theirs at their next slow-path call.
     */
    DRAIN_CPU
}
