package org.memstat.lib;

import static org.memstat.lib.StreamLayout.MAX_NAME;
import static org.memstat.lib.StreamLayout.U32;
import static org.memstat.lib.StreamLayout.U64;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code vm.zone_peaks} stream, version 1 (docs/PROFILES.md): its layout and its decoder. Every offset is
 * derived from the previous one; integers are in the producer's native byte order, which the version word
 * reveals; u64 fields must fit a Java {@code long}.
 *
 * <pre>
 * header (24 bytes)
 *   0         4         8                  16             24
 *   +---------+---------+------------------+--------------+
 *   | version | nzones  | pages_peak (u64) | pages (u64)  |
 *   +---------+---------+------------------+--------------+
 *
 * zone record: nzones x (48 bytes)
 *   0                              32                     40                48
 *   +------------------------------+----------------------+-----------------+
 *   | name[32], NUL-terminated     | keg_pages_peak (u64) | used_peak (u64) |
 *   +------------------------------+----------------------+-----------------+
 * </pre>
 *
 * <p>The value's length must be exactly {@code 24 + nzones x 48}; names follow {@code vm.zone_stats}'s rule (a NUL
 * within the 32 bytes) and must be valid UTF-8. Nothing is returned from a value that fails.
 */
final class PeakStream {
    private PeakStream() {
    }

    static final int H_VERSION = 0;
    static final int H_NZONES = H_VERSION + U32;
    static final int H_PAGES_PEAK = H_NZONES + U32;
    static final int H_PAGES = H_PAGES_PEAK + U64;
    static final int H_BYTES = H_PAGES + U64;

    static final int Z_NAME = 0;
    static final int Z_KEG_PAGES_PEAK = Z_NAME + MAX_NAME;
    static final int Z_USED_PEAK = Z_KEG_PAGES_PEAK + U64;
    static final int Z_BYTES = Z_USED_PEAK + U64;

    /**
     * Decodes and checks a whole {@code vm.zone_peaks} value.
     *
     * @param source the source URI for messages, or {@code null}
     */
    static ZonePeaks decode(byte[] b, String source) throws MemstatException {
        ProfileBytes in = ProfileBytes.open(b, ZonePeaks.OID, H_BYTES, source);
        long nzones = in.u32(H_NZONES);
        long pagesPeak = in.u64(H_PAGES_PEAK, "pages_peak", -1);
        long pages = in.u64(H_PAGES, "pages", -1);
        in.checkCount(nzones, Z_BYTES, H_BYTES, "nzones", H_NZONES, -1);
        in.checkEnd(H_BYTES + (int) nzones * Z_BYTES);
        List<ZonePeak> zones = new ArrayList<>((int) nzones);
        for (int z = 0; z < nzones; z++) {
            int off = H_BYTES + z * Z_BYTES;
            int len = nameLength(b, off + Z_NAME);
            if (len < 0) {
                throw in.error("name is not NUL-terminated within " + MAX_NAME + " bytes", off + Z_NAME, z);
            }
            String name = in.utf8(off + Z_NAME, len, "name", z);
            zones.add(new ZonePeak(name, in.u64(off + Z_KEG_PAGES_PEAK, "keg_pages_peak", z),
                    in.u64(off + Z_USED_PEAK, "used_peak", z)));
        }
        return new ZonePeaks(pagesPeak, pages, zones);
    }

    /** Length of the NUL-terminated name at {@code off}, or -1 if its 32 bytes hold no NUL. */
    private static int nameLength(byte[] b, int off) {
        for (int i = 0; i < MAX_NAME; i++) {
            if (b[off + i] == 0) {
                return i;
            }
        }
        return -1;
    }
}
