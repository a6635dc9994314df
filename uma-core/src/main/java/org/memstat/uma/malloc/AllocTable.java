package org.memstat.uma.malloc;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * What {@code free} needs to know about an address, found in O(1) without a lock: malloc's stand-in for UMA's
 * {@code vtoslab} (the public {@code Uma} API cannot map an address to its zone).
 *
 * <p>One int per page of the allocator's address range, for the page an allocation <em>starts</em> on:
 * {@code zindx + 1} for a bucket-zone item, {@code -npages} for a large allocation, 0 for a page malloc never
 * handed out. Two live allocations starting on the same page always come from the same slab, so they agree on
 * the value; a page whose slab was freed and reused by another zone is simply overwritten by the next malloc on
 * it. Writes happen only when the value changes (most allocations read a shared line and write nothing), with
 * release/acquire so a thread that reads a value also sees everything that led to it.
 *
 * <p>The table is two-level: chunks of 65536 pages (256 KiB) are created the first time a page in them is used,
 * so a large, mostly idle {@code kmem_size} costs only the outer array.
 */
final class AllocTable {
    private static final int CHUNK_SHIFT = 16;
    private static final int CHUNK_MASK = (1 << CHUNK_SHIFT) - 1;
    private static final VarHandle CHUNKS = MethodHandles.arrayElementVarHandle(int[][].class);
    private static final VarHandle INTS = MethodHandles.arrayElementVarHandle(int[].class);

    private final long base;
    private final long npages;
    private final int[][] chunks;

    AllocTable(long base, long bytes) {
        this.base = base;
        this.npages = bytes >>> SizeClasses.PAGE_SHIFT;
        this.chunks = new int[(int) ((npages + CHUNK_MASK) >>> CHUNK_SHIFT)][];
    }

    void set(long addr, int value) {
        long page = page(addr);
        int[] c = (int[]) CHUNKS.getAcquire(chunks, (int) (page >>> CHUNK_SHIFT));
        if (c == null) {
            c = install((int) (page >>> CHUNK_SHIFT));
        }
        int i = (int) (page & CHUNK_MASK);
        if ((int) INTS.getAcquire(c, i) != value) {
            INTS.setRelease(c, i, value);
        }
    }

    /** The value for {@code addr}'s page, 0 when no allocation ever started there. */
    int get(long addr) {
        long page = page(addr);
        int[] c = (int[]) CHUNKS.getAcquire(chunks, (int) (page >>> CHUNK_SHIFT));
        return c == null ? 0 : (int) INTS.getAcquire(c, (int) (page & CHUNK_MASK));
    }

    private int[] install(int chunk) {
        int[] fresh = new int[1 << CHUNK_SHIFT];
        int[] witness = (int[]) CHUNKS.compareAndExchange(chunks, chunk, (int[]) null, fresh);
        return witness == null ? fresh : witness;
    }

    private long page(long addr) {
        long page = (addr - base) >> SizeClasses.PAGE_SHIFT;
        if (addr < base || page >= npages) {
            throw new IllegalArgumentException("0x" + Long.toHexString(addr) + " is outside the allocator's memory");
        }
        return page;
    }
}
