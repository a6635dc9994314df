package org.memstat.uma;

/**
 * A zone's bucket sizing (UMA's {@code uz_bucket_size}, {@code uz_bucket_size_min}, {@code uz_bucket_size_max}
 * and {@code uz_bucket_max}): how many items a fill imports, how large buckets may grow, and how many items the
 * depot may hold. Written under this object's monitor, read without it; racy increments lose nothing but a step.
 *
 * <ul>
 *   <li>A zone starts at one item and doubles its size at each fill from the keg up to {@code floor}
 *       ({@code bucket_select(size)}), so a zone that needs one item imports one, not a whole bucket.
 *   <li>A contended depot lock adds one, up to {@code max} ({@code zone_domain_lock}).
 *   <li>Every reclaim takes one off above the floor ({@code bucket_cache_reclaim}); a DRAIN_CPU and every trim
 *       tick halve the distance to the floor ({@code cache_shrink}; FreeBSD's timer does not shrink, ours does,
 *       so caches grown under a burst of contention come back within a few ticks).
 *   <li>{@link #setMaxCache} sizes buckets from an item limit as {@code uma_zone_set_maxcache}.
 * </ul>
 */
final class BucketSize {
    private volatile int size;
    private volatile int max;
    private volatile long bucketMax = Long.MAX_VALUE;
    private int floor;
    private final boolean bucketless;

    /**
     * @param floor the size a busy zone settles at ({@code bucket_select}, {@link Bucket#MAX} for MAXBUCKET, 0
     *              for a zone without buckets: NOBUCKET and the bucket zones, which stay so)
     * @param slowStart start at one item and double up to {@code floor}; false starts at {@code floor}
     */
    BucketSize(int floor, boolean slowStart) {
        this.floor = floor;
        this.bucketless = floor == 0;
        this.size = slowStart ? Math.min(1, floor) : floor;
        this.max = floor == 0 ? 0 : Bucket.MAX;
    }

    /** Items a fill imports at most. */
    int current() {
        return size;
    }

    /** Entries a new bucket gets at most; 0 when the zone has no buckets. */
    int max() {
        return max;
    }

    /** True when the zone has per-thread caches at all. */
    boolean cached() {
        return max > 0;
    }

    /** Items the depot may hold ({@code uz_bucket_max}); no limit unless {@link #setMaxCache} was called. */
    long bucketMax() {
        return bucketMax;
    }

    void contended() {
        int s = size;
        if (s < max) {
            size = s + 1;
        }
    }

    /** A fill had to go to the keg: the slow start doubles. */
    void missed() {
        int s = size;
        if (s < floor) {
            size = Math.min(floor, Math.max(1, s * 2));
        }
    }

    /** {@code bucket_cache_reclaim}: one step back toward the floor. */
    synchronized void reclaimed() {
        if (size > floor) {
            size = size - 1;
        }
    }

    /** {@code cache_shrink}: halfway back to the floor. */
    synchronized void shrink() {
        if (size > floor) {
            size = (floor + size) / 2;
        }
    }

    /**
     * {@code uma_zone_set_maxcache}: two buckets per CPU get half the limit between them, the rest is the depot's.
     * The size is set, not only lowered: a large limit raises small buckets.
     */
    synchronized void setMaxCache(int nitems, int ncpus) {
        if (bucketless) {
            return;
        }
        int nb = 2 * ncpus;
        int bsize = nitems / nb / 2;
        if (bsize > Bucket.MAX) {
            bsize = Bucket.MAX;
        } else if (bsize == 0 && nitems / nb > 0) {
            bsize = 1;
        }
        size = bsize;
        max = bsize;
        floor = Math.min(floor, bsize);
        bucketMax = nitems - (long) nb * bsize;
    }
}
