package org.memstat.daemon;

import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.zip.GZIPOutputStream;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/**
 * {@code /metrics}: client_java's {@link ExpositionFormats} picks Prometheus text 0.0.4 or OpenMetrics 1.0 from
 * the Accept header (and the name escaping from it); gzip when the client accepts it; {@code ?percpu=1},
 * {@code ?name[]=FAMILY} and {@code ?debug=text|openmetrics} as client_java's own scrape handler offers them.
 * The two text formats are written by {@link ExpositionWriter} (the same bytes as client_java's writers, several
 * times faster); any other format client_java may negotiate is written by client_java from the snapshots.
 *
 * <p><b>Coalescing.</b> Requests for the same variant that arrive while one is being read and rendered share that
 * result instead of reading the sources again: the statistics are still read during the request, and a burst of
 * concurrent scrapes costs one reading and one rendering. Requests with {@code name[]} are never shared.
 */
final class MetricsEndpoint {
    private static final ExpositionFormats FORMATS = ExpositionFormats.init();
    private final MetricsCollector collector;
    private final boolean percpuDefault;
    private final Map<Variant, CompletableFuture<ByteSink>> inflight = new HashMap<>();
    /** The last body's size, so the next buffer rarely grows (a 1,000-zone exposition is about 0.5 MB). */
    private volatile int lastSize = 1 << 16;

    /** What distinguishes one rendering from another. */
    private record Variant(String contentType, EscapingScheme escaping, boolean percpu, boolean gzip,
            Set<String> names) {
    }

    MetricsEndpoint(MetricsCollector collector, boolean percpuDefault) {
        this.collector = collector;
        this.percpuDefault = percpuDefault;
    }

    void handle(Request request, Response response, Callback callback, Fields query) throws IOException {
        String accept = request.getHeaders().get(HttpHeader.ACCEPT);
        String debug = query.getValue("debug");
        ExpositionFormatWriter writer = debug == null ? FORMATS.findWriter(accept)
                : debug.equals("openmetrics") ? FORMATS.getOpenMetricsTextFormatWriter()
                : FORMATS.getPrometheusTextFormatWriter();
        String contentType = debug == null ? writer.getContentType() : "text/plain; charset=utf-8";
        boolean gzip = debug == null && acceptsGzip(request);
        List<String> names = query.getValues("name[]");
        boolean percpu = percpuDefault || MetricsCollector.truthy(names(query.getValues("percpu")));
        Variant v = new Variant(contentType, EscapingScheme.fromAcceptHeader(accept), percpu, gzip,
                names == null ? null : Set.copyOf(names));
        ByteSink body = v.names() == null ? shared(v, writer) : render(v, writer);
        if (gzip) {
            response.getHeaders().put(HttpHeader.CONTENT_ENCODING, "gzip");
        }
        // Each response gets its own view: a shared body is sent to several clients at once.
        Http.send(response, callback, 200, contentType, body.asBuffer());
    }

    private ByteSink shared(Variant v, ExpositionFormatWriter writer) throws IOException {
        CompletableFuture<ByteSink> f;
        boolean mine = false;
        synchronized (inflight) {
            f = inflight.get(v);
            if (f == null) {
                f = new CompletableFuture<>();
                inflight.put(v, f);
                mine = true;
            }
        }
        if (!mine) {
            return f.join();
        }
        try {
            ByteSink body = render(v, writer);
            f.complete(body);
            return body;
        } catch (IOException | RuntimeException e) {
            f.completeExceptionally(e);
            throw e;
        } finally {
            synchronized (inflight) {
                inflight.remove(v);
            }
        }
    }

    private ByteSink render(Variant v, ExpositionFormatWriter writer) throws IOException {
        List<FamilyGroup> groups = collector.groups(v.percpu());
        ByteSink text = new ByteSink(lastSize + (lastSize >> 3));
        if (writer instanceof PrometheusTextFormatWriter || writer instanceof OpenMetricsTextFormatWriter) {
            ExpositionWriter.write(text, groups, writer instanceof OpenMetricsTextFormatWriter, v.escaping(),
                    v.names());
        } else {
            writer.write(text, only(MetricsBuilder.build(groups), v.names()), v.escaping());
        }
        lastSize = Math.max(1 << 12, text.size());
        if (!v.gzip()) {
            return text;
        }
        ByteSink gz = new ByteSink(text.size() >> 3);
        try (GZIPOutputStream out = new GZIPOutputStream(gz, 1 << 16)) {
            text.writeTo(out);
        }
        return gz;
    }

    /** The snapshots named in {@code names} (with or without {@code _total}), or all when it is null. */
    private static MetricSnapshots only(MetricSnapshots snapshots, Set<String> names) {
        if (names == null) {
            return snapshots;
        }
        MetricSnapshots.Builder b = MetricSnapshots.builder();
        for (MetricSnapshot s : snapshots) {
            String n = s.getMetadata().getPrometheusName();
            if (names.contains(n) || names.contains(n + "_total")) {
                b.metricSnapshot(s);
            }
        }
        return b.build();
    }

    private static boolean acceptsGzip(Request request) {
        for (String h : request.getHeaders().getValuesList(HttpHeader.ACCEPT_ENCODING)) {
            for (String e : h.split(",")) {
                String enc = e.strip();
                int semi = enc.indexOf(';');
                if ((semi < 0 ? enc : enc.substring(0, semi).strip()).equalsIgnoreCase("gzip")
                        && !enc.replace(" ", "").endsWith("q=0")) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String[] names(List<String> values) {
        return values == null ? null : values.toArray(String[]::new);
    }
}
