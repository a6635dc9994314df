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
import java.util.concurrent.CompletionException;
import java.util.zip.Deflater;
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
    private final Map<Variant, Flight> inflight = new HashMap<>();
    private final Bodies bodies = new Bodies();

    /** A rendering in progress and how many requests wait for it (guarded by {@code inflight}'s lock). */
    private static final class Flight {
        final CompletableFuture<Bodies.Body> body = new CompletableFuture<>();
        int users = 1;
    }

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
        ExpositionFormatWriter writer = debug == null ? negotiate(accept)
                : debug.equals("openmetrics") ? FORMATS.getOpenMetricsTextFormatWriter()
                : FORMATS.getPrometheusTextFormatWriter();
        String contentType = debug == null ? writer.getContentType() : "text/plain; charset=utf-8";
        boolean gzip = debug == null && acceptsGzip(request);
        List<String> names = query.getValues("name[]");
        boolean percpu = percpuDefault || MetricsCollector.truthy(names(query.getValues("percpu")));
        Variant v = new Variant(contentType, EscapingScheme.fromAcceptHeader(accept), percpu, gzip,
                names == null ? null : Set.copyOf(names));
        Bodies.Body body = v.names() == null ? shared(v, writer) : bodies.publish(render(v, writer), 1);
        if (gzip) {
            response.getHeaders().put(HttpHeader.CONTENT_ENCODING, "gzip");
        }
        body.send(response, callback, contentType);
    }

    /**
     * client_java's choice for {@code accept}, unless that is a format it cannot write here: it picks protobuf
     * whenever the header names it (Prometheus lists it first when native histograms are on), but the protobuf
     * writer needs a library we do not ship. Then OpenMetrics if the header accepts it, else Prometheus text, as
     * content negotiation falls back.
     */
    static ExpositionFormatWriter negotiate(String accept) {
        ExpositionFormatWriter w = FORMATS.findWriter(accept);
        if (w.isAvailable()) {
            return w;
        }
        ExpositionFormatWriter om = FORMATS.getOpenMetricsTextFormatWriter();
        return accept != null && om.accepts(accept) ? om : FORMATS.getPrometheusTextFormatWriter();
    }

    /**
     * Renders for {@code v} or joins the rendering in progress. Every request counted in {@link Flight#users}
     * sends the body once, which releases it; the count is final when the flight leaves the map, before the body
     * is published.
     */
    private Bodies.Body shared(Variant v, ExpositionFormatWriter writer) throws IOException {
        Flight f;
        boolean mine;
        synchronized (inflight) {
            f = inflight.get(v);
            mine = f == null;
            if (mine) {
                f = new Flight();
                inflight.put(v, f);
            } else {
                f.users++;
            }
        }
        if (!mine) {
            try {
                return f.body.join();
            } catch (CompletionException e) {
                // The renderer's own failure, rethrown here as it was thrown there.
                if (e.getCause() instanceof IOException io) {
                    throw io;
                }
                throw e.getCause() instanceof RuntimeException re ? re : e;
            }
        }
        try {
            ByteSink sink = render(v, writer);
            int users;
            synchronized (inflight) {
                inflight.remove(v);
                users = f.users;
            }
            Bodies.Body body = bodies.publish(sink, users);
            f.body.complete(body);
            return body;
        } catch (Throwable t) {
            // Whatever went wrong (an Error included), the requests that joined must not wait forever. Remove
            // only this flight: a newer one for the same variant may already be in the map.
            synchronized (inflight) {
                inflight.remove(v, f);
            }
            f.body.completeExceptionally(t);
            throw t;
        }
    }

    /** Reads the sources and renders {@code v} into a sink from the pool. */
    private ByteSink render(Variant v, ExpositionFormatWriter writer) throws IOException {
        List<FamilyGroup> groups = collector.groups(v.percpu());
        ByteSink text = bodies.sink();
        try {
            if (writer instanceof PrometheusTextFormatWriter || writer instanceof OpenMetricsTextFormatWriter) {
                ExpositionWriter.write(text, groups, writer instanceof OpenMetricsTextFormatWriter, v.escaping(),
                        v.names());
            } else {
                writer.write(text, only(MetricsBuilder.build(groups), v.names()), v.escaping());
            }
            if (!v.gzip()) {
                return text;
            }
            ByteSink gz = bodies.sink();
            try (GZIPOutputStream out = fastGzip(gz)) {
                text.writeTo(out);
            }
            bodies.discard(text);
            return gz;
        } catch (IOException | RuntimeException e) {
            bodies.discard(text);
            throw e;
        }
    }

    /**
     * gzip at the fastest level: the exposition repeats its names on every line, so level 1 already shrinks it
     * about tenfold, at a third of the default level's CPU per scrape.
     */
    private static GZIPOutputStream fastGzip(ByteSink to) throws IOException {
        return new GZIPOutputStream(to, 1 << 16) {
            {
                def.setLevel(Deflater.BEST_SPEED);
            }
        };
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
