package org.memstat.uma.sysctl;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Builds expected streams field by field at the offsets of the reference tables (freebsd-uma.md §1.2-§1.4, §2),
 * typed here as literal numbers and written with shifts, independently of the writer's constants and buffers.
 */
final class GoldenStreams {
    private GoldenStreams() {
    }

    /** One zone as the test describes it; names must be ASCII. */
    record Zone(String name, long align, long size, long rsize, long maxPages, long limit, long pages,
                long kegFree, long zoneFree, long flags, long allocs, long frees, long fails, long sleeps,
                long xdomain, List<long[]> cpus) {
    }

    /** One malloc type; each cpu is {memalloced, memfreed, numallocs, numfrees, size}, null for an all-zero one. */
    record MallocType(String name, List<long[]> cpus) {
    }

    static byte[] zoneStream(boolean littleEndian, int maxCpus, List<Zone> zones) {
        int recordSize = 120 + maxCpus * 64;
        byte[] b = new byte[16 + zones.size() * recordSize];
        Fields f = new Fields(b, littleEndian);
        f.u32(0, 1);
        f.u32(4, maxCpus);
        f.u32(8, zones.size());
        f.u32(12, 0);
        for (int i = 0; i < zones.size(); i++) {
            Zone z = zones.get(i);
            int r = 16 + i * recordSize;
            f.name(r, z.name());
            f.u32(r + 32, z.align());
            f.u32(r + 36, z.size());
            f.u32(r + 40, z.rsize());
            f.u32(r + 44, z.maxPages());
            f.u32(r + 48, z.limit());
            f.u32(r + 52, z.pages());
            f.u32(r + 56, z.kegFree());
            f.u32(r + 60, z.zoneFree());
            f.u32(r + 64, 0);
            f.u32(r + 68, z.flags());
            f.u64(r + 72, z.allocs());
            f.u64(r + 80, z.frees());
            f.u64(r + 88, z.fails());
            f.u64(r + 96, z.sleeps());
            f.u64(r + 104, z.xdomain());
            for (int c = 0; c < maxCpus; c++) {
                long[] cpu = z.cpus().get(c);
                int p = r + 120 + c * 64;
                if (cpu != null) {
                    f.u64(p, cpu[0]);
                    f.u64(p + 8, cpu[1]);
                    f.u64(p + 16, cpu[2]);
                }
            }
        }
        return b;
    }

    static byte[] mallocStream(boolean littleEndian, int maxCpus, List<MallocType> types) {
        int recordSize = 32 + maxCpus * 64;
        byte[] b = new byte[16 + types.size() * recordSize];
        Fields f = new Fields(b, littleEndian);
        f.u32(0, 1);
        f.u32(4, maxCpus);
        f.u32(8, types.size());
        for (int i = 0; i < types.size(); i++) {
            MallocType t = types.get(i);
            int r = 16 + i * recordSize;
            f.name(r, t.name());
            for (int c = 0; c < maxCpus; c++) {
                long[] cpu = t.cpus().get(c);
                int p = r + 32 + c * 64;
                if (cpu != null) {
                    for (int k = 0; k < 5; k++) {
                        f.u64(p + 8 * k, cpu[k]);
                    }
                }
            }
        }
        return b;
    }

    private record Fields(byte[] b, boolean le) {
        void u32(int off, long v) {
            put(off, v, 4);
        }

        void u64(int off, long v) {
            put(off, v, 8);
        }

        private void put(int off, long v, int width) {
            for (int i = 0; i < width; i++) {
                byte x = (byte) (v >>> (8 * i));
                b[le ? off + i : off + width - 1 - i] = x;
            }
        }

        void name(int off, String name) {
            byte[] ascii = name.getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(ascii, 0, b, off, Math.min(31, ascii.length));
        }
    }
}
