package org.memstat.uma.mbuf;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * Field access to mbufs and tags in the allocator's memory, by address and {@link Mbuf} offset. Plain accesses
 * serve the fields only the mbuf's owner touches; the reference count alone is shared between threads and is
 * read with acquire and changed with atomic read-modify-writes (or a release store while its reader is alone).
 */
final class MbufMem {
    private static final VarHandle COUNT = ValueLayout.JAVA_INT.varHandle();
    private static final boolean LITTLE = java.nio.ByteOrder.nativeOrder() == java.nio.ByteOrder.LITTLE_ENDIAN;

    final MemorySegment mem;
    final long base;

    MbufMem(MemorySegment mem) {
        this.mem = mem;
        this.base = mem.address();
    }

    long getLong(long addr, int off) {
        return mem.get(ValueLayout.JAVA_LONG_UNALIGNED, addr - base + off);
    }

    void setLong(long addr, int off, long v) {
        mem.set(ValueLayout.JAVA_LONG_UNALIGNED, addr - base + off, v);
    }

    int getInt(long addr, int off) {
        return mem.get(ValueLayout.JAVA_INT_UNALIGNED, addr - base + off);
    }

    void setInt(long addr, int off, int v) {
        mem.set(ValueLayout.JAVA_INT_UNALIGNED, addr - base + off, v);
    }

    /**
     * Stores two adjacent ints, {@code lo} at {@code off} and {@code hi} at {@code off + 4}, with one 8-byte store
     * (the fields are in native order, so the halves follow it).
     */
    void setIntPair(long addr, int off, int lo, int hi) {
        long a = lo & 0xffffffffL;
        long b = hi & 0xffffffffL;
        mem.set(ValueLayout.JAVA_LONG_UNALIGNED, addr - base + off, LITTLE ? a | (b << 32) : (a << 32) | b);
    }

    int getShort(long addr, int off) {
        return Short.toUnsignedInt(mem.get(ValueLayout.JAVA_SHORT_UNALIGNED, addr - base + off));
    }

    void setShort(long addr, int off, int v) {
        mem.set(ValueLayout.JAVA_SHORT_UNALIGNED, addr - base + off, (short) v);
    }

    MemorySegment slice(long addr, long len) {
        return mem.asSlice(addr - base, len);
    }

    /** The reference count held by {@code ref}, read with acquire semantics. */
    int count(long ref) {
        return (int) COUNT.getAcquire(mem, ref - base + Mbuf.OFF_EXT_COUNT);
    }

    void setCount(long ref, int v) {
        COUNT.setRelease(mem, ref - base + Mbuf.OFF_EXT_COUNT, v);
    }

    /** Atomically adds {@code delta}; returns the previous count. */
    int getAndAddCount(long ref, int delta) {
        return (int) COUNT.getAndAdd(mem, ref - base + Mbuf.OFF_EXT_COUNT, delta);
    }
}
