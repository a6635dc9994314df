package org.memstat.uma;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Which pages hold a sampled item that is still in use: one count per page of the allocator's range, so the free
 * fast path learns with one array read whether the item it frees may be a sample ({@link Zone#freeArg}).
 *
 * <p>Written only here, atomically, by the samplers of every zone (secondary zones share pages). The fast path
 * reads a count plainly: the free of a sampled item happens after its allocation, which raised the count, and
 * the count of a page cannot fall to 0 while one of its samples lives, so a live sample is never missed; a stale
 * non-zero only sends a free to the slow path, which finds no sample.
 */
final class SampleMarks {
    private static final VarHandle COUNTS = MethodHandles.arrayElementVarHandle(char[].class);

    /** Live samples per page, indexed by {@code (item - base) >>> PAGE_SHIFT}; read by the free fast path. */
    final char[] counts;
    private final long base;

    SampleMarks(long base, int npages) {
        this.base = base;
        this.counts = new char[npages];
    }

    void add(long item) {
        COUNTS.getAndAdd(counts, page(item), (char) 1);
    }

    void remove(long item) {
        COUNTS.getAndAdd(counts, page(item), (char) -1);
    }

    private int page(long item) {
        return (int) ((item - base) >>> PageSource.PAGE_SHIFT);
    }
}
