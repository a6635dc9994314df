package org.memstat.uma;

import java.util.List;

/**
 * A snapshot of one zone with every field FreeBSD's {@code struct uma_type_header} carries (reference
 * §1.3, current semantics of §1.5), plus the per-CPU records.
 *
 * <p>A snapshot is not atomic: counters are read while allocators keep running, as in UMA. Derived
 * values are exact only when the zone is quiescent.
 *
 * @param name       the zone name (not truncated; the stream writer cuts it to 31 bytes)
 * @param align      the keg's alignment mask ({@code uth_align})
 * @param size       the requested item size ({@code uth_size})
 * @param rsize      the real item size after alignment ({@code uth_rsize})
 * @param maxPages   {@code (limit / ipers) * ppera} ({@code uth_maxpages})
 * @param limit      the item limit, 0 for none ({@code uth_limit})
 * @param pages      pages held by the keg ({@code uth_pages})
 * @param kegFree    free items in the keg's slabs, the same in every zone of a keg ({@code uth_keg_free})
 * @param zoneFree   items in the zone's full-bucket depot ({@code uth_zone_free})
 * @param bucketSize the current bucket size in items (FreeBSD always exports 0; the writer follows it)
 * @param secondary  true for a secondary zone that is not first on its keg ({@code UTH_ZONE_SECONDARY})
 * @param allocs     allocations counted by the zone itself, without the per-CPU counters ({@code uth_allocs})
 * @param frees      frees counted by the zone itself ({@code uth_frees})
 * @param fails      failed allocations ({@code uth_fails})
 * @param sleeps     allocations that slept at the zone limit ({@code uth_sleeps})
 * @param xdomain    cross-domain frees; always 0, the JVM has one memory domain ({@code uth_xdomain})
 * @param perCpu     exactly {@code maxCpus} per-CPU records
 */
public record ZoneStats(
        String name,
        int align,
        int size,
        int rsize,
        long maxPages,
        long limit,
        long pages,
        long kegFree,
        long zoneFree,
        int bucketSize,
        boolean secondary,
        long allocs,
        long frees,
        long fails,
        long sleeps,
        long xdomain,
        List<CpuStats> perCpu) {

    /** Copies the per-CPU list so the record stays immutable. */
    public ZoneStats {
        perCpu = List.copyOf(perCpu);
    }

    /** Lifetime allocations: the zone's own count plus every per-CPU count (libmemstat's numallocs). */
    public long totalAllocs() {
        long n = allocs;
        for (CpuStats c : perCpu) {
            n += c.allocs();
        }
        return n;
    }

    /** Lifetime frees: the zone's own count plus every per-CPU count (libmemstat's numfrees). */
    public long totalFrees() {
        long n = frees;
        for (CpuStats c : perCpu) {
            n += c.frees();
        }
        return n;
    }

    /** Items held in per-CPU caches, summed over all slots. */
    public long cacheFree() {
        long n = 0;
        for (CpuStats c : perCpu) {
            n += c.cacheFree();
        }
        return n;
    }

    /** Items in use: total allocations minus total frees, clamped at 0 as {@code uma_zone_get_cur} does. */
    public long used() {
        return Math.max(0, totalAllocs() - totalFrees());
    }
}
