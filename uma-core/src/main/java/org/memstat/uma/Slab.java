package org.memstat.uma;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One run of {@code ppera} pages carved into {@code ipers} items of {@code rsize} bytes (UMA's {@code uma_slab}).
 *
 * <p>All metadata lives here, on the heap, out of band: items carry no header, so an item's bytes are all the
 * user's. The free bitset ({@code us_free}) and the free count are guarded by the keg lock. The debug bitset
 * ({@code dbg_bits}) records which items a user holds and is flipped atomically on every alloc and free when
 * debug mode is on, from any thread, without the keg lock. Reference counts ({@code UMA_ZONE_REFCNT}) are
 * likewise updated atomically by their users.
 *
 * <p>A slab is on exactly one of its keg's three lists: partial (some items free), full (none) or free (all).
 */
final class Slab {
    private static final VarHandle BITS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle REFS = MethodHandles.arrayElementVarHandle(int[].class);

    final Keg keg;
    final long base;
    final int id;
    final long[] free;
    final long[] dbg;
    final int[] refcnt;
    int freeCount;
    Slab prev;
    Slab next;
    SlabList list;

    Slab(Keg keg, long base, int id, int ipers, boolean debug, boolean refcounted) {
        this.keg = keg;
        this.base = base;
        this.id = id;
        int words = (ipers + 63) >>> 6;
        this.free = new long[words];
        for (int i = 0; i < ipers; i++) {
            free[i >>> 6] |= 1L << i;
        }
        this.freeCount = ipers;
        this.dbg = debug ? new long[words] : null;
        this.refcnt = refcounted ? new int[ipers] : null;
    }

    long item(int index) {
        return base + (long) index * keg.rsize;
    }

    /** Takes the lowest free item; the caller holds the keg lock and knows {@code freeCount > 0}. */
    long takeItem() {
        for (int w = 0; w < free.length; w++) {
            long word = free[w];
            if (word != 0) {
                int bit = Long.numberOfTrailingZeros(word);
                free[w] = word & ~(1L << bit);
                freeCount--;
                return item((w << 6) + bit);
            }
        }
        throw new IllegalStateException("slab " + id + " of keg " + keg.name + " has no free item");
    }

    /** Returns an item to the bitset; the caller holds the keg lock. */
    void putItem(int index) {
        long bit = 1L << index;
        if ((free[index >>> 6] & bit) != 0) {
            throw new IllegalStateException("item " + index + " of slab " + id + " in keg " + keg.name
                    + " returned to its keg twice");
        }
        free[index >>> 6] |= bit;
        freeCount++;
    }

    /** Marks the item as held by a user; returns false if it already was (a duplicate alloc). */
    boolean dbgAlloc(int index) {
        long bit = 1L << index;
        long old = (long) BITS.getAndBitwiseOr(dbg, index >>> 6, bit);
        return (old & bit) == 0;
    }

    /** Marks the item as no longer held; returns false if it was not held (a duplicate free). */
    boolean dbgFree(int index) {
        long bit = 1L << index;
        long old = (long) BITS.getAndBitwiseAnd(dbg, index >>> 6, ~bit);
        return (old & bit) != 0;
    }

    int refAdd(int index, int delta) {
        return (int) REFS.getAndAdd(refcnt, index, delta) + delta;
    }

    int refGet(int index) {
        return (int) REFS.getVolatile(refcnt, index);
    }

    void refSet(int index, int value) {
        REFS.setVolatile(refcnt, index, value);
    }
}
