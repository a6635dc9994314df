package org.memstat.lib;

import static org.memstat.lib.StreamLayout.MAX_CPUS;
import static org.memstat.lib.StreamLayout.MAX_NAME;
import static org.memstat.lib.StreamLayout.SH_BYTES;
import static org.memstat.lib.StreamLayout.SH_COUNT;
import static org.memstat.lib.StreamLayout.SH_MAXCPUS;
import static org.memstat.lib.StreamLayout.SH_VERSION;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * A fully validated statistics stream. {@link #validate} checks everything a record loop could trip over before
 * any record is read: header, byte order, maxcpus, the exact total length, and every name's terminator. After
 * that, reads at record offsets cannot fail, so applying a stream to a list cannot stop halfway.
 */
final class StreamView {
    private static final VarHandle LE32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle BE32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LE64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle BE64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    final StreamKind kind;
    final byte[] bytes;
    final boolean bigEndian;
    final int maxCpus;
    final int count;
    final int recordBytes;

    private StreamView(StreamKind kind, byte[] bytes, boolean bigEndian, int maxCpus, int count) {
        this.kind = kind;
        this.bytes = bytes;
        this.bigEndian = bigEndian;
        this.maxCpus = maxCpus;
        this.count = count;
        this.recordBytes = kind.typeHeaderBytes + maxCpus * kind.perCpuBytes;
    }

    /**
     * Validates {@code b} as a stream of {@code kind}.
     *
     * @param source the source URI, for error messages
     */
    static StreamView validate(StreamKind kind, byte[] b, String source) throws MemstatException {
        if (b.length < SH_BYTES) {
            throw error(MemstatError.VERSION, "value is " + b.length + " bytes, shorter than the " + SH_BYTES
                    + "-byte stream header", kind, source, b.length, -1);
        }
        ByteOrder order = Scalars.streamOrder(b);
        if (order == null) {
            throw error(MemstatError.VERSION, String.format("version word is 0x%08x in little-endian order;"
                    + " expected 1 from a little-endian or big-endian producer", (int) LE32.get(b, SH_VERSION)),
                    kind, source, SH_VERSION, -1);
        }
        boolean bigEndian = order == ByteOrder.BIG_ENDIAN;
        long maxCpus = u32(b, bigEndian, SH_MAXCPUS);
        if (maxCpus == 0 || maxCpus > MAX_CPUS) {
            throw error(MemstatError.DATAERROR, "maxcpus is " + maxCpus + ", outside 1.." + MAX_CPUS,
                    kind, source, SH_MAXCPUS, -1);
        }
        long count = u32(b, bigEndian, SH_COUNT);
        long recordBytes = kind.typeHeaderBytes + maxCpus * kind.perCpuBytes;
        long expected = SH_BYTES + count * recordBytes;
        if (b.length != expected) {
            throw error(MemstatError.DATAERROR, "value is " + b.length + " bytes but its header (count " + count
                    + ", maxcpus " + maxCpus + ") needs " + SH_BYTES + " + " + count + " x (" + kind.typeHeaderBytes
                    + " + " + maxCpus + " x " + kind.perCpuBytes + ") = " + expected,
                    kind, source, Math.min(b.length, expected), -1);
        }
        StreamView v = new StreamView(kind, b, bigEndian, (int) maxCpus, (int) count);
        for (int i = 0; i < v.count; i++) {
            int off = v.recordOffset(i);
            if (v.nameLength(off) < 0) {
                throw error(MemstatError.DATAERROR, "name is not NUL-terminated within " + MAX_NAME + " bytes",
                        kind, source, off, i);
            }
        }
        return v;
    }

    private static MemstatException error(MemstatError e, String detail, StreamKind kind, String source,
            long offset, int record) {
        return new MemstatException(e, detail, source, kind.oid, offset, record, null);
    }

    int recordOffset(int i) {
        return SH_BYTES + i * recordBytes;
    }

    int cpuOffset(int recordOffset, int cpu) {
        return recordOffset + kind.typeHeaderBytes + cpu * kind.perCpuBytes;
    }

    /** Length of the NUL-terminated name at {@code off}, or -1 if the 32 bytes hold no NUL. */
    int nameLength(int off) {
        for (int i = 0; i < MAX_NAME; i++) {
            if (bytes[off + i] == 0) {
                return i;
            }
        }
        return -1;
    }

    ByteOrder order() {
        return bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    }

    long u32(int off) {
        return u32(bytes, bigEndian, off);
    }

    long u64(int off) {
        return bigEndian ? (long) BE64.get(bytes, off) : (long) LE64.get(bytes, off);
    }

    private static long u32(byte[] b, boolean bigEndian, int off) {
        return (bigEndian ? (int) BE32.get(b, off) : (int) LE32.get(b, off)) & 0xFFFF_FFFFL;
    }
}
