package org.memstat.lib;

import static org.memstat.lib.MemoryType.PC_FREE;
import static org.memstat.lib.MemoryType.PC_MEMALLOCED;
import static org.memstat.lib.MemoryType.PC_MEMFREED;
import static org.memstat.lib.MemoryType.PC_NUMALLOCS;
import static org.memstat.lib.MemoryType.PC_NUMFREES;
import static org.memstat.lib.MemoryType.PC_SIZEMASK;
import static org.memstat.lib.MemoryType.PC_STRIDE;
import static org.memstat.lib.StreamLayout.MTS_MEMALLOCED;
import static org.memstat.lib.StreamLayout.MTS_MEMFREED;
import static org.memstat.lib.StreamLayout.MTS_NUMALLOCS;
import static org.memstat.lib.StreamLayout.MTS_NUMFREES;
import static org.memstat.lib.StreamLayout.MTS_SIZE;
import static org.memstat.lib.StreamLayout.UPS_ALLOCS;
import static org.memstat.lib.StreamLayout.UPS_CACHE_FREE;
import static org.memstat.lib.StreamLayout.UPS_FREES;
import static org.memstat.lib.StreamLayout.UTH_ALLOCS;
import static org.memstat.lib.StreamLayout.UTH_FAILS;
import static org.memstat.lib.StreamLayout.UTH_FREES;
import static org.memstat.lib.StreamLayout.UTH_KEG_FREE;
import static org.memstat.lib.StreamLayout.UTH_LIMIT;
import static org.memstat.lib.StreamLayout.UTH_RSIZE;
import static org.memstat.lib.StreamLayout.UTH_SIZE;
import static org.memstat.lib.StreamLayout.UTH_SLEEPS;
import static org.memstat.lib.StreamLayout.UTH_XDOMAIN;
import static org.memstat.lib.StreamLayout.UTH_ZONE_FLAGS;
import static org.memstat.lib.StreamLayout.UTH_ZONE_FREE;
import static org.memstat.lib.StreamLayout.UTH_ZONE_SECONDARY;

/**
 * Fills one {@link MemoryType} from one validated record, exactly as libmemstat derives each field. All sums
 * wrap modulo 2^64 as C's {@code uint64_t} does.
 */
final class Decoder {
    private Decoder() {
    }

    /** {@code memstat_sysctl_uma}'s per-zone step (reference §3.4 step 7). */
    static void uma(StreamView v, int off, MemoryType t) {
        int cpus = v.maxCpus;
        t.resetStats(cpus);
        long numAllocs = v.u64(off + UTH_ALLOCS);
        long numFrees = v.u64(off + UTH_FREES);
        long free = 0;
        long[] pc = t.perCpu;
        for (int j = 0; j < cpus; j++) {
            int c = v.cpuOffset(off, j);
            long cacheFree = v.u64(c + UPS_CACHE_FREE);
            pc[j * PC_STRIDE + PC_FREE] = cacheFree;
            free += cacheFree;
            numAllocs += v.u64(c + UPS_ALLOCS);
            numFrees += v.u64(c + UPS_FREES);
        }
        // counter(9) snapshots are not atomic, so frees may overtake allocs; libmemstat raises allocs to match.
        if (Long.compareUnsigned(numAllocs, numFrees) < 0) {
            numAllocs = numFrees;
        }
        long size = v.u32(off + UTH_SIZE);
        long limit = v.u32(off + UTH_LIMIT);
        t.numAllocs = numAllocs;
        t.numFrees = numFrees;
        t.failures = v.u64(off + UTH_FAILS);
        t.sleeps = v.u64(off + UTH_SLEEPS);
        t.xdomain = v.u64(off + UTH_XDOMAIN);
        t.size = size;
        t.rsize = v.u32(off + UTH_RSIZE);
        t.memAlloced = numAllocs * size;
        t.memFreed = numFrees * size;
        t.bytes = t.memAlloced - t.memFreed;
        t.countLimit = limit;
        // Both C operands are uint32_t, so FreeBSD multiplies modulo 2^32 before widening.
        t.bytesLimit = (limit * size) & 0xFFFF_FFFFL;
        t.count = numAllocs - numFrees;
        t.zoneFree = v.u32(off + UTH_ZONE_FREE);
        // A secondary zone shares its primary's keg; counting the keg's free items once avoids double counting.
        if ((v.u32(off + UTH_ZONE_FLAGS) & UTH_ZONE_SECONDARY) == 0) {
            t.kegFree = v.u32(off + UTH_KEG_FREE);
            free += t.kegFree;
        }
        t.free = free + t.zoneFree;
    }

    /** {@code memstat_sysctl_malloc}'s per-type step (reference §3.5 step 5); no clamp, as in libmemstat. */
    static void malloc(StreamView v, int off, MemoryType t) {
        int cpus = v.maxCpus;
        t.resetStats(cpus);
        long memAlloced = 0;
        long memFreed = 0;
        long numAllocs = 0;
        long numFrees = 0;
        long sizeMask = 0;
        long[] pc = t.perCpu;
        for (int j = 0; j < cpus; j++) {
            int c = v.cpuOffset(off, j);
            int p = j * PC_STRIDE;
            pc[p + PC_MEMALLOCED] = v.u64(c + MTS_MEMALLOCED);
            pc[p + PC_MEMFREED] = v.u64(c + MTS_MEMFREED);
            pc[p + PC_NUMALLOCS] = v.u64(c + MTS_NUMALLOCS);
            pc[p + PC_NUMFREES] = v.u64(c + MTS_NUMFREES);
            pc[p + PC_SIZEMASK] = v.u64(c + MTS_SIZE);
            memAlloced += pc[p + PC_MEMALLOCED];
            memFreed += pc[p + PC_MEMFREED];
            numAllocs += pc[p + PC_NUMALLOCS];
            numFrees += pc[p + PC_NUMFREES];
            sizeMask |= pc[p + PC_SIZEMASK];
        }
        t.memAlloced = memAlloced;
        t.memFreed = memFreed;
        t.numAllocs = numAllocs;
        t.numFrees = numFrees;
        t.sizeMask = sizeMask;
        t.bytes = memAlloced - memFreed;
        t.count = numAllocs - numFrees;
    }
}
