package org.memstat.lib;

/**
 * Finds a list's type by allocator and name bytes without allocating, so a warm refresh can match every stream
 * record to its {@link MemoryType} for free.
 *
 * <p>Open addressing with linear probing over a power-of-two table kept at most half full. Types are never
 * removed (only {@link #clear}ed), which keeps probing simple. For a key that several types share (a name that
 * appears twice), the slot holds the type that {@code memstat_mtl_find} would return: the newest, because new
 * types go to the head of the list.
 */
final class TypeIndex {
    private MemoryType[] table = new MemoryType[16];
    private int size;

    static int hash(Allocator allocator, byte[] src, int off, int len) {
        int h = allocator.code() * 0x9E37_79B9;
        for (int i = off; i < off + len; i++) {
            h = 31 * h + src[i];
        }
        return h ^ (h >>> 16);
    }

    MemoryType find(Allocator allocator, byte[] src, int off, int len, int hash) {
        MemoryType[] t = table;
        int mask = t.length - 1;
        for (int i = hash & mask; ; i = (i + 1) & mask) {
            MemoryType m = t[i];
            if (m == null) {
                return null;
            }
            if (m.nameHash == hash && m.sameKey(allocator, src, off, len)) {
                return m;
            }
        }
    }

    /** Grows the table now, so that adding {@code n} more types later cannot allocate. */
    void reserve(int n) {
        long needed = 2L * (size + (long) n);
        if (needed <= table.length) {
            return;
        }
        int capacity = table.length;
        while (capacity < needed) {
            capacity <<= 1;
        }
        MemoryType[] old = table;
        table = new MemoryType[capacity];
        for (MemoryType m : old) {
            if (m != null) {
                insert(m);
            }
        }
    }

    /** Adds {@code m}, replacing a type with the same key: the newer type is the one a search must find. */
    void put(MemoryType m) {
        reserve(1);
        if (insert(m)) {
            size++;
        }
    }

    private boolean insert(MemoryType m) {
        MemoryType[] t = table;
        int mask = t.length - 1;
        for (int i = m.nameHash & mask; ; i = (i + 1) & mask) {
            MemoryType o = t[i];
            if (o == null) {
                t[i] = m;
                return true;
            }
            if (o.nameHash == m.nameHash && o.sameKey(m.allocator(), m.nameBytes, 0, m.nameBytes.length)) {
                t[i] = m;
                return false;
            }
        }
    }

    void clear() {
        table = new MemoryType[16];
        size = 0;
    }
}
