package org.memstat.uma;

import org.memstat.uma.sysctl.ZoneStatsProducer;
import org.memstat.uma.sysctl.ZoneStatsStream;

/**
 * Feeds {@code vm.zone_count} and {@code vm.zone_stats} from an allocator's live zones, in FreeBSD's record
 * order, without allocating per zone. Zones created or destroyed while a stream is written may or may not
 * appear in it; the count is taken when the stream is finished, so the header always matches the records.
 */
final class UmaZoneStats implements ZoneStatsProducer {
    private final Uma uma;

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
        int n = uma.maxCpus;
        long[] a = new long[n];
        long[] f = new long[n];
        long[] c = new long[n];
        w.begin(n);
        uma.forEachZone(z -> z.writeStats(w, a, f, c));
    }
}
