package org.memstat.lib;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Peaks of a source at one moment: a decoded {@code vm.zone_peaks} value (docs/PROFILES.md). Writing 1 to
 * {@link #RESET_OID} through a {@link WritableSysctlSource} sets every peak to its current value.
 *
 * <p>Zones are in {@code vm.zone_stats} order, bucket zones included, so a consumer joins a peak with the
 * {@link MemoryType} of the same name; when names repeat, the k-th peak of a name belongs to the k-th zone of
 * that name in {@code vm.zone_stats} order (see {@link #find}).
 *
 * @param pagesPeakBytes the most bytes of pages the allocator ever held at once (exact)
 * @param pagesBytes     the bytes of pages it holds now
 * @param zones          the zones' peaks in stream order
 */
public record ZonePeaks(long pagesPeakBytes, long pagesBytes, List<ZonePeak> zones) {
    /** The OID of the stream, {@value}. */
    public static final String OID = "vm.zone_peaks";
    /** The writable int OID that resets every peak to the current value when 1 is written, {@value}. */
    public static final String RESET_OID = "vm.zone_peaks_reset";

    /** Copies the zones. */
    public ZonePeaks {
        zones = List.copyOf(zones);
    }

    /**
     * Decodes a {@code vm.zone_peaks} value. The whole value is checked first and nothing of a value that fails
     * is returned.
     *
     * @param stream the value, in the producer's byte order (the version word tells which)
     * @return the peaks
     * @throws MemstatException VERSION for a value shorter than the 24-byte header or a version word that is not
     *                          1 in either byte order; DATAERROR for a length other than {@code 24 + nzones x 48},
     *                          a name without a NUL within its 32 bytes or not valid UTF-8, or a u64 above
     *                          {@link Long#MAX_VALUE}, with the byte offset and the record where it was found
     */
    public static ZonePeaks decode(byte[] stream) throws MemstatException {
        return PeakStream.decode(Objects.requireNonNull(stream, "stream"), null);
    }

    /**
     * Reads and decodes {@code vm.zone_peaks} from {@code source}.
     *
     * @param source where to read
     * @return the peaks, or {@code new ZonePeaks(0, 0, List.of())} when the source has no such OID
     *         ({@code ENOENT}, for example a dump of a real FreeBSD system)
     * @throws MemstatException PERMISSION when the source refuses access ({@code EACCES}/{@code EPERM}), NOMEMORY
     *                          when the value changed size on 8 reads in a row, VERSION for other read failures,
     *                          and as {@link #decode} for a malformed value; the message names the oid and source
     */
    public static ZonePeaks read(SysctlSource source) throws MemstatException {
        byte[] v = Fetch.optional(source, OID);
        return v == null ? new ZonePeaks(0, 0, List.of()) : PeakStream.decode(v, source.uri());
    }

    /**
     * The peak of the {@code occurrence}-th zone named {@code zone}: how a consumer joins peaks with
     * {@link MemoryTypeList} entries of the same name (names may repeat).
     *
     * @param zone       the exact name
     * @param occurrence which zone of that name, counting from 0 in stream order
     * @return the peak, or empty when there are not that many zones of that name (or {@code occurrence} is
     *         negative)
     */
    public Optional<ZonePeak> find(String zone, int occurrence) {
        int seen = 0;
        for (ZonePeak p : zones) {
            if (p.zone().equals(zone) && seen++ == occurrence) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
