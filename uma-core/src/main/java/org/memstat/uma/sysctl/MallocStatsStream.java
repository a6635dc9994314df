package org.memstat.uma.sysctl;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Writes FreeBSD's {@code kern.malloc_stats} stream byte for byte (reference §2): a 16-byte
 * {@code malloc_type_stream_header}, then per malloc type one 32-byte {@code malloc_type_header} and exactly
 * {@code maxcpus} 64-byte {@code malloc_type_stats} records. Native byte order by default, no trailing NUL.
 *
 * <pre>
 * malloc_type_stream_header (16 bytes)
 * +--------------+--------------+--------------+--------------+
 * | 0 version=1  | 4 maxcpus    | 8 count      | 12 pad = 0   |
 * +--------------+--------------+--------------+--------------+
 *
 * malloc_type_header (32 bytes)
 * +-----------------------------------------------------------+
 * | 0  name: char[32], at most 31 bytes, NUL, zero padded      |
 * +-----------------------------------------------------------+
 *
 * malloc_type_stats (64 bytes), maxcpus times after each malloc_type_header
 * +-----------------------------+-----------------------------+
 * | 0  memalloced (u64)         | 8  memfreed (u64)           |
 * +-----------------------------+-----------------------------+
 * | 16 numallocs (u64)          | 24 numfrees (u64)           |
 * +-----------------------------+-----------------------------+
 * | 32 size: bucket bitmask     | 40 reserved[3] = 0 (24 B)   |
 * +-----------------------------+-----------------------------+
 * </pre>
 *
 * <p>{@code mtsh_maxcpus} is the compile-time {@code MAXCPU} in FreeBSD, not {@code mp_maxid + 1}: the kernel writes
 * real records for CPUs 0..mp_maxid and zero records up to MAXCPU ({@link Writer#zeroCpus()}).
 */
public final class MallocStatsStream {
    /** {@code MALLOC_TYPE_STREAM_VERSION}. */
    public static final int VERSION = RecordStream.VERSION;
    /** Size of {@code struct malloc_type_stream_header}. */
    public static final int HEADER_SIZE = RecordStream.HEADER_SIZE;
    /** {@code MALLOC_MAX_NAME}: the name field's size, including the NUL. */
    public static final int MAX_NAME = RecordStream.NAME_SIZE;

    static final int OFF_NAME = 0;
    /** Size of {@code struct malloc_type_header}. */
    public static final int TYPE_HEADER_SIZE = OFF_NAME + MAX_NAME;

    static final int OFF_MEMALLOCED = 0;
    static final int OFF_MEMFREED = OFF_MEMALLOCED + Long.BYTES;
    static final int OFF_NUMALLOCS = OFF_MEMFREED + Long.BYTES;
    static final int OFF_NUMFREES = OFF_NUMALLOCS + Long.BYTES;
    static final int OFF_SIZE = OFF_NUMFREES + Long.BYTES;
    static final int OFF_RESERVED = OFF_SIZE + Long.BYTES;
    /** Size of {@code struct malloc_type_stats}. */
    public static final int STATS_SIZE = OFF_RESERVED + 3 * Long.BYTES;

    private MallocStatsStream() {
    }

    /**
     * Computes a stream's length.
     *
     * @param maxCpus per-CPU records per type
     * @param count   malloc types
     * @return {@code 16 + count * (32 + maxCpus * 64)}
     */
    public static long size(int maxCpus, int count) {
        return RecordStream.size(maxCpus, count, TYPE_HEADER_SIZE, STATS_SIZE);
    }

    /**
     * A reusable push-style writer: {@code begin}, then per malloc type {@code type} followed by exactly
     * {@code maxCpus} {@code cpu} calls (or {@link #zeroCpus()} for the rest), then {@code finish}. Allocation-free
     * once warm; misuse throws {@link IllegalStateException}. Not thread-safe.
     */
    public static final class Writer {
        private final RecordStream s;

        /** Creates a writer in native byte order. */
        public Writer() {
            this(ByteOrder.nativeOrder());
        }

        /**
         * Creates a writer.
         *
         * @param order the byte order of every integer
         */
        public Writer(ByteOrder order) {
            this.s = new RecordStream("type", TYPE_HEADER_SIZE, STATS_SIZE, order);
        }

        /** {@return the byte order this writer uses} */
        public ByteOrder order() {
            return s.order();
        }

        /**
         * Starts a stream of exactly {@code count} types, discarding any unfinished one.
         *
         * @param maxCpus per-CPU records per type (the {@code MAXCPU} analogue)
         * @param count   the number of types that will follow
         * @return this writer
         * @throws IllegalArgumentException if maxCpus is outside 1..16384 or count is negative
         */
        public Writer begin(int maxCpus, int count) {
            if (count < 0) {
                throw new IllegalArgumentException("negative type count " + count);
            }
            s.begin(maxCpus, count);
            return this;
        }

        /**
         * Starts a stream whose type count is taken at {@link #finish()}, discarding any unfinished one.
         *
         * @param maxCpus per-CPU records per type
         * @return this writer
         * @throws IllegalArgumentException if maxCpus is outside 1..16384
         */
        public Writer begin(int maxCpus) {
            s.begin(maxCpus, -1);
            return this;
        }

        /**
         * Writes one {@code malloc_type_header}. Must be followed by {@code maxCpus} {@link #cpu} calls.
         *
         * @param name the type's short description (cut to 31 bytes)
         * @return this writer
         * @throws IllegalStateException before begin, while the previous type lacks cpu records, or past the count
         */
        public Writer type(String name) {
            RecordStream st = s;
            st.putName(st.record() + OFF_NAME, name);
            return this;
        }

        /**
         * Writes the next {@code malloc_type_stats} of the current type.
         *
         * @param memAlloced {@code mts_memalloced}
         * @param memFreed   {@code mts_memfreed}
         * @param numAllocs  {@code mts_numallocs}
         * @param numFrees   {@code mts_numfrees}
         * @param sizeMask   {@code mts_size}: bit i set when malloc zone i served this type
         * @return this writer
         * @throws IllegalStateException before a type, or past maxCpus records
         */
        public Writer cpu(long memAlloced, long memFreed, long numAllocs, long numFrees, long sizeMask) {
            RecordStream st = s;
            int o = st.cpu();
            // The record is already zero (RecordStream.record()); idle CPUs need no store.
            if ((memAlloced | memFreed | numAllocs | numFrees | sizeMask) == 0) {
                return this;
            }
            st.putLong(o + OFF_MEMALLOCED, memAlloced);
            st.putLong(o + OFF_MEMFREED, memFreed);
            st.putLong(o + OFF_NUMALLOCS, numAllocs);
            st.putLong(o + OFF_NUMFREES, numFrees);
            st.putLong(o + OFF_SIZE, sizeMask);
            return this;
        }

        /**
         * Writes all-zero records for the current type's remaining CPUs (CPUs past {@code mp_maxid}).
         *
         * @return this writer
         * @throws IllegalStateException before a type
         */
        public Writer zeroCpus() {
            s.zeroCpus();
            return this;
        }

        /**
         * Completes the stream: writes the header and checks the record counts.
         *
         * @return a read-only view of the stream (position 0, limit = length), valid until the next {@code begin}
         * @throws IllegalStateException if a type lacks cpu records or fewer types than announced were written
         */
        public ByteBuffer finish() {
            return s.finish();
        }

        /** {@return the length of the last finished stream} */
        public int length() {
            return s.length();
        }

        /** {@return a copy of the last finished stream} */
        public byte[] toByteArray() {
            return s.toByteArray();
        }

        RecordStream stream() {
            return s;
        }
    }
}
