package org.memstat.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.memstat.uma.Uma;

class ExpositionTest {
    private static final Set<String> DATA_LABELS = Set.of("zone", "type", "class", "state", "cpu", "source");

    private static Exposition scrape(Daemon d, String path) throws Exception {
        HttpResponse<String> r = Fixtures.get(d, path, "text/plain");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(
                ct -> assertThat(ct).startsWith("text/plain; version=0.0.4"));
        return Exposition.parse(r.body(), false);
    }

    @Test
    void servesStrictPrometheusTextWithPrefixedFamiliesBaseUnitsAndTotalCounters() throws Exception {
        try (Daemon d = Fixtures.start(Fixtures.config(), Fixtures.source("box", Fixtures.mbufUma()))) {
            Exposition e = scrape(d, "/metrics");
            assertThat(e.families).isNotEmpty();
            e.families.forEach((name, f) -> {
                assertThat(name).matches("memstat_[a-z0-9_]+");
                assertThat(f.help).as(name).isNotBlank();
                assertThat(f.type).as(name).isIn("counter", "gauge");
                assertThat(name).doesNotContainPattern("kilo|mega|milli|_(kb|mb|ms)(_|$)");
                if (f.type.equals("counter")) {
                    assertThat(name).endsWith("_total");
                    assertThat(f.samples.values()).allSatisfy(v -> assertThat(v).isGreaterThanOrEqualTo(0));
                }
            });
            // Facts set up by the fixture, not computed by the daemon's code.
            assertThat(e.value("memstat_zone_used_items", "zone", "mbuf_cluster")).isEqualTo(7.0);
            assertThat(e.value("memstat_zone_used_items", "zone", "mbuf")).isEqualTo(10.0);
            assertThat(e.value("memstat_zone_limit_items", "zone", "mbuf_cluster")).isEqualTo(1000.0);
            assertThat(e.value("memstat_zone_size_bytes", "zone", "mbuf_jumbo_9k")).isEqualTo(9216.0);
            assertThat(e.value("memstat_zone_bytes", "zone", "mbuf_cluster")).isEqualTo(7.0 * 2048);
            assertThat(e.value("memstat_zone_requests_total", "zone", "mbuf")).isEqualTo(10.0);
            assertThat(e.value("memstat_malloc_bytes", "type", "mbuf_tag")).isEqualTo(96.0);
            assertThat(e.value("memstat_malloc_used_items", "type", "mbuf_tag")).isEqualTo(3.0);
            assertThat(e.value("memstat_malloc_requests_total", "type", "temp")).isEqualTo(2.0);
            assertThat(e.value("memstat_mbuf_limit_items", "class", "cluster")).isEqualTo(1000.0);
            assertThat(e.value("memstat_mbuf_used_items", "class", "mbuf")).isEqualTo(10.0);
            assertThat(e.value("memstat_mbuf_used_items", "class", "cluster")).isEqualTo(7.0);
            assertThat(e.value("memstat_scrape_collector_success", "collector", "uma", "source", "box"))
                    .isEqualTo(1.0);
            assertThat(e.value("memstat_scrape_collector_success", "collector", "malloc", "source", "box"))
                    .isEqualTo(1.0);
            assertThat(e.series("memstat_scrape_collector_duration_seconds")).hasSize(2);
            // One source: data families carry no source label; zones are labels, never in names.
            assertThat(e.series("memstat_zone_used_items")).allSatisfy(l -> assertThat(l).containsOnlyKeys("zone"));
            assertThat(e.series("memstat_zone_used_items")).extracting(l -> l.get("zone"))
                    .contains("mbuf", "mbuf_cluster", "mbuf_packet", "mbuf_jumbo_page");
            assertThat(e.families.keySet()).noneMatch(n -> n.contains("mbuf_cluster"));
        }
    }

    @Test
    void negotiatesOpenMetricsFromTheAcceptHeader() throws Exception {
        try (Daemon d = Fixtures.start(Fixtures.config(), Fixtures.source("box", Fixtures.mbufUma()))) {
            HttpResponse<String> r = Fixtures.get(d, "/metrics",
                    "application/openmetrics-text; version=1.0.0; charset=utf-8");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type").orElseThrow())
                    .startsWith("application/openmetrics-text; version=1.0.0");
            Exposition e = Exposition.parse(r.body(), true);
            assertThat(e.families.get("memstat_zone_requests").type).isEqualTo("counter");
            assertThat(e.value("memstat_zone_requests_total", "zone", "mbuf")).isEqualTo(10.0);
            assertThat(e.families.get("memstat_zone_size_bytes").unit).isEqualTo("bytes");
        }
    }

    @Test
    void fallsBackToATextFormatWhenTheScraperAsksForProtobufFirst() throws Exception {
        String protobuf = "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited";
        try (Daemon d = Fixtures.start(Fixtures.config(), Fixtures.source("box", Fixtures.mbufUma()))) {
            // Prometheus with native histograms on: protobuf first, then OpenMetrics, then text.
            HttpResponse<String> om = Fixtures.get(d, "/metrics", protobuf + ";q=0.8,"
                    + "application/openmetrics-text;version=1.0.0;q=0.5,text/plain;version=0.0.4;q=0.1");
            assertThat(om.statusCode()).isEqualTo(200);
            assertThat(om.headers().firstValue("Content-Type").orElseThrow())
                    .startsWith("application/openmetrics-text; version=1.0.0");
            assertThat(Exposition.parse(om.body(), true).value("memstat_zone_requests_total", "zone", "mbuf"))
                    .isEqualTo(10.0);
            HttpResponse<String> text = Fixtures.get(d, "/metrics", protobuf);
            assertThat(text.statusCode()).isEqualTo(200);
            assertThat(text.headers().firstValue("Content-Type").orElseThrow())
                    .startsWith("text/plain; version=0.0.4");
            assertThat(Exposition.parse(text.body(), false).value("memstat_zone_used_items", "zone", "mbuf"))
                    .isEqualTo(10.0);
        }
    }

    @Test
    void compressesForGzipClientsAndFiltersByFamilyName() throws Exception {
        try (Daemon d = Fixtures.start(Fixtures.config(), Fixtures.source("box", Fixtures.mbufUma()))) {
            HttpResponse<byte[]> gz = Fixtures.CLIENT.send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(d.url() + "/metrics")).header("Accept-Encoding", "gzip").build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(gz.headers().firstValue("Content-Encoding")).hasValue("gzip");
            String text = new String(new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(gz.body()))
                    .readAllBytes(), StandardCharsets.UTF_8);
            assertThat(Exposition.parse(text, false).value("memstat_zone_used_items", "zone", "mbuf"))
                    .isEqualTo(10.0);
            Exposition one = scrape(d, "/metrics?name[]=memstat_zone_requests_total&name[]=memstat_zone_bytes");
            assertThat(one.families.keySet()).containsExactlyInAnyOrder("memstat_zone_requests_total",
                    "memstat_zone_bytes");
            HttpResponse<String> debug = Fixtures.get(d, "/metrics?debug=openmetrics");
            assertThat(debug.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
            assertThat(debug.body()).endsWith("# EOF\n");
        }
    }

    @Test
    void labelsEverySeriesWithItsSourceWhenSeveralAreServed() throws Exception {
        try (Daemon d = Fixtures.start(Fixtures.config(), Fixtures.source("a", Fixtures.mbufUma()),
                Fixtures.source("b", Fixtures.mbufUma()))) {
            Exposition e = scrape(d, "/metrics");
            for (String fam : List.of("memstat_zone_used_items", "memstat_malloc_bytes", "memstat_mbuf_used_items")) {
                List<Map<String, String>> series = e.series(fam);
                assertThat(series).allSatisfy(l -> assertThat(l).containsKey("source"));
                assertThat(series).extracting(l -> l.get("source")).containsOnly("a", "b");
            }
            assertThat(e.value("memstat_zone_used_items", "source", "b", "zone", "mbuf_cluster")).isEqualTo(7.0);
        }
    }

    @Test
    void addsPerCpuSeriesOnlyWhenAskedFor() throws Exception {
        try (Daemon d = Fixtures.start(Fixtures.config(), Fixtures.source("box", Fixtures.mbufUma()))) {
            Exposition plain = scrape(d, "/metrics");
            assertThat(plain.families.keySet()).noneMatch(n -> n.contains("_cpu_"));
            Exposition percpu = scrape(d, "/metrics?percpu=1");
            List<Map<String, String>> cpu = percpu.series("memstat_zone_cpu_free_items");
            long zones = percpu.series("memstat_zone_used_items").size();
            assertThat(cpu).hasSize((int) zones * Fixtures.CPUS);
            assertThat(cpu).extracting(l -> l.get("cpu")).containsOnly("0", "1");
            assertThat(percpu.series("memstat_malloc_cpu_requests_total")).hasSize(2 * Fixtures.CPUS);
        }
    }

    @Test
    void appliesIncludeAndExcludeToZones() throws Exception {
        DaemonConfig cfg = Fixtures.config().withFilter(new ZoneFilter(Pattern.compile("^mbuf"),
                Pattern.compile("jumbo")));
        try (Daemon d = Fixtures.start(cfg, Fixtures.source("box", Fixtures.mbufUma()))) {
            Exposition e = scrape(d, "/metrics");
            assertThat(e.series("memstat_zone_used_items")).extracting(l -> l.get("zone"))
                    .containsExactlyInAnyOrder("mbuf", "mbuf_cluster", "mbuf_packet");
            String json = Fixtures.get(d, "/api/v1/zones").body();
            assertThat(json).contains("\"mbuf_cluster\"").doesNotContain("jumbo").doesNotContain("Bucket");
        }
    }

    @Test
    void suffixesLaterDuplicateZoneNamesWithoutRenamingAnyRealZone() throws Exception {
        Uma uma = Fixtures.uma();
        Fixtures.zone(uma, "foo", 64);
        Fixtures.zone(uma, "foo#2", 96);
        Fixtures.zone(uma, "foo", 128);
        try (Daemon d = Fixtures.start(Fixtures.config(), Fixtures.source("dup", uma))) {
            Exposition e = scrape(d, "/metrics");
            Set<String> foos = e.series("memstat_zone_size_bytes").stream().map(l -> l.get("zone"))
                    .filter(z -> z.startsWith("foo")).collect(Collectors.toSet());
            assertThat(foos).containsExactlyInAnyOrder("foo", "foo#2", "foo#3");
            assertThat(e.value("memstat_zone_size_bytes", "zone", "foo#2")).isEqualTo(96.0);
            assertThat(Set.of(e.value("memstat_zone_size_bytes", "zone", "foo"),
                    e.value("memstat_zone_size_bytes", "zone", "foo#3"))).containsExactlyInAnyOrder(64.0, 128.0);
            // The same id finds the same zone through the JSON API; '#' travels percent-encoded.
            assertThat(Fixtures.get(d, "/api/v1/zones/foo%232").body()).contains("\"size\":96");
        }
    }

    @Test
    void promtoolAcceptsTheExpositionWhenInstalled(@TempDir Path dir) throws Exception {
        Path promtool = which("promtool");
        Assumptions.assumeTrue(promtool != null, "promtool not on PATH");
        try (Daemon d = Fixtures.start(Fixtures.config(), Fixtures.source("a", Fixtures.mbufUma()),
                Fixtures.source("b", Fixtures.mbufUma()))) {
            Path file = dir.resolve("metrics.txt");
            Files.writeString(file, Fixtures.get(d, "/metrics?percpu=1", "text/plain").body());
            Process p = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectInput(file.toFile())
                    .redirectErrorStream(true).start();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.exitValue()).as(out).isZero();
        }
    }

    static Path which(String cmd) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path p = Path.of(dir, cmd);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    @Test
    void usesOnlyDocumentedLabelNames() throws Exception {
        try (Daemon d = Fixtures.start(Fixtures.config(), Fixtures.source("a", Fixtures.mbufUma()),
                Fixtures.source("b", Fixtures.mbufUma()))) {
            Exposition e = scrape(d, "/metrics?percpu=1");
            for (String fam : e.families.keySet()) {
                for (Map<String, String> l : e.series(fam)) {
                    if (fam.startsWith("memstat_scrape_")) {
                        assertThat(l).containsOnlyKeys("collector", "source");
                    } else {
                        assertThat(DATA_LABELS).containsAll(l.keySet());
                    }
                }
            }
        }
    }
}
