package org.memstat.uma;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.memstat.uma.sysctl.ZoneStatsProducer;
import org.memstat.uma.sysctl.ZoneStatsStream;

/**
 * Feeds {@code vm.zone_count} and {@code vm.zone_stats} from an allocator's live zones, in FreeBSD's record
 * order, without allocating per zone. Zones created or destroyed while a stream is written may or may not
 * appear in it; the count is taken when the stream is finished, so the header always matches the records.
 *
 * <p>The per-CPU scratch arrays are kept for the next read (one spare set, taken and returned atomically), so a
 * warm reader allocates nothing here; concurrent readers that find the spare taken make their own.
 */
final class UmaZoneStats implements ZoneStatsProducer {
    private final Uma uma;
    private final AtomicReference<Scratch> spare = new AtomicReference<>();

    UmaZoneStats(Uma uma) {
        this.uma = uma;
    }

    @Override
    public int zoneCount() {
        return uma.zoneCount();
    }

    @Override
    public int maxCpus() {
        return uma.maxCpus;
    }

    @Override
    public void writeTo(ZoneStatsStream.Writer w) {
        w.begin(uma.maxCpus);
        Scratch s = spare.getAndSet(null);
        if (s == null) {
            s = new Scratch(uma.maxCpus);
        }
        s.w = w;
        uma.forEachZone(s);
        s.w = null;
        // Only a normal return gives the scratch back: a stream stopped by the writer (caller's buffer too
        // small) may leave a zone's entries non-zero, and Zone.writeStats relies on them being zero.
        spare.set(s);
    }

    /** Scratch for {@link Zone#writeStats}, and the visitor that calls it (so a read creates no lambda). */
    private static final class Scratch implements Consumer<Zone> {
        final long[] allocs;
        final long[] frees;
        final long[] cached;
        final long[] touched;
        ZoneStatsStream.Writer w;

        Scratch(int maxCpus) {
            allocs = new long[maxCpus];
            frees = new long[maxCpus];
            cached = new long[maxCpus];
            touched = new long[(maxCpus + 63) >>> 6];
        }

        @Override
        public void accept(Zone z) {
            z.writeStats(w, allocs, frees, cached, touched);
        }
    }
}
