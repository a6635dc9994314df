package org.memstat.lib;

import java.util.List;
import java.util.Objects;

/**
 * The sampled allocation sites of one zone (docs/PROFILES.md, {@code vm.zone_samples}).
 *
 * @param zone     the zone's name as {@code vm.zone_stats} names it
 * @param rate     the zone's sampling rate now, bytes; 0 when sampling is off
 * @param itemSize the zone's item size, bytes
 * @param sites    its sites, in stream order
 */
public record ZoneSamples(String zone, long rate, long itemSize, List<SampleSite> sites) {
    /** Copies the sites. */
    public ZoneSamples {
        Objects.requireNonNull(zone, "zone");
        sites = List.copyOf(sites);
    }
}
