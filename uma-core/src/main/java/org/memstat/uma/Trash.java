package org.memstat.uma;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Debug trash (UMA's {@code uma_dbg.c}): free items are filled with the 32-bit pattern {@code 0xdeadc0de} and
 * checked when they are next handed out, so a write after free is caught at the next allocation of that item
 * or when its slab goes back to the page source.
 */
final class Trash {
    static final int JUNK = 0xdeadc0de;
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED;

    private Trash() {
    }

    static void fill(MemorySegment mem, long base, long item, int size) {
        long off = item - base;
        for (int i = 0; i + 4 <= size; i += 4) {
            mem.set(INT, off + i, JUNK);
        }
    }

    /** The offset of the first word that is not junk, or -1 when the item is intact. */
    static int check(MemorySegment mem, long base, long item, int size) {
        long off = item - base;
        for (int i = 0; i + 4 <= size; i += 4) {
            if (mem.get(INT, off + i) != JUNK) {
                return i;
            }
        }
        return -1;
    }

    static int wordAt(MemorySegment mem, long base, long item, int offset) {
        return mem.get(INT, item - base + offset);
    }
}
