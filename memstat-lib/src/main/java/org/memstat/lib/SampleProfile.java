package org.memstat.lib;

import java.util.List;

/**
 * One read of {@code vm.zone_samples} (docs/PROFILES.md): when it was taken and every zone's sampled sites.
 *
 * @param takenNanos when the stream was made, nanoseconds since the epoch
 * @param zones      the zones, in stream order
 */
public record SampleProfile(long takenNanos, List<ZoneSamples> zones) {
    /** Copies the zones. */
    public SampleProfile {
        zones = List.copyOf(zones);
    }
}
