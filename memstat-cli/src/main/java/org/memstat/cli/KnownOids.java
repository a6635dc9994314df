package org.memstat.cli;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The OIDs memstat's tools read, with the kind and format FreeBSD gives them (reference §1-§5). A {@code dir:}
 * snapshot keeps only values, so its listing takes kinds from here; {@code dump} saves exactly these; sources that
 * cannot list ({@code http://}) list these when they answer.
 */
final class KnownOids {
    private KnownOids() {
    }

    /** Sampled allocation sites ({@code SampleProfile.OID}); optional in a dump. */
    static final String SAMPLES = "vm.zone_samples";
    /** Page and item peaks ({@code ZonePeaks.OID}); optional in a dump. */
    static final String PEAKS = "vm.zone_peaks";

    /** Name to entry, in the order {@code dump} writes them. */
    static final Map<String, OidEntry> ALL = new LinkedHashMap<>();

    static {
        add("vm.zone_stats", OidKind.OPAQUE, "s,struct uma_type_header");
        add("vm.zone_count", OidKind.INT, "I");
        add("kern.smp.maxid", OidKind.INT, "I");
        add("kern.smp.maxcpus", OidKind.INT, "I");
        add("kern.malloc_stats", OidKind.OPAQUE, "s,malloc_type_ustats");
        add("kern.malloc_count", OidKind.INT, "I");
        add("vm.malloc.zone_count", OidKind.UINT, "IU");
        add("vm.malloc.zone_sizes", OidKind.OPAQUE, "S");
        add("kern.ipc.nsfbufs", OidKind.INT, "I");
        add("kern.ipc.nsfbufsused", OidKind.INT, "I");
        add("kern.ipc.nsfbufspeak", OidKind.INT, "I");
        add("kern.ipc.sfstat", OidKind.OPAQUE, "S,sfstat");
        add("kern.ipc.nmbclusters", OidKind.INT, "I");
        add("kern.ipc.nmbjumbop", OidKind.INT, "I");
        add("kern.ipc.nmbjumbo9", OidKind.INT, "I");
        add("kern.ipc.nmbjumbo16", OidKind.INT, "I");
        add("kern.ipc.nmbufs", OidKind.INT, "I");
        // memstat's own streams (docs/PROFILES.md): profile, holders, vmstat -z --peak and top read them.
        add(SAMPLES, OidKind.OPAQUE, "s,struct memstat_samples_header");
        add(PEAKS, OidKind.OPAQUE, "s,struct memstat_peaks_header");
    }

    private static void add(String name, OidKind kind, String format) {
        ALL.put(name, new OidEntry(name, kind, format, false));
    }

    /** The streams; a dump needs at least one of them. */
    static final String ZONE_STATS = "vm.zone_stats";
    /** The malloc(9) stream. */
    static final String MALLOC_STATS = "kern.malloc_stats";
    /** {@code struct sfstat}: 11 uint64 counters (reference §5.2). */
    static final String SFSTAT = "kern.ipc.sfstat";
}
