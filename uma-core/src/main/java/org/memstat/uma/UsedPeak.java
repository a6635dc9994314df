package org.memstat.uma;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The highest number of items in use a zone showed when someone looked: at each statistics read and each trim
 * tick. A sampled peak, so a peak between two looks is missed; named so wherever it is shown (docs/PROFILES.md).
 */
final class UsedPeak {
    private final AtomicLong peak = new AtomicLong();

    /** Raises the peak to {@code used} if that is higher. */
    void observe(long used) {
        long p = peak.get();
        while (used > p && !peak.compareAndSet(p, used)) {
            p = peak.get();
        }
    }

    /** Starts again from {@code used}. */
    void reset(long used) {
        peak.set(used);
    }

    long get() {
        return peak.get();
    }
}
