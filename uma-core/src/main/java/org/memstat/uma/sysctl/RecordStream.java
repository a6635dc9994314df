package org.memstat.uma.sysctl;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;

/**
 * What FreeBSD's two statistics streams share: a 16-byte stream header, then {@code count} records, each a
 * fixed-size record header followed by exactly {@code maxcpus} fixed-size per-CPU records; no separator and no
 * trailing NUL.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +---------------------------------------------------------------+
 * |                        version = 1                            |  0
 * +---------------------------------------------------------------+
 * |                          maxcpus                              |  4
 * +---------------------------------------------------------------+
 * |                           count                               |  8
 * +---------------------------------------------------------------+
 * |                          pad = 0                              | 12
 * +---------------------------------------------------------------+
 * |  record 0: record header, maxcpus x per-CPU record            | 16
 * |  ...                                                          |
 * </pre>
 *
 * <p><b>Speed.</b> The buffer is reused across streams. Reserved bytes of per-CPU records are never written, so
 * they stay zero as long as the record layout ({@code maxcpus}) does not change: every stream of the same layout puts
 * the same fields at the same offsets. When the layout changes, the used part of the buffer is cleared once. This
 * keeps a 64-CPU record at three stores instead of eight. Not thread-safe: one stream at a time.
 */
final class RecordStream {
    static final int VERSION = 1;
    static final int OFF_VERSION = 0;
    static final int OFF_MAXCPUS = OFF_VERSION + Integer.BYTES;
    static final int OFF_COUNT = OFF_MAXCPUS + Integer.BYTES;
    static final int OFF_PAD = OFF_COUNT + Integer.BYTES;
    static final int HEADER_SIZE = OFF_PAD + Integer.BYTES;
    /** Name fields are {@code char[32]}: at most 31 bytes and a NUL. */
    static final int NAME_SIZE = 32;
    /** The most CPU slots a stream may carry (a sanity bound; FreeBSD's MAXCPU is far lower). */
    static final int MAX_CPUS = 1 << 14;
    private static final int MAX_STREAM = Integer.MAX_VALUE - 64;
    private static final int NAME_CACHE_LIMIT = 256;

    private final String recordKind;
    private final int recordHeaderSize;
    private final int cpuSize;
    private final ByteOrder order;
    private final HashMap<String, byte[]> nonAsciiNames = new HashMap<>();

    private ByteBuffer buf;
    private ByteBuffer view;
    /** Every byte at or past this index is zero. */
    private int highWater;
    /** The maxcpus whose reserved fields are known to be zero below highWater; 0 before the first stream. */
    private int layoutMaxCpus;

    private boolean open;
    private int maxCpus;
    private int expected;
    private int records;
    private int recordSize;
    private int cpusLeft;
    private int pos;
    private int length;

    RecordStream(String recordKind, int recordHeaderSize, int cpuSize, ByteOrder order) {
        this.recordKind = recordKind;
        this.recordHeaderSize = recordHeaderSize;
        this.cpuSize = cpuSize;
        this.order = order;
        this.buf = ByteBuffer.allocate(4096).order(order);
    }

    ByteOrder order() {
        return order;
    }

    static long size(int maxCpus, long count, int recordHeaderSize, int cpuSize) {
        return HEADER_SIZE + count * (recordHeaderSize + (long) maxCpus * cpuSize);
    }

    void begin(int maxCpus, int count) {
        if (maxCpus < 1 || maxCpus > MAX_CPUS) {
            throw new IllegalArgumentException("maxCpus " + maxCpus + " outside 1.." + MAX_CPUS);
        }
        if (count < -1) {
            throw new IllegalArgumentException("negative record count " + count);
        }
        long total = size(maxCpus, Math.max(count, 0), recordHeaderSize, cpuSize);
        if (total > MAX_STREAM) {
            throw new IllegalArgumentException("stream of " + count + " records x " + maxCpus + " CPUs too large");
        }
        if (maxCpus != layoutMaxCpus) {
            Arrays.fill(buf.array(), 0, highWater, (byte) 0);
            highWater = 0;
            layoutMaxCpus = maxCpus;
        }
        this.maxCpus = maxCpus;
        this.expected = count;
        this.recordSize = recordHeaderSize + maxCpus * cpuSize;
        this.records = 0;
        this.cpusLeft = 0;
        this.pos = HEADER_SIZE;
        this.open = true;
        ensure((int) total, 0);
    }

    /** Opens the next record; returns the offset of its record header. */
    int record() {
        if (!open) {
            throw new IllegalStateException(recordKind + "() before begin()");
        }
        if (cpusLeft != 0) {
            throw new IllegalStateException(recordKind + " " + (records - 1) + " has " + (maxCpus - cpusLeft)
                    + " of " + maxCpus + " cpu() records");
        }
        if (expected >= 0 && records == expected) {
            throw new IllegalStateException("more than the " + expected + " " + recordKind + "s given to begin()");
        }
        if ((long) pos + recordSize > MAX_STREAM) {
            throw new IllegalStateException("stream larger than " + MAX_STREAM + " bytes");
        }
        int off = pos;
        ensure(off + recordSize, off);
        pos = off + recordSize;
        highWater = Math.max(highWater, pos);
        records++;
        cpusLeft = maxCpus;
        return off;
    }

    /** Returns the offset of the next per-CPU record of the open record. */
    int cpu() {
        if (cpusLeft == 0) {
            throw new IllegalStateException(open && records > 0
                    ? "more than maxCpus=" + maxCpus + " cpu() records for " + recordKind + " " + (records - 1)
                    : "cpu() before " + recordKind + "()");
        }
        return pos - cpusLeft-- * cpuSize;
    }

    /** Fills the remaining per-CPU records of the open record with zeros (absent CPUs, internal zones). */
    void zeroCpus() {
        if (!open || records == 0) {
            throw new IllegalStateException("zeroCpus() before " + recordKind + "()");
        }
        int from = pos - cpusLeft * cpuSize;
        Arrays.fill(buf.array(), from, pos, (byte) 0);
        cpusLeft = 0;
    }

    ByteBuffer finish() {
        if (!open) {
            throw new IllegalStateException("finish() before begin()");
        }
        if (cpusLeft != 0) {
            throw new IllegalStateException(recordKind + " " + (records - 1) + " has " + (maxCpus - cpusLeft)
                    + " of " + maxCpus + " cpu() records");
        }
        if (expected >= 0 && records != expected) {
            throw new IllegalStateException(records + " " + recordKind + "s written, begin() announced " + expected);
        }
        ByteBuffer b = buf;
        b.putInt(OFF_VERSION, VERSION);
        b.putInt(OFF_MAXCPUS, maxCpus);
        b.putInt(OFF_COUNT, records);
        b.putInt(OFF_PAD, 0);
        open = false;
        length = pos;
        if (view == null) {
            view = b.asReadOnlyBuffer().order(order);
        }
        view.clear().limit(length);
        return view;
    }

    int length() {
        return length;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buf.array(), length);
    }

    void putInt(int off, int v) {
        buf.putInt(off, v);
    }

    void putLong(int off, long v) {
        buf.putLong(off, v);
    }

    /**
     * Writes a {@code char[32]} name as {@code strlcpy} into a zeroed field does: at most 31 bytes (cut on a byte,
     * not a character, boundary, as FreeBSD does), stopping at a NUL, zero padded.
     */
    void putName(int off, String name) {
        ByteBuffer b = buf;
        int n = Math.min(name.length(), NAME_SIZE - 1);
        int i = 0;
        for (; i < n; i++) {
            char c = name.charAt(i);
            if (c >= 0x80) {
                putEncodedName(off, name);
                return;
            }
            if (c == 0) {
                break;
            }
            b.put(off + i, (byte) c);
        }
        for (; i < NAME_SIZE; i++) {
            b.put(off + i, (byte) 0);
        }
    }

    private void putEncodedName(int off, String name) {
        byte[] utf8 = nonAsciiNames.get(name);
        if (utf8 == null) {
            if (nonAsciiNames.size() >= NAME_CACHE_LIMIT) {
                nonAsciiNames.clear();
            }
            utf8 = name.getBytes(StandardCharsets.UTF_8);
            nonAsciiNames.put(name, utf8);
        }
        int n = Math.min(utf8.length, NAME_SIZE - 1);
        int i = 0;
        for (; i < n && utf8[i] != 0; i++) {
            buf.put(off + i, utf8[i]);
        }
        for (; i < NAME_SIZE; i++) {
            buf.put(off + i, (byte) 0);
        }
    }

    /** Grows the buffer to hold {@code needed} bytes, keeping the first {@code keep} bytes. */
    private void ensure(int needed, int keep) {
        if (needed <= buf.capacity()) {
            return;
        }
        int capacity = (int) Math.min(MAX_STREAM, Math.max(needed, 2L * buf.capacity()));
        ByteBuffer bigger = ByteBuffer.allocate(capacity).order(order);
        System.arraycopy(buf.array(), 0, bigger.array(), 0, keep);
        buf = bigger;
        view = null;
        highWater = keep;
    }
}
