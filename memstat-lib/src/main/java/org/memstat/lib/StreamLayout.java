package org.memstat.lib;

/**
 * Byte layouts of FreeBSD's statistics streams, version 1 (reference §1.2-§1.4 and §2). Every offset is derived
 * from the previous one; all integers are unsigned and in the producer's native byte order.
 *
 * <pre>
 * stream header (both streams, 16 bytes)
 *   0        4         8       12      16
 *   +--------+---------+-------+-------+
 *   |version | maxcpus | count |  pad  |
 *   +--------+---------+-------+-------+
 *
 * vm.zone_stats = header, then count x ( uma_type_header (120) , maxcpus x uma_percpu_stat (64) )
 *
 * uma_type_header (120 bytes)
 *   0                   32    36   40    44       48    52    56       60        64         68         72
 *   +-------------------+-----+----+-----+--------+-----+-----+--------+---------+----------+----------+
 *   | name[32], NUL-ter.|align|size|rsize|maxpages|limit|pages|keg_free|zone_free|bucketsize|zone_flags|
 *   +-------------------+-----+----+-----+--------+-----+-----+--------+---------+----------+----------+
 *   72       80      88      96       104       112         120
 *   +--------+-------+-------+--------+---------+-----------+
 *   | allocs | frees | fails | sleeps | xdomain | reserved  |   (u64 each)
 *   +--------+-------+-------+--------+---------+-----------+
 *
 * uma_percpu_stat (64 bytes)
 *   0        8       16           24                 64
 *   +--------+-------+------------+------------------+
 *   | allocs | frees | cache_free | reserved[5]      |
 *   +--------+-------+------------+------------------+
 *
 * kern.malloc_stats = header, then count x ( malloc_type_header (32) , maxcpus x malloc_type_stats (64) )
 *
 * malloc_type_header (32 bytes): name[32], NUL-terminated
 *
 * malloc_type_stats (64 bytes)
 *   0            8           16          24         32     40               64
 *   +------------+-----------+-----------+----------+------+----------------+
 *   | memalloced | memfreed  | numallocs | numfrees | size | reserved[3]    |
 *   +------------+-----------+-----------+----------+------+----------------+
 * </pre>
 */
final class StreamLayout {
    private StreamLayout() {
    }

    static final int U32 = 4;
    static final int U64 = 8;

    /** {@code UMA_STREAM_VERSION} and {@code MALLOC_TYPE_STREAM_VERSION}. */
    static final int STREAM_VERSION = 1;
    /** The version word as a little-endian reader sees a big-endian producer's 1. */
    static final int STREAM_VERSION_SWAPPED = Integer.reverseBytes(STREAM_VERSION);
    /** {@code UTH_MAX_NAME} and {@code MALLOC_MAX_NAME}. */
    static final int MAX_NAME = 32;
    /** {@code UTH_ZONE_SECONDARY}. */
    static final int UTH_ZONE_SECONDARY = 0x0000_0001;
    /** Our sanity bound on a stream's maxcpus (FreeBSD's largest MAXCPU today is 1024). */
    static final int MAX_CPUS = 4096;

    static final int SH_VERSION = 0;
    static final int SH_MAXCPUS = SH_VERSION + U32;
    static final int SH_COUNT = SH_MAXCPUS + U32;
    static final int SH_PAD = SH_COUNT + U32;
    static final int SH_BYTES = SH_PAD + U32;

    static final int UTH_NAME = 0;
    static final int UTH_ALIGN = UTH_NAME + MAX_NAME;
    static final int UTH_SIZE = UTH_ALIGN + U32;
    static final int UTH_RSIZE = UTH_SIZE + U32;
    static final int UTH_MAXPAGES = UTH_RSIZE + U32;
    static final int UTH_LIMIT = UTH_MAXPAGES + U32;
    static final int UTH_PAGES = UTH_LIMIT + U32;
    static final int UTH_KEG_FREE = UTH_PAGES + U32;
    static final int UTH_ZONE_FREE = UTH_KEG_FREE + U32;
    static final int UTH_BUCKETSIZE = UTH_ZONE_FREE + U32;
    static final int UTH_ZONE_FLAGS = UTH_BUCKETSIZE + U32;
    static final int UTH_ALLOCS = UTH_ZONE_FLAGS + U32;
    static final int UTH_FREES = UTH_ALLOCS + U64;
    static final int UTH_FAILS = UTH_FREES + U64;
    static final int UTH_SLEEPS = UTH_FAILS + U64;
    static final int UTH_XDOMAIN = UTH_SLEEPS + U64;
    static final int UTH_RESERVED = UTH_XDOMAIN + U64;
    static final int UTH_BYTES = UTH_RESERVED + U64;

    static final int UPS_ALLOCS = 0;
    static final int UPS_FREES = UPS_ALLOCS + U64;
    static final int UPS_CACHE_FREE = UPS_FREES + U64;
    static final int UPS_RESERVED = UPS_CACHE_FREE + U64;
    static final int UPS_BYTES = UPS_RESERVED + 5 * U64;

    static final int MTH_NAME = 0;
    static final int MTH_BYTES = MTH_NAME + MAX_NAME;

    static final int MTS_MEMALLOCED = 0;
    static final int MTS_MEMFREED = MTS_MEMALLOCED + U64;
    static final int MTS_NUMALLOCS = MTS_MEMFREED + U64;
    static final int MTS_NUMFREES = MTS_NUMALLOCS + U64;
    static final int MTS_SIZE = MTS_NUMFREES + U64;
    static final int MTS_RESERVED = MTS_SIZE + U64;
    static final int MTS_BYTES = MTS_RESERVED + 3 * U64;
}
