package org.memstat.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.memstat.lib.MbufSummary;
import org.memstat.lib.MemoryTypeList;
import org.memstat.uma.Uma;
import tools.jackson.databind.JsonNode;

class JsonApiTest {
    private static JsonNode valid(Daemon d, String path, int status, String schema) throws Exception {
        HttpResponse<String> r = Fixtures.get(d, path);
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode doc = Http.MAPPER.readTree(r.body());
        assertThat(MiniSchema.load(schema).validate(doc)).as(path + " against " + schema).isEmpty();
        return doc;
    }

    @Test
    void everyEndpointAnswersJsonMatchingItsSchema() throws Exception {
        try (Daemon d = Fixtures.start(Fixtures.config(), Fixtures.source("box", Fixtures.mbufUma()))) {
            valid(d, "/api/v1/sources", 200, "sources");
            JsonNode zones = valid(d, "/api/v1/zones", 200, "zones");
            valid(d, "/api/v1/zones?percpu=1&source=box", 200, "zones");
            JsonNode one = valid(d, "/api/v1/zones/mbuf_cluster", 200, "zone");
            assertThat(one.get("zone").get("used").asLong()).isEqualTo(7);
            assertThat(one.get("zone").get("limit").asLong()).isEqualTo(1000);
            JsonNode malloc = valid(d, "/api/v1/malloc?percpu=1", 200, "malloc");
            JsonNode tag = malloc.get("malloc-statistics").get("memory").get(0);
            List<String> types = new ArrayList<>();
            malloc.get("malloc-statistics").get("memory").forEach(t -> types.add(t.get("type").asString()));
            assertThat(types).containsExactlyInAnyOrder("mbuf_tag", "temp");
            JsonNode temp = tag.get("type").asString().equals("temp") ? tag
                    : malloc.get("malloc-statistics").get("memory").get(1);
            assertThat(temp.get("size").get(0).asInt()).isEqualTo(1024);
            assertThat(temp.get("in-use").asLong()).isEqualTo(1);
            assertThat(temp.get("memory-use").asLong()).isEqualTo(1);
            JsonNode mbuf = valid(d, "/api/v1/mbuf", 200, "mbuf");
            assertThat(mbuf.get("mbuf-statistics").get("cluster-max").asLong()).isEqualTo(1000);
            valid(d, "/api/v1/rates", 200, "rates");
            assertThat(zones.get("memory-zone-statistics").get("zone").size()).isGreaterThanOrEqualTo(6);
            valid(d, "/api/v1/zones/nope", 404, "error");
            valid(d, "/api/v1/zones?source=nope", 404, "error");
            valid(d, "/api/v1/nope", 404, "error");
        }
    }

    @Test
    void mbufSummaryEqualsNetstatFiguresComputedFromTheSameAllocator() throws Exception {
        Uma uma = Fixtures.mbufUma();
        MemoryTypeList list = new MemoryTypeList();
        list.refreshAll(InProcess.reader("x", uma.sysctl()));
        MbufSummary direct = MbufSummary.from(list);
        try (Daemon d = Fixtures.start(Fixtures.config(), Fixtures.source("box", uma))) {
            JsonNode figures = valid(d, "/api/v1/mbuf", 200, "mbuf").get("mbuf-statistics");
            List<String> keys = new ArrayList<>();
            figures.propertyNames().forEach(keys::add);
            assertThat(keys).containsExactlyElementsOf(direct.figures().keySet());
            direct.figures().forEach((k, v) -> assertThat(figures.get(k).asLong()).as(k).isEqualTo(v));
            assertThat(figures.get("cluster-current").asLong()).isEqualTo(7);
        }
    }

    @Test
    void keepsAStableOrderAcrossRequests() throws Exception {
        try (Daemon d = Fixtures.start(Fixtures.config(), Fixtures.source("box", Fixtures.mbufUma()))) {
            List<String> first = zoneIds(valid(d, "/api/v1/zones", 200, "zones"));
            List<String> second = zoneIds(valid(d, "/api/v1/zones", 200, "zones"));
            assertThat(second).isEqualTo(first);
            // libmemstat order: a secondary zone is listed before its primary.
            assertThat(first.indexOf("mbuf_packet")).isLessThan(first.indexOf("mbuf"));
        }
    }

    private static List<String> zoneIds(JsonNode doc) {
        List<String> ids = new ArrayList<>();
        doc.get("memory-zone-statistics").get("zone").forEach(z -> ids.add(z.get("id").asString()));
        return ids;
    }

    @Test
    void ratesComeFromTheLastTwoSamples() throws Exception {
        Uma uma = Fixtures.mbufUma();
        var cluster = uma.zones().stream().filter(z -> z.name().equals("mbuf_cluster")).findFirst().orElseThrow();
        try (Daemon d = Fixtures.start(Fixtures.config(), Fixtures.source("box", uma))) {
            valid(d, "/api/v1/zones", 200, "zones");
            Fixtures.use(cluster, 50);
            JsonNode r = valid(d, "/api/v1/rates", 200, "rates");
            double dt = r.get("interval-seconds").asDouble();
            assertThat(dt).isPositive();
            JsonNode row = null;
            for (JsonNode z : r.get("zone")) {
                if (z.get("id").asString().equals("mbuf_cluster")) {
                    row = z;
                }
            }
            assertThat(row).isNotNull();
            assertThat(row.get("used-delta").asLong()).isEqualTo(50);
            assertThat(row.get("requests-per-second").asDouble() * dt).isCloseTo(50.0,
                    org.assertj.core.data.Offset.offset(1e-6));
        }
    }

    @Test
    void servesALandingPageLinkingTheRestAndAHealthCheck() throws Exception {
        try (Daemon d = Fixtures.start(Fixtures.config(), Fixtures.source("a<b", Fixtures.mbufUma()))) {
            HttpResponse<String> home = Fixtures.get(d, "/");
            assertThat(home.statusCode()).isEqualTo(200);
            assertThat(home.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
            assertThat(home.body()).contains("href=\"/metrics\"", "href=\"/api/v1/sources\"", "href=\"/healthz\"",
                    "/api/v1/zones?source=a%3Cb", "a&lt;b").doesNotContain("a<b");
            HttpResponse<String> health = Fixtures.get(d, "/healthz");
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).isEqualTo("ok\n");
        }
    }
}
