package org.memstat.uma;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A zone's item limit ({@code uma_zone_set_max}) and everything hitting it changes: the item count reserved
 * against it, the sleepers and their count ({@code uz_sleeps}), the warning and its rate limit, and the
 * action run when the limit is hit ({@code uma_zone_set_maxaction}).
 *
 * <p>Items are reserved in whole buckets on the slow path; {@link #items()} counts every item taken from the
 * keg and not given back, cached ones included. While anyone sleeps ({@link Zone#sleepers} &gt; 0, kept on the
 * zone for the free fast path but written only here), frees bypass the caches so that they reach the keg and wake a sleeper. Sleepers wait on this
 * object's own lock, never the depot's.
 */
final class ZoneLimit {
    private final Zone z;
    private final AtomicLong items = new AtomicLong();
    private final AtomicLong lastWarning = new AtomicLong(Long.MIN_VALUE / 2);
    private final LongAdder sleeps = new LongAdder();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition freed = lock.newCondition();
    private volatile long max;
    private volatile String warning;
    private volatile Runnable maxAction;

    ZoneLimit(Zone zone) {
        this.z = zone;
    }

    long max() {
        return max;
    }

    long items() {
        return items.get();
    }

    int sleepers() {
        return z.sleepers;
    }

    long sleeps() {
        return sleeps.sum();
    }

    void setWarning(String text) {
        this.warning = text;
    }

    void setMaxAction(Runnable action) {
        this.maxAction = action;
    }

    /** Sets the limit (0 for none) and wakes every sleeper, who then looks again. */
    void setMax(long nitems) {
        lock.lock();
        try {
            max = nitems;
            freed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Reserves up to {@code n} items under the limit; returns how many (0 at the limit). */
    int reserve(int n) {
        long m = max;
        if (m == 0) {
            items.addAndGet(n);
            return n;
        }
        while (true) {
            long cur = items.get();
            long room = m - cur;
            if (room <= 0) {
                return 0;
            }
            int k = (int) Math.min(n, room);
            if (items.compareAndSet(cur, cur + k)) {
                return k;
            }
        }
    }

    /** Gives back {@code n} reserved items and wakes sleepers. */
    void unreserve(int n) {
        items.addAndGet(-n);
        if (z.sleepers > 0) {
            lock.lock();
            try {
                freed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /** The limit was hit: the warning (rate-limited) and the max action. */
    void hit() {
        warn();
        Runnable action = maxAction;
        if (action != null) {
            action.run();
        }
    }

    /** Sleeps until an item is given back or the depot has items ({@code sleeps}++). */
    void await() {
        lock.lock();
        try {
            z.sleepers = z.sleepers + 1;
            sleeps.increment();
            // Bounded waits: items parked in other threads' caches free no slot and signal nobody.
            while (max > 0 && items.get() >= max && z.depot.items() == 0 && !z.destroyed) {
                freed.awaitNanos(TimeUnit.MILLISECONDS.toNanos(50));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            z.sleepers = z.sleepers - 1;
            lock.unlock();
        }
    }

    private void warn() {
        String text = warning;
        if (text == null) {
            return;
        }
        long now = System.nanoTime();
        long last = lastWarning.get();
        if (now - last >= z.uma.warningIntervalNanos && lastWarning.compareAndSet(last, now)) {
            z.uma.console.accept("[zone: " + z.name + "] " + text);
        }
    }
}
