package org.memstat.uma.sysctl;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
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
 * <p><b>Destination.</b> A stream goes into the stream's own reusable heap buffer, or, after
 * {@link #target(ByteBuffer)}, straight into a caller's buffer (as FreeBSD's {@code sbuf_new_for_sysctl} streams
 * into the user's buffer), so a sysctl read touches each byte once. A caller buffer that turns out too small stops
 * the stream with {@link #OVERFLOW} before anything is written past its limit.
 *
 * <p><b>Speed.</b> Each record is zero-filled in bulk when it is opened, so reserved fields, name padding and
 * all-zero per-CPU records (most CPUs of most zones) cost no stores of their own; writers store only non-zero
 * fields. Not thread-safe: one stream at a time.
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
    /** Thrown (preallocated, no stack trace) when a record would not fit a caller's buffer. */
    static final Overflow OVERFLOW = new Overflow();

    private static final int MAX_STREAM = Integer.MAX_VALUE - 64;
    private static final int NAME_CACHE_LIMIT = 256;
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED;
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED;
    /** Zero source for record fills: copying from an L1-resident block allocates nothing, unlike a slice fill. */
    private static final int ZERO_CHUNK = 4096;
    private static final int INITIAL_OWN = 4096;
    /** Own buffers up to this size are kept whatever the streams; larger ones shrink back ({@link #shrinkOwn}). */
    private static final int SHRINK_ABOVE = 64 << 10;
    private static final MemorySegment ZEROS = MemorySegment.ofArray(new byte[ZERO_CHUNK]);

    private final String recordKind;
    private final int recordHeaderSize;
    private final int cpuSize;
    private final ByteOrder order;
    /** Whether integers are byte-swapped from native order; the layouts are native so they stay constants. */
    private final boolean swap;
    private final HashMap<String, byte[]> nonAsciiNames = new HashMap<>();

    private ByteBuffer own;
    private MemorySegment ownSeg;
    private ByteBuffer view;
    /** Where the current stream goes: {@link #ownSeg}, or the caller's buffer from its position to its limit. */
    private MemorySegment seg;
    private boolean direct;

    private boolean open;
    private int maxCpus;
    private int expected;
    private int records;
    private int recordSize;
    private int cpusLeft;
    private int pos;
    private int length;
    /** The length of the last stream finished in the own buffer, to tell when the buffer is far too large. */
    private int lastOwnLength;

    RecordStream(String recordKind, int recordHeaderSize, int cpuSize, ByteOrder order) {
        this.recordKind = recordKind;
        this.recordHeaderSize = recordHeaderSize;
        this.cpuSize = cpuSize;
        this.order = order;
        this.swap = order != ByteOrder.nativeOrder();
        useOwn(ByteBuffer.allocate(INITIAL_OWN).order(order));
        this.seg = ownSeg;
    }

    ByteOrder order() {
        return order;
    }

    static long size(int maxCpus, long count, int recordHeaderSize, int cpuSize) {
        return HEADER_SIZE + count * (recordHeaderSize + (long) maxCpus * cpuSize);
    }

    /**
     * Sends the following streams into {@code dst}, from its position to its limit (its position is not moved and
     * its own byte order is ignored), or back into the own buffer for {@code null}. Finish such a stream with
     * {@link #complete()}; the own buffer's last stream is forgotten.
     */
    void target(ByteBuffer dst) {
        open = false;
        length = 0;
        if (dst == null) {
            seg = ownSeg;
            direct = false;
            return;
        }
        if (dst.isReadOnly()) {
            throw new IllegalArgumentException("read-only destination");
        }
        seg = MemorySegment.ofBuffer(dst);
        direct = true;
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
        this.open = false;
        if (!direct) {
            shrinkOwn((int) total);
        }
        ensure((int) total, 0);
        this.maxCpus = maxCpus;
        this.expected = count;
        this.recordSize = recordHeaderSize + maxCpus * cpuSize;
        this.records = 0;
        this.cpusLeft = 0;
        this.pos = HEADER_SIZE;
        this.open = true;
    }

    /** Opens the next record, all zero; returns the offset of its record header. */
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
        zero(off, recordSize);
        pos = off + recordSize;
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

    /** Returns the offset of per-CPU record {@code index}; the records skipped since the last one stay zero. */
    int cpuAt(int index) {
        int next = maxCpus - cpusLeft;
        if (cpusLeft == 0 || index < next || index >= maxCpus) {
            throw new IllegalStateException(cpusLeft == 0 && !(open && records > 0)
                    ? "cpuAt() before " + recordKind + "()"
                    : "cpuAt(" + index + ") for " + recordKind + " " + (records - 1) + ": next free cpu is " + next
                            + " of maxCpus=" + maxCpus);
        }
        cpusLeft = maxCpus - index - 1;
        return pos - (cpusLeft + 1) * cpuSize;
    }

    /** Leaves the remaining per-CPU records of the open record zero (absent CPUs, internal zones). */
    void zeroCpus() {
        if (!open || records == 0) {
            throw new IllegalStateException("zeroCpus() before " + recordKind + "()");
        }
        cpusLeft = 0;
    }

    /** Checks the record counts, writes the stream header and returns the stream's length. */
    int complete() {
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
        putInt(OFF_VERSION, VERSION);
        putInt(OFF_MAXCPUS, maxCpus);
        putInt(OFF_COUNT, records);
        putInt(OFF_PAD, 0);
        open = false;
        length = pos;
        return length;
    }

    /** Completes a stream written into the own buffer and returns a read-only view of it. */
    ByteBuffer finish() {
        if (direct) {
            throw new IllegalStateException("the stream went into a caller's buffer");
        }
        complete();
        lastOwnLength = length;
        if (view == null) {
            view = own.asReadOnlyBuffer().order(order);
        }
        view.clear().limit(length);
        return view;
    }

    int length() {
        return length;
    }

    /** The own buffer's capacity, for tests. */
    int ownCapacity() {
        return own.capacity();
    }

    /** A copy of the last stream finished in the own buffer (empty once a caller's buffer was targeted). */
    byte[] toByteArray() {
        return Arrays.copyOf(own.array(), direct ? 0 : length);
    }

    void putInt(int off, int v) {
        seg.set(INT, off, swap ? Integer.reverseBytes(v) : v);
    }

    void putLong(int off, long v) {
        seg.set(LONG, off, swap ? Long.reverseBytes(v) : v);
    }

    /**
     * Writes a {@code char[32]} name as {@code strlcpy} into a zeroed field does: at most 31 bytes (cut on a byte,
     * not a character, boundary, as FreeBSD does), stopping at a NUL. The padding is already zero (see
     * {@link #record()}).
     */
    void putName(int off, String name) {
        MemorySegment s = seg;
        int n = Math.min(name.length(), NAME_SIZE - 1);
        for (int i = 0; i < n; i++) {
            char c = name.charAt(i);
            if (c >= 0x80) {
                putEncodedName(off, name);
                return;
            }
            if (c == 0) {
                return;
            }
            s.set(ValueLayout.JAVA_BYTE, off + i, (byte) c);
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
        for (int i = 0; i < n && utf8[i] != 0; i++) {
            seg.set(ValueLayout.JAVA_BYTE, off + i, utf8[i]);
        }
    }

    private void zero(long off, long len) {
        MemorySegment s = seg;
        while (len > 0) {
            long n = Math.min(len, ZERO_CHUNK);
            MemorySegment.copy(ZEROS, 0, s, off, n);
            off += n;
            len -= n;
        }
    }

    /**
     * Makes room for {@code needed} bytes: grows the own buffer keeping its first {@code keep} bytes, or, for a
     * caller's buffer, stops the stream with {@link #OVERFLOW} having written nothing past its limit.
     */
    private void ensure(int needed, int keep) {
        if (needed <= seg.byteSize()) {
            return;
        }
        if (direct) {
            throw OVERFLOW;
        }
        int capacity = (int) Math.min(MAX_STREAM, Math.max(needed, 2L * own.capacity()));
        ByteBuffer bigger = ByteBuffer.allocate(capacity).order(order);
        System.arraycopy(own.array(), 0, bigger.array(), 0, keep);
        useOwn(bigger);
        seg = ownSeg;
    }

    /**
     * Gives back an own buffer that grew for a stream far larger than the last one and the next: one read of
     * 10,000 zones x 64 CPUs must not pin 64 MiB in every pooled writer after those zones are gone. The buffer
     * shrinks to twice what is needed now, so a stream that keeps its size never reallocates.
     */
    private void shrinkOwn(int needed) {
        long recent = Math.max(needed, lastOwnLength);
        if (own.capacity() > SHRINK_ABOVE && own.capacity() > 4 * recent) {
            useOwn(ByteBuffer.allocate((int) Math.max(INITIAL_OWN, 2 * recent)).order(order));
            seg = ownSeg;
        }
    }

    private void useOwn(ByteBuffer b) {
        own = b;
        ownSeg = MemorySegment.ofArray(b.array());
        view = null;
    }

    /** A caller's buffer cannot hold the stream; the partial stream in it is garbage. */
    static final class Overflow extends RuntimeException {
        private static final long serialVersionUID = 1L;

        private Overflow() {
            super("stream does not fit the destination buffer", null, false, false);
        }
    }
}
