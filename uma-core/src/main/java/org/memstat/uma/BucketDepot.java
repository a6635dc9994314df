package org.memstat.uma;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A zone's cache of whole buckets (UMA's {@code uma_zone_domain}): a stack of full buckets, a stack of empty
 * ones, linked through the buckets' own {@code next} words, its lock and its working-set estimate. Every
 * method takes the lock itself; {@link #items()} is also read without it by statistics.
 *
 * <p>A contended lock grows the zone's bucket size, as UMA's {@code zone_domain_lock}. Full buckets are kept
 * only while the depot holds fewer than {@link BucketSize#bucketMax()} items ({@code zone_put_bucket}); past
 * that a bucket is {@link #REFUSED} and its items go back to the keg.
 *
 * <p>Working set, as {@code zone_domain_update_wss} estimates it: {@code imax} is the most items held since
 * the last estimate and {@code bimin} the fewest since the last new maximum. {@code wss} is the largest batch
 * drawn from a maximum ({@code imax - bimin}), decaying by a quarter per estimate; a trim keeps {@code wss} items
 * and releases the rest. Items a reclaim takes lower {@code imax} and {@code bimin} together, so they never look
 * like a batch.
 */
final class BucketDepot {
    /** {@link #swapFull} could not take the bucket: the depot is at its cap. */
    static final long REFUSED = -1;

    private final MemorySegment mem;
    private final long base;
    private final BucketSize sizing;
    /** Package-private for the contention test only; every method here takes it itself. */
    final ReentrantLock lock = new ReentrantLock();
    private long fullHead;
    private long emptyHead;
    private volatile long items;
    private long imax;
    private long bimin;
    private long wss;

    BucketDepot(MemorySegment mem, long base, BucketSize sizing) {
        this.mem = mem;
        this.base = base;
        this.sizing = sizing;
    }

    /** Items in full buckets; racy outside the lock. */
    long items() {
        return items;
    }

    /**
     * Takes the lock; a contended taker spins briefly, then parks, and grows the bucket size. Critical sections
     * are a few pointer moves, so parking (microseconds) would cost far more than the wait it saves.
     */
    private void lock() {
        if (lock.tryLock()) {
            return;
        }
        for (int spin = 0; spin < 128; spin++) {
            Thread.onSpinWait();
            if (lock.tryLock()) {
                sizing.contended();
                return;
            }
        }
        lock.lock();
        sizing.contended();
    }

    /** Pops a full bucket; when there is one and {@code empty} is a bucket, keeps {@code empty} in its place. */
    long takeFull(long empty) {
        lock();
        try {
            long b = popFull();
            if (b != 0 && empty != 0) {
                pushEmpty(empty);
            }
            return b;
        } finally {
            lock.unlock();
        }
    }

    /** Keeps a full bucket and hands out an empty one (0 if none), or {@link #REFUSED} at the cap. */
    long swapFull(long full) {
        lock();
        try {
            if (!pushFull(full)) {
                return REFUSED;
            }
            return popEmpty();
        } finally {
            lock.unlock();
        }
    }

    /** Keeps a full bucket; false at the cap (the caller then releases its items). */
    boolean putFull(long full) {
        lock();
        try {
            return pushFull(full);
        } finally {
            lock.unlock();
        }
    }

    long takeEmpty() {
        lock();
        try {
            return popEmpty();
        } finally {
            lock.unlock();
        }
    }

    /** Pops one item out of the top full bucket, for allocations served without a cache; 0 if none. */
    long takeItem() {
        lock();
        try {
            long b = fullHead;
            if (b == 0) {
                return 0;
            }
            int n = Bucket.count(mem, base, b) - 1;
            long item = Bucket.item(mem, base, b, n);
            Bucket.setCount(mem, base, b, n);
            drawn(1);
            if (n == 0) {
                fullHead = Bucket.next(mem, base, b);
                pushEmpty(b);
            }
            return item;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Updates the working-set estimate ({@code zone_domain_update_wss}) and returns how many items a reclaim
     * keeps: the estimate for a trim, none for a drain.
     */
    long reclaimTarget(boolean trim) {
        lock();
        try {
            wss = Math.max(wss * 3 / 4, imax - bimin);
            // Keep half of the old maximum, so a batch straddling two estimates is still seen.
            imax -= (imax - items + 1) / 2;
            bimin = items;
            return trim ? wss : 0;
        } finally {
            lock.unlock();
        }
    }

    /** Pops a full bucket if the depot holds at least {@code keep} items more than that bucket; else 0. */
    long takeFullAbove(long keep) {
        lock();
        try {
            long b = fullHead;
            if (b == 0 || items < keep + Bucket.count(mem, base, b)) {
                return 0;
            }
            fullHead = Bucket.next(mem, base, b);
            // Reclaimed, not drawn: the maximum and the batch minimum move together, so wss does not see a batch.
            int n = Bucket.count(mem, base, b);
            long c = Math.min(bimin, n);
            imax -= c;
            bimin -= c;
            items = items - n;
            return b;
        } finally {
            lock.unlock();
        }
    }

    private boolean pushFull(long bucket) {
        int n = Bucket.count(mem, base, bucket);
        long now = items + n;
        if (now >= sizing.bucketMax()) {
            return false;
        }
        Bucket.setNext(mem, base, bucket, fullHead);
        fullHead = bucket;
        items = now;
        if (now > imax) {
            // A new maximum: the batch drawn from the old one is measured, a new batch starts.
            wss = Math.max(wss, imax - bimin);
            imax = now;
            bimin = now;
        }
        return true;
    }

    private long popFull() {
        long b = fullHead;
        if (b != 0) {
            fullHead = Bucket.next(mem, base, b);
            drawn(Bucket.count(mem, base, b));
        }
        return b;
    }

    private void drawn(int n) {
        long left = items - n;
        items = left;
        bimin = Math.min(bimin, left);
    }

    private void pushEmpty(long bucket) {
        Bucket.setNext(mem, base, bucket, emptyHead);
        emptyHead = bucket;
    }

    private long popEmpty() {
        long b = emptyHead;
        if (b != 0) {
            emptyHead = Bucket.next(mem, base, b);
        }
        return b;
    }
}
