package org.memstat.bench;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Bounded single-producer single-consumer ring used to hand buffers from an allocating thread to a
 * freeing thread ({@link AbstractPeerThreads}'s handoff groups). Exactly one thread may call
 * {@link #offer} and exactly one other thread {@link #poll}.
 *
 * <p>Ordering: the producer stores the element with a plain write and then publishes it by a
 * release store of {@code tail}; the consumer's acquire load of {@code tail} therefore sees the
 * element (and everything the producer wrote into the buffer before offering it). Symmetrically the
 * consumer clears slots before its release store of {@code headPublished}, so the producer never
 * overwrites a slot the consumer has not finished with.
 *
 * <p>Why the consumer publishes its position only every {@code batch} items (or when it finds the
 * ring empty): when the producer is faster the ring is full, and a consumer that freed one slot at
 * a time would let the producer write the slot right behind it, so every single element moved the
 * same cache line back and forth (measured: 250-300 ns per element on our 2-core VM, more than the
 * allocators under test). Freed space now arrives in batches, so slot lines move once per batch.
 * No deadlock: the producer waits only while {@code tail - headPublished >= capacity}, and then at
 * least {@code capacity - batch + 1} elements are still in the ring, so the consumer keeps going
 * and publishes within {@code batch} polls. Each side also caches the other's index and re-reads it
 * only when the ring looks full (producer) or empty (consumer).
 *
 * <p>Layout: the producer's fields and the consumer's fields sit on their own cache lines,
 * separated by 128 bytes of padding inherited from the superclasses below (HotSpot lays out
 * superclass fields before subclass fields), because adjacent-line prefetch pairs 64-byte lines on
 * x86.
 *
 * @param <E> element type
 */
public final class SpscRing<E> extends SpscRingHead {
    private static final VarHandle TAIL;
    private static final VarHandle HEAD_PUBLISHED;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            TAIL = lookup.findVarHandle(SpscRingTail.class, "tail", long.class);
            HEAD_PUBLISHED = lookup.findVarHandle(SpscRingHead.class, "headPublished", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Object[] slots;
    private final int mask;
    private final int batch;

    /**
     * Creates an empty ring.
     *
     * @param capacity number of slots, a power of two &gt;= 2
     * @throws IllegalArgumentException if capacity is not such a power of two
     */
    public SpscRing(int capacity) {
        if (capacity < 2 || Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("capacity must be a power of two >= 2: " + capacity);
        }
        slots = new Object[capacity];
        mask = capacity - 1;
        // 64 references span 4 lines with compressed oops; more only delays the producer.
        batch = Math.min(64, capacity / 2);
    }

    /**
     * Producer side: appends an element unless the ring is full.
     *
     * @param e element, not null
     * @return false if the ring was full (nothing stored)
     */
    public boolean offer(E e) {
        long t = tail;
        if (t - headCache >= slots.length) {
            headCache = (long) HEAD_PUBLISHED.getAcquire(this);
            if (t - headCache >= slots.length) {
                return false;
            }
        }
        slots[(int) t & mask] = e;
        TAIL.setRelease(this, t + 1);
        return true;
    }

    /**
     * Consumer side: removes the oldest element.
     *
     * @return the element, or null if the ring was empty
     */
    public E poll() {
        long h = head;
        if (h >= tailCache) {
            tailCache = (long) TAIL.getAcquire(this);
            if (h >= tailCache) {
                if (headPublished != h) {
                    HEAD_PUBLISHED.setRelease(this, h);
                }
                return null;
            }
        }
        int i = (int) h & mask;
        @SuppressWarnings("unchecked") // only offer(E) stores into slots
        E e = (E) slots[i];
        slots[i] = null;
        head = ++h;
        if (h - headPublished >= batch) {
            HEAD_PUBLISHED.setRelease(this, h);
        }
        return e;
    }
}

/** 128 bytes of padding in front of the producer's fields. */
abstract class SpscRingPad0 {
    long p00, p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15;
}

/** Producer-owned line: the next slot to fill and the last head seen. */
abstract class SpscRingTail extends SpscRingPad0 {
    /** Written by the producer only (release), read by the consumer (acquire). */
    long tail;
    /** Producer-private copy of head, refreshed only when the ring looks full. */
    long headCache;
}

/** 128 bytes of padding between the two sides. */
abstract class SpscRingPad1 extends SpscRingTail {
    long q00, q01, q02, q03, q04, q05, q06, q07, q08, q09, q10, q11, q12, q13, q14, q15;
}

/** Consumer-owned line: the next slot to drain, what the producer may see of it, the last tail seen. */
abstract class SpscRingHead extends SpscRingPad1 {
    /** Consumer-private: next slot to drain. */
    long head;
    /** Written by the consumer only (release, every batch or when empty), read by the producer (acquire). */
    long headPublished;
    /** Consumer-private copy of tail, refreshed only when the ring looks empty. */
    long tailCache;
    /** Padding between the consumer's line and the read-only fields of the subclass. */
    long r00, r01, r02, r03, r04, r05, r06, r07, r08, r09, r10, r11, r12, r13, r14, r15;
}
