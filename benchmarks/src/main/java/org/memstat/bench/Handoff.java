package org.memstat.bench;

import org.openjdk.jmh.infra.Control;

/**
 * The two waits of a producer/consumer benchmark on a {@link SpscRing}: offer until there is room, poll until
 * there is an element, each backing off with {@link Backoff} and giving up when JMH ends the iteration, so a
 * stopped partner never leaves the other spinning.
 */
final class Handoff {
    private Handoff() {
    }

    /** Offers {@code e}; false when the iteration ended before there was room. */
    static <E> boolean offer(SpscRing<E> ring, E e, Control control) {
        int spins = 0;
        while (!ring.offer(e)) {
            if (control.stopMeasurement) {
                return false;
            }
            spins = Backoff.idle(spins);
        }
        return true;
    }

    /** Polls an element; null when the iteration ended before one came. */
    static <E> E poll(SpscRing<E> ring, Control control) {
        int spins = 0;
        E e;
        while ((e = ring.poll()) == null) {
            if (control.stopMeasurement) {
                return null;
            }
            spins = Backoff.idle(spins);
        }
        return e;
    }
}
