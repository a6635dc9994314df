package org.memstat.daemon;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.memstat.lib.Allocator;
import org.memstat.lib.MbufSummary;
import org.memstat.lib.MemoryType;
import org.memstat.lib.MemoryTypeList;
import org.memstat.lib.MemstatException;
import org.memstat.lib.SysctlException;
import org.memstat.lib.SysctlSource;

/** Reads one {@link Sample} from a source into a caller-owned {@link MemoryTypeList}. */
final class SampleReader {
    private static final Set<String> MALLOC_OIDS = Set.of("kern.malloc_count", "kern.malloc_stats",
            "vm.malloc.zone_count", "vm.malloc.zone_sizes");

    private SampleReader() {
    }

    /** A refresh step that may fail with a libmemstat error. */
    private interface Refresh {
        void run() throws MemstatException;
    }

    /**
     * Reads both collectors. The list is cleared first: a warm libmemstat refresh keeps zones that vanished and,
     * for a name that appears twice, updates only one of the two types (reference §3.3), both wrong for an
     * exporter. UMA is read first so that a cold list keeps duplicate zone names as separate types.
     */
    static Sample read(String name, SysctlSource source, MemoryTypeList list) {
        long start = System.nanoTime();
        Instant at = Instant.now();
        list.clear();
        Sample.Status uma = run(() -> list.refreshUma(source), false);
        Sample.Status malloc = run(() -> list.refreshMalloc(source), true);
        List<Sample.ZoneRow> zones = uma.state() == Sample.State.OK ? zones(list) : List.of();
        List<Sample.MallocRow> types = malloc.state() == Sample.State.OK ? types(list) : List.of();
        Map<String, Long> mbuf = null;
        String mbufError;
        if (uma.state() != Sample.State.OK) {
            mbufError = "memstat_sysctl_uma: " + uma.error();
        } else if (malloc.state() == Sample.State.ERROR) {
            mbufError = "memstat_sysctl_malloc: " + malloc.error();
        } else {
            try {
                mbuf = MbufSummary.from(list).figures();
                mbufError = null;
            } catch (MbufSummary.MissingTypeException e) {
                mbufError = e.getMessage();
            }
        }
        return new Sample(name, start, at, uma, malloc, zones, types, mbuf, mbufError);
    }

    private static Sample.Status run(Refresh refresh, boolean mayBeAbsent) {
        long t0 = System.nanoTime();
        try {
            refresh.run();
            return new Sample.Status(Sample.State.OK, null, seconds(t0));
        } catch (MemstatException e) {
            boolean absent = mayBeAbsent && e.getCause() instanceof SysctlException se
                    && se.errno() == SysctlException.Errno.ENOENT && MALLOC_OIDS.contains(se.oid());
            return new Sample.Status(absent ? Sample.State.ABSENT : Sample.State.ERROR, e.getMessage(),
                    seconds(t0));
        } catch (RuntimeException e) {
            // A source's own bug (e.g. an in-process handler that throws) fails this collector, not the scrape.
            return new Sample.Status(Sample.State.ERROR, "source failed: " + e, seconds(t0));
        }
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    private static List<Sample.ZoneRow> zones(MemoryTypeList list) {
        List<MemoryType> uma = list.types().stream().filter(t -> t.allocator() == Allocator.UMA).toList();
        List<String> ids = uniqueIds(uma);
        List<Sample.ZoneRow> rows = new ArrayList<>(uma.size());
        for (int i = 0; i < uma.size(); i++) {
            MemoryType t = uma.get(i);
            long[] cpuFree = new long[t.cpuCount()];
            for (int c = 0; c < cpuFree.length; c++) {
                cpuFree[c] = t.percpuFree(c);
            }
            rows.add(new Sample.ZoneRow(ids.get(i), t.name(), t.size(), t.rsize(), t.countLimit(), t.bytesLimit(),
                    t.count(), t.free(), t.numAllocs(), t.numFrees(), t.failures(), t.sleeps(), t.xdomain(),
                    t.bytes(), t.memAlloced(), t.memFreed(), t.zoneFree(), t.kegFree(), cpuFree));
        }
        return List.copyOf(rows);
    }

    private static List<Sample.MallocRow> types(MemoryTypeList list) {
        List<MemoryType> malloc = list.types().stream().filter(t -> t.allocator() == Allocator.MALLOC).toList();
        List<String> ids = uniqueIds(malloc);
        List<Sample.MallocRow> rows = new ArrayList<>(malloc.size());
        for (int i = 0; i < malloc.size(); i++) {
            MemoryType t = malloc.get(i);
            long[] sizes = new long[Long.bitCount(t.sizeMask() & 0xFFFF_FFFFL)];
            for (int bit = 0, k = 0; bit < 32; bit++) {
                if (t.mallocZoneUsed(bit)) {
                    sizes[k++] = list.mallocZoneSize(bit);
                }
            }
            long[][] cpu = new long[t.cpuCount()][];
            for (int c = 0; c < cpu.length; c++) {
                cpu[c] = new long[] {t.percpuMemAlloced(c), t.percpuMemFreed(c), t.percpuNumAllocs(c),
                    t.percpuNumFrees(c), t.percpuSizeMask(c)};
            }
            rows.add(new Sample.MallocRow(ids.get(i), t.name(), t.count(), t.bytes(), t.numAllocs(), t.numFrees(),
                    t.memAlloced(), t.memFreed(), t.sizeMask(), sizes, cpu));
        }
        return List.copyOf(rows);
    }

    /**
     * Labels unique within one list: the first type of a name keeps it; a later one becomes {@code name#N} with
     * the smallest N >= 2 that no type is really called and no earlier type got, so no real name ever changes
     * and no two series share a label set.
     */
    static List<String> uniqueIds(List<MemoryType> types) {
        Set<String> real = new HashSet<>();
        for (MemoryType t : types) {
            real.add(t.name());
        }
        Set<String> used = new HashSet<>();
        Map<String, Integer> lastSuffix = new HashMap<>();
        List<String> ids = new ArrayList<>(types.size());
        for (MemoryType t : types) {
            String id = t.name();
            if (used.contains(id)) {
                int n = lastSuffix.getOrDefault(t.name(), 1);
                do {
                    n++;
                    id = t.name() + "#" + n;
                } while (real.contains(id) || used.contains(id));
                lastSuffix.put(t.name(), n);
            }
            used.add(id);
            ids.add(id);
        }
        return ids;
    }
}
