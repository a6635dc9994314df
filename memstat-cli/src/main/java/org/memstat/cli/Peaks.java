package org.memstat.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.memstat.lib.MemoryType;
import org.memstat.lib.MemoryTypeList;
import org.memstat.lib.ZonePeak;
import org.memstat.lib.ZonePeaks;

/**
 * Joins {@code vm.zone_peaks} with a {@code vm.zone_stats} list: the k-th zone of a name in stream order gets the
 * k-th peak of that name ({@link ZonePeaks#find}). libmemstat's list runs in reverse stream order, so the k-th of
 * {@code c} zones of a name in list order is occurrence {@code c - 1 - k} in the stream.
 */
final class Peaks {
    private Peaks() {
    }

    /**
     * The peak of every zone of {@code list}, in list order; empty where {@code peaks} has none.
     *
     * @param list  a refreshed UMA list
     * @param peaks the peaks read with it
     * @return one entry per zone of {@code list}
     */
    static List<Optional<ZonePeak>> join(MemoryTypeList list, ZonePeaks peaks) {
        Map<String, Integer> total = new HashMap<>();
        for (MemoryType t : list) {
            total.merge(t.name(), 1, Integer::sum);
        }
        Map<String, Integer> seen = new HashMap<>();
        List<Optional<ZonePeak>> out = new ArrayList<>(list.size());
        for (MemoryType t : list) {
            int k = seen.merge(t.name(), 1, Integer::sum) - 1;
            out.add(peaks.find(t.name(), total.get(t.name()) - 1 - k));
        }
        return out;
    }

    /** Whether {@code peaks} came from a source that has the stream at all. */
    static boolean present(ZonePeaks peaks) {
        return !peaks.zones().isEmpty();
    }
}
