package org.memstat.daemon;

import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.memstat.lib.SysctlSource;

/**
 * Renders the {@code /metrics} exposition for a set of sources into a stream, without HTTP: what the daemon does
 * per scrape, exposed for benchmarks and embedding.
 *
 * <pre>{@code
 * SysctlSource src = SysctlSource.of("bench", oid -> ...);          // e.g. over an in-process uma-core registry
 * try (MetricsRenderer r = MetricsRenderer.of(Map.of("bench", src))) {
 *     r.render(OutputStream.nullOutputStream(), false);            // read the source, write Prometheus text
 * }
 * }</pre>
 */
public final class MetricsRenderer implements AutoCloseable {
    private static final ExpositionFormats FORMATS = ExpositionFormats.init();
    private final Sources sources;
    private final MetricsCollector collector;
    private final boolean percpu;
    private int lastSize = 1 << 16;

    private MetricsRenderer(Sources sources, boolean percpu) {
        this.sources = sources;
        this.collector = new MetricsCollector(sources, ZoneFilter.ALL, percpu);
        this.percpu = percpu;
    }

    /**
     * A renderer over {@code sources} (name to source, in iteration order), with a 2 s read timeout, no zone
     * filter and no per-CPU families. The sources are closed with the renderer.
     *
     * @param sources the sources by name
     * @return the renderer
     */
    public static MetricsRenderer of(Map<String, SysctlSource> sources) {
        return of(sources, false);
    }

    /**
     * As {@link #of(Map)}, optionally with the per-CPU families.
     *
     * @param sources the sources by name
     * @param percpu  whether to add the per-CPU families
     * @return the renderer
     */
    public static MetricsRenderer of(Map<String, SysctlSource> sources, boolean percpu) {
        List<Source> list = new ArrayList<>();
        for (Map.Entry<String, SysctlSource> e : new LinkedHashMap<>(sources).entrySet()) {
            list.add(new Source(e.getKey(), e.getValue().uri(), e.getValue(), null, null));
        }
        return new MetricsRenderer(new Sources(list, Duration.ofSeconds(2)), percpu);
    }

    /**
     * Reads every source and writes the exposition.
     *
     * @param out         where to write
     * @param openMetrics OpenMetrics 1.0 text when true, Prometheus text 0.0.4 otherwise
     * @throws IOException if writing fails
     */
    public void render(OutputStream out, boolean openMetrics) throws IOException {
        ByteSink body = new ByteSink(lastSize);
        ExpositionWriter.write(body, collector.groups(percpu), openMetrics, EscapingScheme.DEFAULT, null);
        lastSize = body.size();
        body.writeTo(out);
    }

    /**
     * As {@link #render}, but through client_java's snapshots and writers: the same bytes, more slowly (the
     * reference the daemon's own writer is tested and benchmarked against).
     *
     * @param out         where to write
     * @param openMetrics OpenMetrics 1.0 text when true, Prometheus text 0.0.4 otherwise
     * @throws IOException if writing fails
     */
    public void renderWithClientJava(OutputStream out, boolean openMetrics) throws IOException {
        MetricSnapshots snapshots = collector.collect();
        if (openMetrics) {
            FORMATS.getOpenMetricsTextFormatWriter().write(out, snapshots);
        } else {
            FORMATS.getPrometheusTextFormatWriter().write(out, snapshots);
        }
    }

    /** Closes the sources. */
    @Override
    public void close() {
        sources.close();
    }
}
