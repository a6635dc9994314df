package org.memstat.daemon;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.List;
import org.memstat.daemon.FamilyGroup.Family;
import org.memstat.daemon.FamilyGroup.Row;

/**
 * Turns {@link FamilyGroup}s into client_java snapshots: what {@link MetricsCollector} hands to an application
 * that registers it, what {@code /metrics} uses for formats other than Prometheus text and OpenMetrics 1.0, and
 * the reference {@link ExpositionWriter}'s output is tested against.
 */
final class MetricsBuilder {
    private MetricsBuilder() {
    }

    /** Snapshots of every family that has at least one sample. */
    static MetricSnapshots build(List<FamilyGroup> groups) {
        MetricSnapshots.Builder out = MetricSnapshots.builder();
        for (FamilyGroup g : groups) {
            String[] names = g.labelNames().toArray(String[]::new);
            Labels[] labels = new Labels[g.rows().size()];
            for (int r = 0; r < labels.length; r++) {
                labels[r] = Labels.of(names, g.rows().get(r).labelValues());
            }
            for (int f = 0; f < g.families().size(); f++) {
                if (g.hasSamples(f)) {
                    out.metricSnapshot(snapshot(g.families().get(f), f, g.rows(), labels));
                }
            }
        }
        return out.build();
    }

    private static io.prometheus.metrics.model.snapshots.MetricSnapshot snapshot(Family family, int f,
            List<Row> rows, Labels[] labels) {
        Unit unit = family.unit() == null ? null : new Unit(family.unit());
        if (family.counter()) {
            CounterSnapshot.Builder b = CounterSnapshot.builder().name(family.name()).help(family.help()).unit(unit);
            for (int r = 0; r < labels.length; r++) {
                double v = rows.get(r).values()[f];
                if (!Double.isNaN(v)) {
                    b.dataPoint(CounterDataPointSnapshot.builder().labels(labels[r]).value(v).build());
                }
            }
            return b.build();
        }
        GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(family.name()).help(family.help()).unit(unit);
        for (int r = 0; r < labels.length; r++) {
            double v = rows.get(r).values()[f];
            if (!Double.isNaN(v)) {
                b.dataPoint(GaugeDataPointSnapshot.builder().labels(labels[r]).value(v).build());
            }
        }
        return b.build();
    }

    /** A C {@code uint64_t} held in a long, as the nearest double. */
    static double unsignedToDouble(long v) {
        return v >= 0 ? v : ((v >>> 1) | (v & 1)) * 2.0;
    }
}
