package org.memstat.uma.sysctl;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.memstat.uma.CpuStats;
import org.memstat.uma.ZoneStats;

/**
 * Writes FreeBSD's {@code vm.zone_stats} stream byte for byte (reference §1.1-§1.5, current field semantics): a
 * 16-byte {@code uma_stream_header}, then per zone one 120-byte {@code uma_type_header} and exactly {@code maxcpus}
 * 64-byte {@code uma_percpu_stat} records. All integers unsigned, in the writer's byte order (native by default, as
 * the kernel writes them), no trailing NUL. Total length {@code 16 + count * (120 + maxcpus * 64)}.
 *
 * <pre>
 * uma_stream_header (16 bytes)
 * +--------------+--------------+--------------+--------------+
 * | 0 version=1  | 4 maxcpus    | 8 count      | 12 pad = 0   |
 * +--------------+--------------+--------------+--------------+
 *
 * uma_type_header (120 bytes)
 * +-----------------------------------------------------------+
 * | 0   name: char[32], at most 31 bytes, NUL, zero padded     |
 * +--------------+--------------+--------------+--------------+
 * | 32 align     | 36 size      | 40 rsize     | 44 maxpages  |
 * +--------------+--------------+--------------+--------------+
 * | 48 limit     | 52 pages     | 56 keg_free  | 60 zone_free |
 * +--------------+--------------+--------------+--------------+
 * | 64 bucketsize = 0           | 68 zone_flags (1 = SECONDARY)|
 * +-----------------------------+-----------------------------+
 * | 72  allocs (u64)            | 80  frees (u64)             |
 * +-----------------------------+-----------------------------+
 * | 88  fails (u64)             | 96  sleeps (u64)            |
 * +-----------------------------+-----------------------------+
 * | 104 xdomain (u64)           | 112 reserved = 0 (u64)      |
 * +-----------------------------+-----------------------------+
 *
 * uma_percpu_stat (64 bytes), maxcpus times after each uma_type_header
 * +-----------------------------+-----------------------------+
 * | 0  allocs (u64)             | 8  frees (u64)              |
 * +-----------------------------+-----------------------------+
 * | 16 cache_free (u64)         | 24 reserved[5] = 0 (40 B)   |
 * +-----------------------------+-----------------------------+
 * </pre>
 *
 * <p>The 32-bit fields take the low 32 bits of the {@code long} arguments, as C's conversion to {@code uint32_t}
 * does. {@code uth_bucketsize} is always 0, as FreeBSD never assigns it.
 *
 * <p>Use a {@link Writer} (push style, allocation-free once warm) from the allocator, or {@link #write(int, List)}
 * for snapshot records.
 */
public final class ZoneStatsStream {
    /** {@code UMA_STREAM_VERSION}. */
    public static final int VERSION = RecordStream.VERSION;
    /** Size of {@code struct uma_stream_header}. */
    public static final int HEADER_SIZE = RecordStream.HEADER_SIZE;
    /** {@code UTH_MAX_NAME}: the name field's size, including the NUL. */
    public static final int MAX_NAME = RecordStream.NAME_SIZE;
    /** {@code UTH_ZONE_SECONDARY}: the zone is a secondary zone, not first on its keg. */
    public static final int ZONE_SECONDARY = 0x1;

    static final int OFF_NAME = 0;
    static final int OFF_ALIGN = OFF_NAME + MAX_NAME;
    static final int OFF_SIZE = OFF_ALIGN + Integer.BYTES;
    static final int OFF_RSIZE = OFF_SIZE + Integer.BYTES;
    static final int OFF_MAXPAGES = OFF_RSIZE + Integer.BYTES;
    static final int OFF_LIMIT = OFF_MAXPAGES + Integer.BYTES;
    static final int OFF_PAGES = OFF_LIMIT + Integer.BYTES;
    static final int OFF_KEG_FREE = OFF_PAGES + Integer.BYTES;
    static final int OFF_ZONE_FREE = OFF_KEG_FREE + Integer.BYTES;
    static final int OFF_BUCKETSIZE = OFF_ZONE_FREE + Integer.BYTES;
    static final int OFF_ZONE_FLAGS = OFF_BUCKETSIZE + Integer.BYTES;
    static final int OFF_ALLOCS = OFF_ZONE_FLAGS + Integer.BYTES;
    static final int OFF_FREES = OFF_ALLOCS + Long.BYTES;
    static final int OFF_FAILS = OFF_FREES + Long.BYTES;
    static final int OFF_SLEEPS = OFF_FAILS + Long.BYTES;
    static final int OFF_XDOMAIN = OFF_SLEEPS + Long.BYTES;
    static final int OFF_RESERVED1 = OFF_XDOMAIN + Long.BYTES;
    /** Size of {@code struct uma_type_header}. */
    public static final int TYPE_HEADER_SIZE = OFF_RESERVED1 + Long.BYTES;

    static final int OFF_UPS_ALLOCS = 0;
    static final int OFF_UPS_FREES = OFF_UPS_ALLOCS + Long.BYTES;
    static final int OFF_UPS_CACHE_FREE = OFF_UPS_FREES + Long.BYTES;
    static final int OFF_UPS_RESERVED = OFF_UPS_CACHE_FREE + Long.BYTES;
    /** Size of {@code struct uma_percpu_stat}. */
    public static final int PERCPU_SIZE = OFF_UPS_RESERVED + 5 * Long.BYTES;

    private ZoneStatsStream() {
    }

    /**
     * Computes a stream's length.
     *
     * @param maxCpus per-CPU records per zone
     * @param count   zones
     * @return {@code 16 + count * (120 + maxCpus * 64)}
     */
    public static long size(int maxCpus, int count) {
        return RecordStream.size(maxCpus, count, TYPE_HEADER_SIZE, PERCPU_SIZE);
    }

    /**
     * Writes snapshot records as a stream in native byte order.
     *
     * @param maxCpus per-CPU records per zone; every record must carry exactly this many
     * @param zones   the zones, in stream order
     * @return the stream
     * @throws IllegalArgumentException if a record's per-CPU list has another length
     */
    public static byte[] write(int maxCpus, List<ZoneStats> zones) {
        return write(maxCpus, zones, ByteOrder.nativeOrder());
    }

    /**
     * Writes snapshot records as a stream in the given byte order.
     *
     * @param maxCpus per-CPU records per zone; every record must carry exactly this many
     * @param zones   the zones, in stream order
     * @param order   the byte order of every integer
     * @return the stream
     * @throws IllegalArgumentException if a record's per-CPU list has another length
     */
    public static byte[] write(int maxCpus, List<ZoneStats> zones, ByteOrder order) {
        for (ZoneStats z : zones) {
            if (z.perCpu().size() != maxCpus) {
                throw new IllegalArgumentException("zone " + z.name() + " has " + z.perCpu().size()
                        + " per-CPU records, maxCpus is " + maxCpus);
            }
        }
        Writer w = new Writer(order).begin(maxCpus, zones.size());
        for (ZoneStats z : zones) {
            w.zone(z.name(), z.align(), z.size(), z.rsize(), z.maxPages(), z.limit(), z.pages(), z.kegFree(),
                    z.zoneFree(), z.secondary(), z.allocs(), z.frees(), z.fails(), z.sleeps(), z.xdomain());
            for (CpuStats c : z.perCpu()) {
                w.cpu(c.allocs(), c.frees(), c.cacheFree());
            }
        }
        w.finish();
        return w.toByteArray();
    }

    /**
     * A reusable push-style writer: {@code begin}, then per zone {@code zone} followed by its {@code maxCpus}
     * per-CPU records in CPU order, then {@code finish}. The records come from {@link #cpu} (the next CPU),
     * {@link #cpuAt} (a given CPU; the CPUs skipped are all-zero) and {@link #zeroCpus()} (all-zero for the rest), in
     * any mix. Once its buffer has grown to the stream's size, writing allocates nothing; all-zero records cost
     * nothing beyond one bulk fill per zone. Misuse (wrong number of records) throws {@link IllegalStateException}.
     *
     * <p>Not thread-safe: use one writer per thread, or a pool.
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
         * @param order the byte order of every integer (native for a faithful {@code vm.zone_stats})
         */
        public Writer(ByteOrder order) {
            this.s = new RecordStream("zone", TYPE_HEADER_SIZE, PERCPU_SIZE, order);
        }

        /** {@return the byte order this writer uses} */
        public ByteOrder order() {
            return s.order();
        }

        /**
         * Starts a stream of exactly {@code count} zones, discarding any unfinished one.
         *
         * @param maxCpus per-CPU records per zone ({@code mp_maxid + 1})
         * @param count   the number of zones that will follow
         * @return this writer
         * @throws IllegalArgumentException if maxCpus is outside 1..16384 or count is negative
         */
        public Writer begin(int maxCpus, int count) {
            if (count < 0) {
                throw new IllegalArgumentException("negative zone count " + count);
            }
            s.begin(maxCpus, count);
            return this;
        }

        /**
         * Starts a stream whose zone count is taken at {@link #finish()} (useful when zones may be created while the
         * stream is written), discarding any unfinished one.
         *
         * @param maxCpus per-CPU records per zone
         * @return this writer
         * @throws IllegalArgumentException if maxCpus is outside 1..16384
         */
        public Writer begin(int maxCpus) {
            s.begin(maxCpus, -1);
            return this;
        }

        /**
         * Writes one {@code uma_type_header}. Must be followed by {@code maxCpus} {@link #cpu} calls.
         *
         * @param name      zone name (cut to 31 bytes)
         * @param align     {@code uth_align}
         * @param size      {@code uth_size}
         * @param rsize     {@code uth_rsize}
         * @param maxPages  {@code uth_maxpages} (low 32 bits)
         * @param limit     {@code uth_limit} (low 32 bits)
         * @param pages     {@code uth_pages} (low 32 bits)
         * @param kegFree   {@code uth_keg_free} (low 32 bits)
         * @param zoneFree  {@code uth_zone_free} (low 32 bits)
         * @param secondary sets {@code UTH_ZONE_SECONDARY}
         * @param allocs    {@code uth_allocs}
         * @param frees     {@code uth_frees}
         * @param fails     {@code uth_fails}
         * @param sleeps    {@code uth_sleeps}
         * @param xdomain   {@code uth_xdomain}
         * @return this writer
         * @throws IllegalStateException before begin, while the previous zone lacks cpu records, or past the count
         */
        public Writer zone(String name, int align, int size, int rsize, long maxPages, long limit, long pages,
                           long kegFree, long zoneFree, boolean secondary, long allocs, long frees, long fails,
                           long sleeps, long xdomain) {
            RecordStream st = s;
            int o = st.record();
            st.putName(o + OFF_NAME, name);
            st.putInt(o + OFF_ALIGN, align);
            st.putInt(o + OFF_SIZE, size);
            st.putInt(o + OFF_RSIZE, rsize);
            st.putInt(o + OFF_MAXPAGES, (int) maxPages);
            st.putInt(o + OFF_LIMIT, (int) limit);
            st.putInt(o + OFF_PAGES, (int) pages);
            st.putInt(o + OFF_KEG_FREE, (int) kegFree);
            st.putInt(o + OFF_ZONE_FREE, (int) zoneFree);
            // uth_bucketsize and _uth_reserved1 stay as record() zero-filled them.
            st.putInt(o + OFF_ZONE_FLAGS, secondary ? ZONE_SECONDARY : 0);
            st.putLong(o + OFF_ALLOCS, allocs);
            st.putLong(o + OFF_FREES, frees);
            st.putLong(o + OFF_FAILS, fails);
            st.putLong(o + OFF_SLEEPS, sleeps);
            st.putLong(o + OFF_XDOMAIN, xdomain);
            return this;
        }

        /**
         * Writes the next {@code uma_percpu_stat} of the current zone.
         *
         * @param allocs    {@code ups_allocs}
         * @param frees     {@code ups_frees}
         * @param cacheFree {@code ups_cache_free}
         * @return this writer
         * @throws IllegalStateException before a zone, or past maxCpus records
         */
        public Writer cpu(long allocs, long frees, long cacheFree) {
            put(s.cpu(), allocs, frees, cacheFree);
            return this;
        }

        /**
         * Writes the current zone's {@code uma_percpu_stat} for CPU {@code cpu}; the CPUs between the previous
         * record and this one get all-zero records. Lets a producer visit only the CPUs it has numbers for.
         *
         * @param cpu       the CPU index, above every CPU already written for this zone and below maxCpus
         * @param allocs    {@code ups_allocs}
         * @param frees     {@code ups_frees}
         * @param cacheFree {@code ups_cache_free}
         * @return this writer
         * @throws IllegalStateException before a zone, or if {@code cpu} is out of order or not below maxCpus
         */
        public Writer cpuAt(int cpu, long allocs, long frees, long cacheFree) {
            put(s.cpuAt(cpu), allocs, frees, cacheFree);
            return this;
        }

        private void put(int o, long allocs, long frees, long cacheFree) {
            // The record is already zero (RecordStream.record()); idle CPUs, the common case, need no store.
            if ((allocs | frees | cacheFree) != 0) {
                RecordStream st = s;
                st.putLong(o + OFF_UPS_ALLOCS, allocs);
                st.putLong(o + OFF_UPS_FREES, frees);
                st.putLong(o + OFF_UPS_CACHE_FREE, cacheFree);
            }
        }

        /**
         * Writes all-zero records for the current zone's remaining CPUs, as the kernel does for absent CPUs and
         * internal zones.
         *
         * @return this writer
         * @throws IllegalStateException before a zone
         */
        public Writer zeroCpus() {
            s.zeroCpus();
            return this;
        }

        /**
         * Completes the stream: writes the header and checks the record counts.
         *
         * @return a read-only view of the stream (position 0, limit = length, this writer's order), valid until the
         *         next {@code begin}
         * @throws IllegalStateException if a zone lacks cpu records or fewer zones than announced were written
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
