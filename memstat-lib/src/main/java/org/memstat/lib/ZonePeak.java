package org.memstat.lib;

import java.util.Objects;

/**
 * One zone's peaks (docs/PROFILES.md, {@code vm.zone_peaks}).
 *
 * @param zone             the zone's name as {@code vm.zone_stats} names it
 * @param kegPagesPeakBytes the most bytes of pages the zone's keg ever held at once; exact, counted where pages
 *                          are taken (a secondary zone reports its primary's keg)
 * @param usedPeakItems    the most items in use seen when statistics were read or at a trim tick; sampled
 */
public record ZonePeak(String zone, long kegPagesPeakBytes, long usedPeakItems) {
    /** Checks the name is present. */
    public ZonePeak {
        Objects.requireNonNull(zone, "zone");
    }
}
