package org.memstat.daemon;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One reading of one source: both collectors' outcome and, for each collector that succeeded, an immutable copy
 * of its types. Data from a failed collector is never carried (no series from partial data).
 *
 * @param source    the source's name
 * @param nanos     {@link System#nanoTime()} when the reading started (for rates)
 * @param at        wall-clock time of the reading
 * @param uma       outcome of the UMA collector ({@code vm.zone_stats})
 * @param malloc    outcome of the malloc collector ({@code kern.malloc_stats})
 * @param zones     UMA zones in libmemstat list order, empty unless {@code uma} is OK
 * @param types     malloc types in libmemstat list order, empty unless {@code malloc} is OK
 * @param mbuf      netstat -m's figures by libxo key, or {@code null} when they cannot be computed
 * @param mbufError why {@code mbuf} is null (netstat's own message), or {@code null}
 */
record Sample(String source, long nanos, Instant at, Status uma, Status malloc, List<ZoneRow> zones,
        List<MallocRow> types, Map<String, Long> mbuf, String mbufError) {

    /** The collectors of a source, in exposition order. */
    static final List<String> COLLECTORS = List.of("uma", "malloc");

    /** A reading that did not complete (timed out, or the reading task failed): both collectors failed. */
    static Sample failed(String source, Status status) {
        return new Sample(source, System.nanoTime(), Instant.now(), status, status, List.of(), List.of(), null,
                "memstat_sysctl_all: " + status.error());
    }

    /** The outcome of collector {@code name} ("uma" or "malloc"). */
    Status status(String name) {
        return "uma".equals(name) ? uma : malloc;
    }

    /**
     * How a collector ended.
     *
     * @param state   what happened
     * @param error   one line for ERROR, TIMEOUT and ABSENT, else {@code null}
     * @param seconds how long the collector took (the timeout when it timed out)
     */
    record Status(State state, String error, double seconds) {
        /** True when the collector produced what the source has: OK, or ABSENT (the source has no such data). */
        boolean success() {
            return state == State.OK || state == State.ABSENT;
        }
    }

    /** A collector's outcome. */
    enum State {
        /** Read and parsed. */
        OK,
        /** The source has no such statistics (ENOENT on the malloc OIDs): not a failure. */
        ABSENT,
        /** The read or the parse failed. */
        ERROR,
        /** The reading did not finish within the scrape timeout. */
        TIMEOUT;

        /** The lower-case name used in JSON. */
        String json() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One UMA zone with all of libmemstat's fields ({@code memstat_get_*}, reference §3.2), unsigned 64-bit values
     * held in longs.
     *
     * @param id      unique label within the source: the name, or {@code name#N} for a later zone of that name
     * @param cpuFree per-CPU cache free items ({@code memstat_get_percpu_free}), one per CPU slot
     */
    record ZoneRow(String id, String name, long size, long rsize, long limit, long bytesLimit, long used,
            long free, long requests, long frees, long fail, long sleep, long xdomain, long bytes,
            long memAlloced, long memFreed, long zoneFree, long kegFree, long[] cpuFree) {
    }

    /**
     * One malloc(9) type with libmemstat's fields (reference §3.5).
     *
     * @param id    unique label within the source, as {@link ZoneRow#id}
     * @param sizes item sizes of the malloc zones this type used (bits of {@code sizemask})
     * @param cpu   per CPU slot: {memalloced, memfreed, numallocs, numfrees, sizemask}
     */
    record MallocRow(String id, String name, long used, long bytes, long requests, long frees, long memAlloced,
            long memFreed, long sizeMask, long[] sizes, long[][] cpu) {
    }
}
