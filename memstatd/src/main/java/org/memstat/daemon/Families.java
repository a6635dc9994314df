package org.memstat.daemon;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;
import org.memstat.daemon.FamilyGroup.Family;

/**
 * The families of {@code /metrics} (documented in docs/API.md) and how readings fill them. Label sets are unique by
 * construction: source names are unique, zone and malloc type ids are unique within a source
 * ({@link SampleReader#uniqueIds}), and mbuf classes, states, collectors and CPUs are fixed lists, so client_java's
 * duplicate-label check can never fail a scrape.
 */
final class Families {
    /** netstat -m's classes with the libxo keys of their used, cached, limit, failure and sleep figures. */
    private static final List<String[]> MBUF_CLASSES = List.of(
            new String[] {"mbuf", "mbuf-current", "mbuf-cache", null, "mbuf-failures", "mbuf-sleeps"},
            new String[] {"cluster", "cluster-current", "cluster-cache", "cluster-max", "cluster-failures",
                "cluster-sleeps"},
            new String[] {"packet", "packet-count", "packet-free", null, "packet-failures", "packet-sleeps"},
            new String[] {"jumbop", "jumbo-count", "jumbo-cache", "jumbo-max", "jumbop-failures", "jumbop-sleeps"},
            new String[] {"jumbo9", "jumbo9-count", "jumbo9-cache", "jumbo9-max", "jumbo9-failures",
                "jumbo9-sleeps"},
            new String[] {"jumbo16", "jumbo16-count", "jumbo16-cache", "jumbo16-limit", "jumbo16-failures",
                "jumbo16-sleeps"});

    private static final List<Family> MBUF = List.of(
            new Family("memstat_mbuf_used_items", "mbufs and clusters in use (netstat -m current).", false),
            new Family("memstat_mbuf_cached_items", "mbufs and clusters cached (netstat -m cache).", false),
            new Family("memstat_mbuf_limit_items", "Cluster limits (netstat -m max).", false),
            new Family("memstat_mbuf_failures", "Denied mbuf and cluster requests (netstat -m).", true),
            new Family("memstat_mbuf_sleeps", "Delayed mbuf and cluster requests (netstat -m).", true));
    private static final List<Family> MBUF_BYTES = List.of(new Family("memstat_mbuf_network_bytes",
            "Bytes allocated to network, by state in_use or cache (netstat -m).", false));
    private static final List<Family> SCRAPE = List.of(
            new Family("memstat_scrape_collector_success",
                    "1 when the collector read its source (or the source has no such statistics), 0 when it failed.",
                    false),
            new Family("memstat_scrape_collector_duration_seconds",
                    "Time the collector took to read its source during this scrape.", false));
    private static final List<Family> ZONE_CPU = List.of(new Family("memstat_zone_cpu_free_items",
            "Free items in one CPU slot's cache of the UMA zone.", false));
    /** Per-CPU malloc families, in the column order of {@link Sample.MallocRow#cpu}. */
    private static final List<Family> MALLOC_CPU = List.of(
            new Family("memstat_malloc_cpu_allocated_bytes", "Bytes allocated by the malloc type on one CPU slot.",
                    true),
            new Family("memstat_malloc_cpu_freed_bytes", "Bytes freed by the malloc type on one CPU slot.", true),
            new Family("memstat_malloc_cpu_requests", "Allocations of the malloc type on one CPU slot.", true),
            new Family("memstat_malloc_cpu_frees", "Frees of the malloc type on one CPU slot.", true));

    /** A family read from one field of a row. */
    private record Field<R>(Family family, ToLongFunction<R> value) {
        Field(String name, String help, boolean counter, ToLongFunction<R> value) {
            this(new Family(name, help, counter), value);
        }
    }

    private static final List<Field<Sample.ZoneRow>> ZONE = List.of(
            new Field<>("memstat_zone_size_bytes", "Item size of the UMA zone (vmstat -z SIZE).", false,
                    Sample.ZoneRow::size),
            new Field<>("memstat_zone_limit_items", "Item limit of the UMA zone, 0 for none (vmstat -z LIMIT).",
                    false, Sample.ZoneRow::limit),
            new Field<>("memstat_zone_used_items", "Items allocated from the UMA zone (vmstat -z USED).", false,
                    Sample.ZoneRow::used),
            new Field<>("memstat_zone_free_items",
                    "Free items cached by the UMA zone: per-CPU caches, bucket cache and keg (vmstat -z FREE).",
                    false, Sample.ZoneRow::free),
            new Field<>("memstat_zone_bytes", "Bytes in allocated items of the UMA zone (used x size).", false,
                    Sample.ZoneRow::bytes),
            new Field<>("memstat_zone_requests", "Allocations from the UMA zone (vmstat -z REQ).", true,
                    Sample.ZoneRow::requests),
            new Field<>("memstat_zone_frees", "Frees to the UMA zone.", true, Sample.ZoneRow::frees),
            new Field<>("memstat_zone_failures", "Failed allocations from the UMA zone (vmstat -z FAIL).", true,
                    Sample.ZoneRow::fail),
            new Field<>("memstat_zone_sleeps", "Allocations that slept at the zone's limit (vmstat -z SLEEP).",
                    true, Sample.ZoneRow::sleep),
            new Field<>("memstat_zone_xdomain", "Cross-domain frees to the UMA zone (vmstat -z XDOM).", true,
                    Sample.ZoneRow::xdomain));

    private static final List<Field<Sample.MallocRow>> MALLOC = List.of(
            new Field<>("memstat_malloc_used_items", "Allocations of the malloc type in use (vmstat -m InUse).",
                    false, Sample.MallocRow::used),
            new Field<>("memstat_malloc_bytes", "Bytes in use by the malloc type (vmstat -m MemUse).", false,
                    Sample.MallocRow::bytes),
            new Field<>("memstat_malloc_requests", "Allocations of the malloc type (vmstat -m Requests).", true,
                    Sample.MallocRow::requests),
            new Field<>("memstat_malloc_frees", "Frees of the malloc type.", true, Sample.MallocRow::frees),
            new Field<>("memstat_malloc_allocated_bytes", "Bytes ever allocated by the malloc type.", true,
                    Sample.MallocRow::memAlloced),
            new Field<>("memstat_malloc_freed_bytes", "Bytes ever freed by the malloc type.", true,
                    Sample.MallocRow::memFreed));

    private Families() {
    }

    /**
     * Fills every group from {@code readings} (one per source, in order).
     *
     * @param multi  whether data families carry a {@code source} label (several sources served)
     * @param percpu whether to add the per-CPU groups
     */
    static List<FamilyGroup> groups(List<Source.Readings> readings, boolean multi, ZoneFilter filter,
            boolean percpu) {
        FamilyGroup zone = new FamilyGroup(ZONE.stream().map(Field::family).toList(), multi, "zone");
        FamilyGroup zoneCpu = new FamilyGroup(ZONE_CPU, multi, "cpu", "zone");
        FamilyGroup malloc = new FamilyGroup(MALLOC.stream().map(Field::family).toList(), multi, "type");
        FamilyGroup mallocCpu = new FamilyGroup(MALLOC_CPU, multi, "cpu", "type");
        FamilyGroup mbuf = new FamilyGroup(MBUF, multi, "class");
        FamilyGroup mbufBytes = new FamilyGroup(MBUF_BYTES, multi, "state");
        FamilyGroup scrape = new FamilyGroup(SCRAPE, true, "collector");
        for (Source.Readings r : readings) {
            Sample s = r.latest();
            String src = s.source();
            for (Sample.ZoneRow z : s.zones()) {
                if (!filter.accepts(z.name())) {
                    continue;
                }
                zone.add(src, new String[] {z.id()}, values(ZONE, z));
                for (int c = 0; percpu && c < z.cpuFree().length; c++) {
                    zoneCpu.add(src, new String[] {Integer.toString(c), z.id()}, unsigned(z.cpuFree()[c]));
                }
            }
            for (Sample.MallocRow t : s.types()) {
                malloc.add(src, new String[] {t.id()}, values(MALLOC, t));
                for (int c = 0; percpu && c < t.cpu().length; c++) {
                    long[] col = t.cpu()[c];
                    mallocCpu.add(src, new String[] {Integer.toString(c), t.id()}, unsigned(col[0]),
                            unsigned(col[1]), unsigned(col[2]), unsigned(col[3]));
                }
            }
            Map<String, Long> m = s.mbuf();
            if (m != null) {
                for (String[] c : MBUF_CLASSES) {
                    mbuf.add(src, new String[] {c[0]}, unsigned(m.get(c[1])), unsigned(m.get(c[2])),
                            c[3] == null ? FamilyGroup.ABSENT : unsigned(m.get(c[3])), unsigned(m.get(c[4])),
                            unsigned(m.get(c[5])));
                }
                mbufBytes.add(src, new String[] {"in_use"}, unsigned(m.get("bytes-in-use")));
                mbufBytes.add(src, new String[] {"cache"}, unsigned(m.get("bytes-in-cache")));
            }
            for (String c : Sample.COLLECTORS) {
                Sample.Status st = s.status(c);
                scrape.add(src, new String[] {c}, st.success() ? 1.0 : 0.0, st.seconds());
            }
        }
        List<FamilyGroup> all = new ArrayList<>(List.of(zone, malloc, mbuf, mbufBytes, scrape));
        if (percpu) {
            all.addAll(List.of(zoneCpu, mallocCpu));
        }
        return all;
    }

    private static <R> double[] values(List<Field<R>> fields, R row) {
        double[] v = new double[fields.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = unsigned(fields.get(i).value.applyAsLong(row));
        }
        return v;
    }

    private static double unsigned(long v) {
        return MetricsBuilder.unsignedToDouble(v);
    }
}
