package org.memstat.lib;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * All sampled sites of a source at one moment: a decoded {@code vm.zone_samples} value (docs/PROFILES.md).
 *
 * <pre>{@code
 * SampleProfile p = SampleProfile.read(source);          // empty for a source without vm.zone_samples
 * for (ZoneSamples z : p.zones("mbuf_cluster")) {
 *     for (SampleSite s : z.sites()) {
 *         System.out.println(s.inuse().bytes() + " " + s.frames().getFirst());
 *     }
 * }
 * }</pre>
 *
 * @param takenNanos when the producer made the stream, nanoseconds since the epoch; 0 for an empty profile
 * @param zones      the zones in stream order ({@code vm.zone_stats} order, bucket zones left out)
 */
public record SampleProfile(long takenNanos, List<ZoneSamples> zones) {
    /** The OID of the stream, {@value}. */
    public static final String OID = "vm.zone_samples";

    /** Copies the zones. */
    public SampleProfile {
        zones = List.copyOf(zones);
    }

    /**
     * Decodes a {@code vm.zone_samples} value. The whole value is checked first and nothing of a value that fails
     * is returned.
     *
     * @param stream the value, in the producer's byte order (the version word tells which)
     * @return the profile
     * @throws MemstatException VERSION for a value shorter than the 24-byte header or a version word that is not
     *                          1 in either byte order; DATAERROR for anything wrong in the contents (lengths,
     *                          indices, UTF-8, names, depths, rates, counts), with the byte offset and the zone
     *                          record where it was found
     */
    public static SampleProfile decode(byte[] stream) throws MemstatException {
        return SampleStream.decode(Objects.requireNonNull(stream, "stream"), null);
    }

    /**
     * Reads and decodes {@code vm.zone_samples} from {@code source}. A source without the OID ({@code ENOENT},
     * for example a dump of a real FreeBSD system, which has no such stream) gives an empty profile.
     *
     * @param source where to read
     * @return the profile, or {@code new SampleProfile(0, List.of())} when the source has no such OID
     * @throws MemstatException PERMISSION when the source refuses access ({@code EACCES}/{@code EPERM}), NOMEMORY
     *                          when the value changed size on 8 reads in a row, VERSION for other read failures,
     *                          and as {@link #decode} for a malformed value; the message names the oid and source
     */
    public static SampleProfile read(SysctlSource source) throws MemstatException {
        byte[] v = Fetch.optional(source, OID);
        return v == null ? new SampleProfile(0, List.of()) : SampleStream.decode(v, source.uri());
    }

    /**
     * The zones whose name equals {@code zone}. Names may repeat, as in {@code vm.zone_stats}.
     *
     * @param zone the exact name
     * @return the matching zones in stream order, possibly none
     */
    public List<ZoneSamples> zones(String zone) {
        List<ZoneSamples> found = new ArrayList<>();
        for (ZoneSamples z : zones) {
            if (z.zone().equals(zone)) {
                found.add(z);
            }
        }
        return List.copyOf(found);
    }

    /**
     * Whether no zone has any site (zones with sampling off still appear, with no sites).
     *
     * @return true when there is nothing sampled
     */
    public boolean isEmpty() {
        for (ZoneSamples z : zones) {
            if (!z.sites().isEmpty()) {
                return false;
            }
        }
        return true;
    }
}
