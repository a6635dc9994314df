package org.memstat.daemon;

import java.util.HashMap;
import java.util.Map;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import tools.jackson.core.JsonGenerator;

/** The read-only JSON endpoints under {@code /api/v1}. */
final class JsonApi {
    private final Sources sources;
    private final ZoneFilter filter;
    private final boolean writesEnabled;

    JsonApi(Sources sources, ZoneFilter filter, boolean writesEnabled) {
        this.sources = sources;
        this.filter = filter;
        this.writesEnabled = writesEnabled;
    }

    /** {@code GET /api/v1/sources}: every source with its collectors' outcome, read now. */
    void sources(Response response, Callback callback) {
        var readings = sources.readAll();
        Http.json(response, callback, 200, g -> {
            g.writeStartObject();
            g.writeArrayPropertyStart("sources");
            for (int i = 0; i < readings.size(); i++) {
                Source src = sources.list().get(i);
                Sample s = readings.get(i).latest();
                g.writeStartObject();
                g.writeStringProperty("name", src.name());
                g.writeStringProperty("uri", src.uri());
                g.writeBooleanProperty("writable", writesEnabled && src.writer() != null);
                g.writeStringProperty("sampled-at", s.at().toString());
                g.writeObjectPropertyStart("collectors");
                for (String c : Sample.COLLECTORS) {
                    JsonViews.status(g, c, s.status(c));
                }
                g.writeEndObject();
                g.writeNumberProperty("zones", s.zones().size());
                g.writeNumberProperty("malloc-types", s.types().size());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    /** {@code GET /api/v1/zones}: every zone that passes the filter. */
    void zones(Source src, boolean percpu, Response response, Callback callback) {
        Sample s = umaOrFail(src, response, callback);
        if (s == null) {
            return;
        }
        Http.json(response, callback, 200, g -> {
            g.writeStartObject();
            JsonViews.head(g, s);
            g.writeObjectPropertyStart("memory-zone-statistics");
            g.writeArrayPropertyStart("zone");
            for (Sample.ZoneRow z : s.zones()) {
                if (filter.accepts(z.name())) {
                    JsonViews.zone(g, z, percpu);
                }
            }
            g.writeEndArray();
            g.writeEndObject();
            g.writeEndObject();
        });
    }

    /** {@code GET /api/v1/zones/{id}}: one zone by id (its name, or {@code name#N} for a later duplicate). */
    void zone(Source src, String id, boolean percpu, Response response, Callback callback) {
        Sample s = umaOrFail(src, response, callback);
        if (s == null) {
            return;
        }
        for (Sample.ZoneRow z : s.zones()) {
            if (z.id().equals(id) && filter.accepts(z.name())) {
                Http.json(response, callback, 200, g -> {
                    g.writeStartObject();
                    JsonViews.head(g, s);
                    g.writeName("zone");
                    JsonViews.zone(g, z, percpu);
                    g.writeEndObject();
                });
                return;
            }
        }
        Http.error(response, callback, 404, "no zone " + id, src.name());
    }

    /** {@code GET /api/v1/malloc}: the malloc types; an empty list when the source has none. */
    void malloc(Source src, boolean percpu, Response response, Callback callback) {
        Sample s = sources.read(src).latest();
        if (!s.malloc().success()) {
            Http.error(response, callback, 503, "memstat_sysctl_malloc: " + s.malloc().error(), src.name());
            return;
        }
        Http.json(response, callback, 200, g -> {
            g.writeStartObject();
            JsonViews.head(g, s);
            JsonViews.status(g, "collector", s.malloc());
            g.writeObjectPropertyStart("malloc-statistics");
            g.writeArrayPropertyStart("memory");
            for (Sample.MallocRow t : s.types()) {
                JsonViews.malloc(g, t, percpu);
            }
            g.writeEndArray();
            g.writeEndObject();
            g.writeEndObject();
        });
    }

    /**
     * {@code GET /api/v1/mbuf}: netstat -m's figures. 503 when the source could not be read; 404 with netstat's
     * message when a zone or malloc type it needs is missing.
     */
    void mbuf(Source src, Response response, Callback callback) {
        Sample s = sources.read(src).latest();
        if (s.mbuf() == null) {
            boolean readFailure = !s.uma().success() || !s.malloc().success();
            Http.error(response, callback, readFailure ? 503 : 404, s.mbufError(), src.name());
            return;
        }
        Http.json(response, callback, 200, g -> {
            g.writeStartObject();
            JsonViews.head(g, s);
            g.writeObjectPropertyStart("mbuf-statistics");
            JsonViews.figures(g, s.mbuf());
            g.writeEndObject();
            g.writeEndObject();
        });
    }

    /** {@code GET /api/v1/rates}: per-second rates between this reading and the previous one with data. */
    void rates(Source src, Response response, Callback callback) {
        Source.Readings r = sources.read(src);
        Sample now = r.latest();
        if (!now.uma().success()) {
            Http.error(response, callback, 503, "memstat_sysctl_uma: " + now.uma().error(), src.name());
            return;
        }
        Sample before = r.previous();
        double dt = before == null ? 0 : (now.nanos() - before.nanos()) / 1e9;
        Http.json(response, callback, 200, g -> {
            g.writeStartObject();
            JsonViews.head(g, now);
            if (before == null || dt <= 0) {
                g.writeNullProperty("previous-sampled-at");
                g.writeNullProperty("interval-seconds");
            } else {
                g.writeStringProperty("previous-sampled-at", before.at().toString());
                g.writeNumberProperty("interval-seconds", dt);
            }
            g.writeArrayPropertyStart("zone");
            if (before != null && dt > 0) {
                Map<String, Sample.ZoneRow> old = new HashMap<>();
                before.zones().forEach(z -> old.put(z.id(), z));
                for (Sample.ZoneRow z : now.zones()) {
                    Sample.ZoneRow o = old.get(z.id());
                    if (o != null && filter.accepts(z.name())) {
                        zoneRates(g, z, o, dt);
                    }
                }
            }
            g.writeEndArray();
            g.writeArrayPropertyStart("memory");
            if (before != null && dt > 0) {
                Map<String, Sample.MallocRow> old = new HashMap<>();
                before.types().forEach(t -> old.put(t.id(), t));
                for (Sample.MallocRow t : now.types()) {
                    Sample.MallocRow o = old.get(t.id());
                    if (o != null) {
                        g.writeStartObject();
                        g.writeStringProperty("type", t.name());
                        g.writeStringProperty("id", t.id());
                        rate(g, "requests-per-second", t.requests(), o.requests(), dt);
                        rate(g, "frees-per-second", t.frees(), o.frees(), dt);
                        rate(g, "memalloced-per-second", t.memAlloced(), o.memAlloced(), dt);
                        g.writeEndObject();
                    }
                }
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    private static void zoneRates(JsonGenerator g, Sample.ZoneRow z, Sample.ZoneRow o, double dt) {
        g.writeStartObject();
        g.writeStringProperty("name", z.name());
        g.writeStringProperty("id", z.id());
        rate(g, "requests-per-second", z.requests(), o.requests(), dt);
        rate(g, "frees-per-second", z.frees(), o.frees(), dt);
        rate(g, "fail-per-second", z.fail(), o.fail(), dt);
        rate(g, "sleep-per-second", z.sleep(), o.sleep(), dt);
        rate(g, "xdomain-per-second", z.xdomain(), o.xdomain(), dt);
        g.writeNumberProperty("used-delta", z.used() - o.used());
        g.writeEndObject();
    }

    /** A counter's rate; null when it went backwards (the type was recreated between the readings). */
    private static void rate(JsonGenerator g, String name, long now, long before, double dt) {
        long d = now - before;
        if (Long.compareUnsigned(now, before) < 0) {
            g.writeNullProperty(name);
        } else {
            g.writeNumberProperty(name, MetricsBuilder.unsignedToDouble(d) / dt);
        }
    }

    /** Reads {@code src}; answers 503 and returns null when its UMA collector failed. */
    private Sample umaOrFail(Source src, Response response, Callback callback) {
        Sample s = sources.read(src).latest();
        if (!s.uma().success()) {
            Http.error(response, callback, 503, "memstat_sysctl_uma: " + s.uma().error(), src.name());
            return null;
        }
        return s;
    }
}
