package org.memstat.daemon;

import java.util.Map;
import tools.jackson.core.JsonGenerator;

/**
 * JSON shapes of zones, malloc types and statuses. Field names are FreeBSD's libxo keys where one exists
 * ({@code vmstat -z}, {@code vmstat -m}, {@code netstat -m}), otherwise libmemstat's accessor names; the order is
 * fixed (documented in docs/API.md).
 */
final class JsonViews {
    private JsonViews() {
    }

    static void zone(JsonGenerator g, Sample.ZoneRow z, boolean percpu) {
        g.writeStartObject();
        g.writeStringProperty("name", z.name());
        g.writeStringProperty("id", z.id());
        Http.unsigned(g, "size", z.size());
        Http.unsigned(g, "limit", z.limit());
        Http.unsigned(g, "used", z.used());
        Http.unsigned(g, "free", z.free());
        Http.unsigned(g, "requests", z.requests());
        Http.unsigned(g, "fail", z.fail());
        Http.unsigned(g, "sleep", z.sleep());
        Http.unsigned(g, "xdomain", z.xdomain());
        Http.unsigned(g, "rsize", z.rsize());
        Http.unsigned(g, "byteslimit", z.bytesLimit());
        Http.unsigned(g, "numfrees", z.frees());
        Http.unsigned(g, "bytes", z.bytes());
        Http.unsigned(g, "memalloced", z.memAlloced());
        Http.unsigned(g, "memfreed", z.memFreed());
        Http.unsigned(g, "zonefree", z.zoneFree());
        Http.unsigned(g, "kegfree", z.kegFree());
        if (percpu) {
            g.writeArrayPropertyStart("percpu");
            for (int c = 0; c < z.cpuFree().length; c++) {
                g.writeStartObject();
                g.writeNumberProperty("cpu", c);
                Http.unsigned(g, "free", z.cpuFree()[c]);
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        g.writeEndObject();
    }

    static void malloc(JsonGenerator g, Sample.MallocRow t, boolean percpu) {
        g.writeStartObject();
        g.writeStringProperty("type", t.name());
        g.writeStringProperty("id", t.id());
        Http.unsigned(g, "in-use", t.used());
        // vmstat -m's MemUse: kilobytes, rounded up.
        Http.unsigned(g, "memory-use", Long.divideUnsigned(t.bytes(), 1024) + (t.bytes() % 1024 != 0 ? 1 : 0));
        Http.unsigned(g, "requests", t.requests());
        g.writeArrayPropertyStart("size");
        for (long s : t.sizes()) {
            g.writeNumber(s);
        }
        g.writeEndArray();
        Http.unsigned(g, "numfrees", t.frees());
        Http.unsigned(g, "bytes", t.bytes());
        Http.unsigned(g, "memalloced", t.memAlloced());
        Http.unsigned(g, "memfreed", t.memFreed());
        Http.unsigned(g, "sizemask", t.sizeMask());
        if (percpu) {
            g.writeArrayPropertyStart("percpu");
            for (int c = 0; c < t.cpu().length; c++) {
                long[] v = t.cpu()[c];
                g.writeStartObject();
                g.writeNumberProperty("cpu", c);
                Http.unsigned(g, "memalloced", v[0]);
                Http.unsigned(g, "memfreed", v[1]);
                Http.unsigned(g, "numallocs", v[2]);
                Http.unsigned(g, "numfrees", v[3]);
                Http.unsigned(g, "sizemask", v[4]);
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        g.writeEndObject();
    }

    static void status(JsonGenerator g, String name, Sample.Status s) {
        g.writeObjectPropertyStart(name);
        g.writeStringProperty("status", s.state().json());
        if (s.error() != null) {
            g.writeStringProperty("error", s.error());
        }
        g.writeNumberProperty("duration-seconds", s.seconds());
        g.writeEndObject();
    }

    static void figures(JsonGenerator g, Map<String, Long> figures) {
        for (Map.Entry<String, Long> e : figures.entrySet()) {
            Http.unsigned(g, e.getKey(), e.getValue());
        }
    }

    /** The common head of a per-source answer. */
    static void head(JsonGenerator g, Sample s) {
        g.writeStringProperty("source", s.source());
        g.writeStringProperty("sampled-at", s.at().toString());
    }
}
