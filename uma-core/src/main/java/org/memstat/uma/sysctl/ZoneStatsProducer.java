package org.memstat.uma.sysctl;

/**
 * What the allocator provides for {@code vm.zone_count} and {@code vm.zone_stats}. Implementations are called from
 * any reader thread, concurrently.
 */
public interface ZoneStatsProducer {
    /** {@return the number of zones, secondary and cache-only zones included, as {@code vm.zone_count} reports} */
    int zoneCount();

    /** {@return the per-CPU records per zone ({@code mp_maxid + 1})} */
    int maxCpus();

    /**
     * Pushes every zone into {@code w}: {@code w.begin(maxCpus(), n)} (or {@code w.begin(maxCpus())} when the count
     * may change meanwhile), then per zone {@code zone(...)} and its {@code maxCpus()} per-CPU records
     * ({@code cpu}, {@code cpuAt}, {@code zeroCpus}), in stream order (newest keg first, a keg's primary zone before
     * its secondaries). The caller calls {@code finish()}.
     *
     * <p>A writer aimed at a caller's buffer stops the stream by throwing from {@code begin} or {@code zone} when
     * the next record would not fit; implementations let that exception pass (restoring their own state in
     * {@code finally} if they need to).
     *
     * @param w a writer owned by the calling thread for the duration of the call
     */
    void writeTo(ZoneStatsStream.Writer w);
}
