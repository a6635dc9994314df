package org.memstat.daemon;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusScrapeRequest;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.List;

/**
 * The one collector behind {@code /metrics}: reads every source at scrape time and builds all families from that
 * single reading, as {@link FamilyGroup}s for {@link ExpositionWriter} or as client_java snapshots. It is a
 * client_java {@link MultiCollector} too (package-private for now: making it public would let an application
 * register it in its own {@code PrometheusRegistry}, where {@code ?percpu=1} adds the per-CPU families).
 */
final class MetricsCollector implements MultiCollector {
    private final Sources sources;
    private final ZoneFilter filter;
    private final boolean percpu;

    MetricsCollector(Sources sources, ZoneFilter filter, boolean percpu) {
        this.sources = sources;
        this.filter = filter;
        this.percpu = percpu;
    }

    @Override
    public MetricSnapshots collect() {
        return collect(percpu);
    }

    @Override
    public MetricSnapshots collect(PrometheusScrapeRequest request) {
        return collect(percpu || (request != null && truthy(request.getParameterValues("percpu"))));
    }

    MetricSnapshots collect(boolean withPercpu) {
        return MetricsBuilder.build(groups(withPercpu));
    }

    /** Reads every source and fills the families from that one reading. */
    List<FamilyGroup> groups(boolean withPercpu) {
        return Families.groups(sources.readAll(), sources.list().size() > 1, filter, withPercpu);
    }

    /** {@code 1}, {@code true} or {@code yes} (the last value wins). */
    static boolean truthy(String[] values) {
        if (values == null || values.length == 0) {
            return false;
        }
        String v = values[values.length - 1];
        return "1".equals(v) || "true".equalsIgnoreCase(v) || "yes".equalsIgnoreCase(v);
    }
}
