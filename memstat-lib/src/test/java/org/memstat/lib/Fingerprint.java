package org.memstat.lib;

/**
 * A 64-bit digest of everything a caller can observe in a list: order, identity of each type, every statistic,
 * every per-CPU value and the malloc zone table. Equal before and after means "exactly as it was".
 */
final class Fingerprint {
    private Fingerprint() {
    }

    static long of(MemoryTypeList list) {
        long h = mix(1, list.size());
        h = mix(h, list.mallocZoneCount());
        for (int n = 0; n < 32; n++) {
            h = mix(h, list.mallocZoneSize(n));
        }
        for (MemoryType t : list) {
            h = mix(h, System.identityHashCode(t));
            h = mix(h, t.allocator().code());
            h = mix(h, t.name().hashCode());
            long[] fields = {t.countLimit(), t.bytesLimit(), t.sizeMask(), t.size(), t.rsize(), t.memAlloced(),
                t.memFreed(), t.numAllocs(), t.numFrees(), t.bytes(), t.count(), t.free(), t.failures(), t.sleeps(),
                t.xdomain(), t.zoneFree(), t.kegFree(), t.cpuCount()};
            for (long f : fields) {
                h = mix(h, f);
            }
            for (int c = 0; c < t.cpuCount(); c++) {
                h = mix(h, t.percpuMemAlloced(c));
                h = mix(h, t.percpuMemFreed(c));
                h = mix(h, t.percpuNumAllocs(c));
                h = mix(h, t.percpuNumFrees(c));
                h = mix(h, t.percpuSizeMask(c));
                h = mix(h, t.percpuFree(c));
            }
        }
        return h;
    }

    private static long mix(long h, long v) {
        long x = (h ^ v) * 0x9E37_79B9_7F4A_7C15L;
        return x ^ (x >>> 29);
    }
}
