package org.memstat.uma;

import java.lang.foreign.MemorySegment;

/**
 * A zone's cache of whole buckets (UMA's {@code uz_buckets}): a stack of full buckets and a stack of empty
 * ones, linked through the buckets' own {@code next} words. Guarded by the zone lock; {@link #items()} is
 * also read without it by statistics.
 *
 * <p>Working-set estimate for trimming: {@code imin} is the fewest items the full stack held since the last
 * trim. Those items were never needed during the interval, so a trim frees that many (rounded to buckets),
 * as UMA's {@code uzd_imin}/{@code uzd_wss} do.
 */
final class BucketDepot {
    private final MemorySegment mem;
    private final long base;
    private long fullHead;
    private long emptyHead;
    private int fullBuckets;
    private int emptyBuckets;
    private volatile long items;
    private long imin;

    BucketDepot(MemorySegment mem, long base) {
        this.mem = mem;
        this.base = base;
    }

    long items() {
        return items;
    }

    int fullBuckets() {
        return fullBuckets;
    }

    void putFull(long bucket, int count) {
        Bucket.setCount(mem, base, bucket, count);
        Bucket.setNext(mem, base, bucket, fullHead);
        fullHead = bucket;
        fullBuckets++;
        items = items + count;
    }

    /** Pops a full bucket (its count is in its header), or returns 0. */
    long takeFull() {
        long b = fullHead;
        if (b != 0) {
            fullHead = Bucket.next(mem, base, b);
            fullBuckets--;
            long left = items - Bucket.count(mem, base, b);
            items = left;
            if (left < imin) {
                imin = left;
            }
        }
        return b;
    }

    /** Pops one item out of the top full bucket, for zones served without per-thread caches; 0 if none. */
    long takeItem() {
        long b = fullHead;
        if (b == 0) {
            return 0;
        }
        int n = Bucket.count(mem, base, b) - 1;
        long item = Bucket.item(mem, base, b, n);
        Bucket.setCount(mem, base, b, n);
        items = items - 1;
        if (items < imin) {
            imin = items;
        }
        if (n == 0) {
            fullHead = Bucket.next(mem, base, b);
            fullBuckets--;
            putEmpty(b);
        }
        return item;
    }

    void putEmpty(long bucket) {
        Bucket.setNext(mem, base, bucket, emptyHead);
        emptyHead = bucket;
        emptyBuckets++;
    }

    long takeEmpty() {
        long b = emptyHead;
        if (b != 0) {
            emptyHead = Bucket.next(mem, base, b);
            emptyBuckets--;
        }
        return b;
    }

    /** Items to trim now (the working-set estimate); resets the estimate for the next interval. */
    long trimTarget() {
        long t = Math.min(imin, items);
        imin = items;
        return t;
    }
}
