package org.memstat.daemon;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * Turns readings into metric families (documented in docs/API.md). Label sets are unique by construction: source
 * names are unique, zone and malloc type ids are unique within a source ({@link SampleReader#uniqueIds}), and mbuf
 * classes and CPUs are fixed lists, so client_java's duplicate-label check can never fail a scrape.
 */
final class MetricsBuilder {
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

    private MetricsBuilder() {
    }

    /** One family being filled: a name, help, kind and its data points. */
    private static final class Family {
        final String name;
        final String help;
        final boolean counter;
        final Unit unit;
        final List<Labels> labels = new ArrayList<>();
        final List<Double> values = new ArrayList<>();

        Family(String name, String help, boolean counter) {
            this.name = name;
            this.help = help;
            this.counter = counter;
            this.unit = name.endsWith("_bytes") ? Unit.BYTES : name.endsWith("_seconds") ? Unit.SECONDS : null;
        }

        void add(Labels l, long unsigned) {
            add(l, unsignedToDouble(unsigned));
        }

        void add(Labels l, double v) {
            labels.add(l);
            values.add(v);
        }

        void addTo(MetricSnapshots.Builder out) {
            if (labels.isEmpty()) {
                return;
            }
            if (counter) {
                CounterSnapshot.Builder b = CounterSnapshot.builder().name(name).help(help).unit(unit);
                for (int i = 0; i < labels.size(); i++) {
                    b.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().labels(labels.get(i))
                            .value(values.get(i)).build());
                }
                out.metricSnapshot(b.build());
            } else {
                GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(name).help(help).unit(unit);
                for (int i = 0; i < labels.size(); i++) {
                    b.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(labels.get(i))
                            .value(values.get(i)).build());
                }
                out.metricSnapshot(b.build());
            }
        }
    }

    /** A zone family: name (without {@code _total} for counters), help, counter or gauge, and its field. */
    private record ZoneFamily(String name, String help, boolean counter, ToLongFunction<Sample.ZoneRow> field) {
    }

    private record MallocFamily(String name, String help, boolean counter, ToLongFunction<Sample.MallocRow> field) {
    }

    private static final List<ZoneFamily> ZONE = List.of(
            new ZoneFamily("memstat_zone_size_bytes", "Item size of the UMA zone (vmstat -z SIZE).", false,
                    Sample.ZoneRow::size),
            new ZoneFamily("memstat_zone_limit_items", "Item limit of the UMA zone, 0 for none (vmstat -z LIMIT).",
                    false, Sample.ZoneRow::limit),
            new ZoneFamily("memstat_zone_used_items", "Items allocated from the UMA zone (vmstat -z USED).", false,
                    Sample.ZoneRow::used),
            new ZoneFamily("memstat_zone_free_items",
                    "Free items cached by the UMA zone: per-CPU caches, bucket cache and keg (vmstat -z FREE).",
                    false, Sample.ZoneRow::free),
            new ZoneFamily("memstat_zone_bytes", "Bytes in allocated items of the UMA zone (used x size).", false,
                    Sample.ZoneRow::bytes),
            new ZoneFamily("memstat_zone_requests", "Allocations from the UMA zone (vmstat -z REQ).", true,
                    Sample.ZoneRow::requests),
            new ZoneFamily("memstat_zone_frees", "Frees to the UMA zone.", true, Sample.ZoneRow::frees),
            new ZoneFamily("memstat_zone_failures", "Failed allocations from the UMA zone (vmstat -z FAIL).", true,
                    Sample.ZoneRow::fail),
            new ZoneFamily("memstat_zone_sleeps", "Allocations that slept at the zone's limit (vmstat -z SLEEP).",
                    true, Sample.ZoneRow::sleep),
            new ZoneFamily("memstat_zone_xdomain", "Cross-domain frees to the UMA zone (vmstat -z XDOM).", true,
                    Sample.ZoneRow::xdomain));

    private static final List<MallocFamily> MALLOC = List.of(
            new MallocFamily("memstat_malloc_used_items", "Allocations of the malloc type in use (vmstat -m InUse).",
                    false, Sample.MallocRow::used),
            new MallocFamily("memstat_malloc_bytes", "Bytes in use by the malloc type (vmstat -m MemUse).", false,
                    Sample.MallocRow::bytes),
            new MallocFamily("memstat_malloc_requests", "Allocations of the malloc type (vmstat -m Requests).",
                    true, Sample.MallocRow::requests),
            new MallocFamily("memstat_malloc_frees", "Frees of the malloc type.", true, Sample.MallocRow::frees),
            new MallocFamily("memstat_malloc_allocated_bytes", "Bytes ever allocated by the malloc type.", true,
                    Sample.MallocRow::memAlloced),
            new MallocFamily("memstat_malloc_freed_bytes", "Bytes ever freed by the malloc type.", true,
                    Sample.MallocRow::memFreed));

    /** Per-CPU malloc families: name, help, column of {@link Sample.MallocRow#cpu}. */
    private static final String[][] MALLOC_CPU = {
        {"memstat_malloc_cpu_allocated_bytes", "Bytes allocated by the malloc type on one CPU slot.", "0"},
        {"memstat_malloc_cpu_freed_bytes", "Bytes freed by the malloc type on one CPU slot.", "1"},
        {"memstat_malloc_cpu_requests", "Allocations of the malloc type on one CPU slot.", "2"},
        {"memstat_malloc_cpu_frees", "Frees of the malloc type on one CPU slot.", "3"},
    };

    /**
     * Builds every family from {@code readings} (one per source, in order).
     *
     * @param multi  whether data families carry a {@code source} label (several sources served)
     * @param percpu whether to add per-CPU families
     */
    static MetricSnapshots build(List<Source.Readings> readings, boolean multi, ZoneFilter filter, boolean percpu) {
        List<Family> zone = new ArrayList<>();
        for (ZoneFamily f : ZONE) {
            zone.add(new Family(f.name, f.help, f.counter));
        }
        Family zoneCpuFree = new Family("memstat_zone_cpu_free_items",
                "Free items in one CPU slot's cache of the UMA zone.", false);
        List<Family> malloc = new ArrayList<>();
        for (MallocFamily f : MALLOC) {
            malloc.add(new Family(f.name, f.help, f.counter));
        }
        List<Family> mallocCpu = new ArrayList<>();
        for (String[] f : MALLOC_CPU) {
            mallocCpu.add(new Family(f[0], f[1], true));
        }
        Family mbufUsed = new Family("memstat_mbuf_used_items", "mbufs and clusters in use (netstat -m current).",
                false);
        Family mbufCached = new Family("memstat_mbuf_cached_items", "mbufs and clusters cached (netstat -m cache).",
                false);
        Family mbufLimit = new Family("memstat_mbuf_limit_items", "Cluster limits (netstat -m max).", false);
        Family mbufFail = new Family("memstat_mbuf_failures", "Denied mbuf and cluster requests (netstat -m).",
                true);
        Family mbufSleep = new Family("memstat_mbuf_sleeps", "Delayed mbuf and cluster requests (netstat -m).", true);
        Family mbufBytes = new Family("memstat_mbuf_network_bytes",
                "Bytes allocated to network, by state in_use or cache (netstat -m).", false);
        Family success = new Family("memstat_scrape_collector_success",
                "1 when the collector read its source (or the source has no such statistics), 0 when it failed.",
                false);
        Family duration = new Family("memstat_scrape_collector_duration_seconds",
                "Time the collector took to read its source during this scrape.", false);

        for (Source.Readings r : readings) {
            Sample s = r.latest();
            String src = s.source();
            for (Sample.ZoneRow z : s.zones()) {
                if (!filter.accepts(z.name())) {
                    continue;
                }
                Labels l = multi ? Labels.of("source", src, "zone", z.id()) : Labels.of("zone", z.id());
                for (int i = 0; i < ZONE.size(); i++) {
                    zone.get(i).add(l, ZONE.get(i).field.applyAsLong(z));
                }
                if (percpu) {
                    for (int c = 0; c < z.cpuFree().length; c++) {
                        zoneCpuFree.add(l.add("cpu", Integer.toString(c)), z.cpuFree()[c]);
                    }
                }
            }
            for (Sample.MallocRow t : s.types()) {
                Labels l = multi ? Labels.of("source", src, "type", t.id()) : Labels.of("type", t.id());
                for (int i = 0; i < MALLOC.size(); i++) {
                    malloc.get(i).add(l, MALLOC.get(i).field.applyAsLong(t));
                }
                if (percpu) {
                    for (int c = 0; c < t.cpu().length; c++) {
                        Labels lc = l.add("cpu", Integer.toString(c));
                        for (int k = 0; k < MALLOC_CPU.length; k++) {
                            mallocCpu.get(k).add(lc, t.cpu()[c][Integer.parseInt(MALLOC_CPU[k][2])]);
                        }
                    }
                }
            }
            Map<String, Long> m = s.mbuf();
            if (m != null) {
                for (String[] c : MBUF_CLASSES) {
                    Labels l = multi ? Labels.of("source", src, "class", c[0]) : Labels.of("class", c[0]);
                    mbufUsed.add(l, m.get(c[1]));
                    mbufCached.add(l, m.get(c[2]));
                    if (c[3] != null) {
                        mbufLimit.add(l, m.get(c[3]));
                    }
                    mbufFail.add(l, m.get(c[4]));
                    mbufSleep.add(l, m.get(c[5]));
                }
                mbufBytes.add(multi ? Labels.of("source", src, "state", "in_use") : Labels.of("state", "in_use"),
                        m.get("bytes-in-use"));
                mbufBytes.add(multi ? Labels.of("source", src, "state", "cache") : Labels.of("state", "cache"),
                        m.get("bytes-in-cache"));
            }
            for (String c : Sample.COLLECTORS) {
                Sample.Status st = s.status(c);
                Labels l = Labels.of("collector", c, "source", src);
                success.add(l, st.success() ? 1.0 : 0.0);
                duration.add(l, st.seconds());
            }
        }
        MetricSnapshots.Builder out = MetricSnapshots.builder();
        List<Family> all = new ArrayList<>(zone);
        if (percpu) {
            all.add(zoneCpuFree);
        }
        all.addAll(malloc);
        if (percpu) {
            all.addAll(mallocCpu);
        }
        all.addAll(List.of(mbufUsed, mbufCached, mbufLimit, mbufFail, mbufSleep, mbufBytes, success, duration));
        for (Family f : all) {
            f.addTo(out);
        }
        return out.build();
    }

    /** A C {@code uint64_t} held in a long, as the nearest double. */
    static double unsignedToDouble(long v) {
        return v >= 0 ? v : ((v >>> 1) | (v & 1)) * 2.0;
    }
}
