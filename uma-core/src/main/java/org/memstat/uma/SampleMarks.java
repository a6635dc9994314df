package org.memstat.uma;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Which pages hold a sampled item that is still in use: one count per page of the allocator's range (per run of
 * pages above 8 GiB, so the table stays within 4 MiB), so the free fast path learns with one array read whether
 * the item it frees may be a sample ({@link Zone#freeArg}).
 *
 * <p>Written only here, atomically, by the samplers of every zone (secondary zones share pages). The fast path
 * reads a count plainly: the free of a sampled item happens after its allocation, which raised the count, and
 * the count of a page cannot fall to 0 while one of its samples lives, so a live sample is never missed; a stale
 * non-zero only sends a free to the slow path, which finds no sample.
 */
final class SampleMarks {
    private static final VarHandle COUNTS = MethodHandles.arrayElementVarHandle(char[].class);

    /** At most this many counts (4 MiB of heap): a huge allocator counts per run of pages instead. */
    private static final int MAX_COUNTS = 1 << 21;

    /** Live samples per page (or run of pages), indexed by {@code (item - base) >>> shift}; read by the free path. */
    final char[] counts;
    /** {@link PageSource#PAGE_SHIFT}, or more for allocators above 8 GiB. */
    final int shift;
    private final long base;

    SampleMarks(long base, int npages) {
        this.base = base;
        int extra = 0;
        while ((npages + (1L << extra) - 1) >>> extra > MAX_COUNTS) {
            extra++;
        }
        this.shift = PageSource.PAGE_SHIFT + extra;
        this.counts = new char[(int) ((npages + (1L << extra) - 1) >>> extra)];
    }

    void add(long item) {
        COUNTS.getAndAdd(counts, page(item), (char) 1);
    }

    void remove(long item) {
        COUNTS.getAndAdd(counts, page(item), (char) -1);
    }

    private int page(long item) {
        return (int) ((item - base) >>> shift);
    }
}
