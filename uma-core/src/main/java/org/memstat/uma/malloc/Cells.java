package org.memstat.uma.malloc;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * One writer's malloc counters for every type: {@code FIELDS} longs per type id, in {@code malloc_type_stats}
 * order (memalloced, memfreed, numallocs, numfrees, size bitmask).
 *
 * <p>Single writer: the owning platform thread, or whoever holds this object's monitor for a shared slot. The
 * writer reads its own cells plainly and publishes each new value with an opaque store, so a reader on another
 * thread sees whole, recent values without the writer paying for a fence or an atomic read-modify-write. The
 * array grows when a type registered after the writer's first count is used; the new array is published with a
 * release store after the copy, so a reader sees either the old or the new array, never a half-copied one.
 */
final class Cells {
    static final int MEMALLOCED = 0;
    static final int MEMFREED = 1;
    static final int NUMALLOCS = 2;
    static final int NUMFREES = 3;
    static final int SIZEMASK = 4;
    static final int FIELDS = 5;

    private static final VarHandle ELEM = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle ARRAY;

    static {
        try {
            ARRAY = MethodHandles.lookup().findVarHandle(Cells.class, "cells", long[].class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The owner, or null for a shared slot. */
    final Thread owner;
    final int slot;
    @SuppressWarnings("unused")
    private long[] cells = new long[0];

    Cells(Thread owner, int slot) {
        this.owner = owner;
        this.slot = slot;
    }

    /** {@code malloc_type_zone_allocated}: bytes and count only for a real size, the bit for any zone index. */
    void allocated(int id, long size, int zindx) {
        long[] c = ensure(id);
        int i = id * FIELDS;
        if (size > 0) {
            ELEM.setOpaque(c, i + MEMALLOCED, c[i + MEMALLOCED] + size);
            ELEM.setOpaque(c, i + NUMALLOCS, c[i + NUMALLOCS] + 1);
        }
        if (zindx >= 0) {
            long mask = c[i + SIZEMASK];
            long bit = 1L << zindx;
            if ((mask & bit) == 0) {
                ELEM.setOpaque(c, i + SIZEMASK, mask | bit);
            }
        }
    }

    /** {@code malloc_type_freed}. */
    void freed(int id, long size) {
        long[] c = ensure(id);
        int i = id * FIELDS;
        ELEM.setOpaque(c, i + MEMFREED, c[i + MEMFREED] + size);
        ELEM.setOpaque(c, i + NUMFREES, c[i + NUMFREES] + 1);
    }

    private long[] ensure(int id) {
        long[] c = (long[]) ARRAY.get(this);
        int need = (id + 1) * FIELDS;
        if (need > c.length) {
            c = Arrays.copyOf(c, Math.max(need, 2 * c.length));
            ARRAY.setRelease(this, c);
        }
        return c;
    }

    /** The number of cells currently allocated (a multiple of {@link #FIELDS}). */
    int width() {
        return ((long[]) ARRAY.getAcquire(this)).length;
    }

    /** Adds this writer's counters for type ids below {@code dst.length / FIELDS} into {@code dst}. */
    void addTo(long[] dst) {
        long[] c = (long[]) ARRAY.getAcquire(this);
        int n = Math.min(c.length, dst.length);
        for (int i = 0; i < n; i++) {
            long v = (long) ELEM.getOpaque(c, i);
            if (i % FIELDS == SIZEMASK) {
                dst[i] |= v;
            } else {
                dst[i] += v;
            }
        }
    }
}
