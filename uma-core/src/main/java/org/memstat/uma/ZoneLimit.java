package org.memstat.uma;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A zone's item limit ({@code uma_zone_set_max}): items are reserved against it in whole buckets on the slow
 * path, sleepers wait on the zone lock's condition, and hitting it logs the zone's warning at most once per
 * interval. {@link Zone#items} counts every item taken from the keg and not given back, cached ones included.
 */
final class ZoneLimit {
    private final Zone z;
    private final AtomicLong lastWarning = new AtomicLong(Long.MIN_VALUE / 2);

    ZoneLimit(Zone zone) {
        this.z = zone;
    }

    /** Reserves up to {@code n} items under the limit; returns how many (0 at the limit). */
    int reserve(int n) {
        long m = z.max;
        if (m == 0) {
            z.items.addAndGet(n);
            return n;
        }
        while (true) {
            long cur = z.items.get();
            long room = m - cur;
            if (room <= 0) {
                return 0;
            }
            int k = (int) Math.min(n, room);
            if (z.items.compareAndSet(cur, cur + k)) {
                return k;
            }
        }
    }

    /** Gives back {@code n} reserved items and wakes sleepers. */
    void unreserve(int n) {
        z.items.addAndGet(-n);
        if (z.sleepers > 0) {
            z.lock.lock();
            try {
                z.limitFreed.signalAll();
            } finally {
                z.lock.unlock();
            }
        }
    }

    /** Sleeps until an item is given back or the depot has items ({@code sleeps}++). */
    void await() {
        z.lock.lock();
        try {
            z.sleepers = z.sleepers + 1;
            z.sleeps.increment();
            // Bounded waits: items parked in other threads' caches free no slot and signal nobody.
            while (z.max > 0 && z.items.get() >= z.max && z.depot.items() == 0 && !z.destroyed) {
                z.limitFreed.awaitNanos(TimeUnit.MILLISECONDS.toNanos(50));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            z.sleepers = z.sleepers - 1;
            z.lock.unlock();
        }
    }

    /** Logs the zone's warning, rate-limited. */
    void warn() {
        String text = z.warning;
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
