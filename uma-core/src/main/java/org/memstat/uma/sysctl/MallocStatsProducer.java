package org.memstat.uma.sysctl;

/**
 * What the malloc(9) layer provides for {@code kern.malloc_count} and {@code kern.malloc_stats}. Implementations are
 * called from any reader thread, concurrently.
 */
public interface MallocStatsProducer {
    /** {@return the number of registered malloc types ({@code kmemcount})} */
    int typeCount();

    /** {@return the per-CPU records per type: the {@code MAXCPU} analogue, as {@code kern.smp.maxcpus}} */
    int maxCpus();

    /**
     * Pushes every malloc type into {@code w}: {@code w.begin(maxCpus(), n)} (or {@code w.begin(maxCpus())}), then
     * per type {@code type(name)} and {@code maxCpus()} {@code cpu(...)} records ({@code zeroCpus()} for the
     * slots past the last CPU in use). The caller calls {@code finish()}.
     *
     * <p>A writer aimed at a caller's buffer stops the stream by throwing from {@code begin} or {@code type} when
     * the next record would not fit; implementations let that exception pass.
     *
     * @param w a writer owned by the calling thread for the duration of the call
     */
    void writeTo(MallocStatsStream.Writer w);
}
