package org.memstat.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** deploy/: the dashboard and alert rules refer only to metrics the daemon really exports. */
class DeployFilesTest {
    private static final Path DEPLOY = Path.of("..", "deploy");
    private static final Pattern METRIC = Pattern.compile("memstat_[a-z0-9_]+");
    private static final Set<String> EXPORTED = new HashSet<>();

    @BeforeAll
    static void scrape() throws Exception {
        try (Daemon d = Fixtures.start(Fixtures.config(), Fixtures.source("box", Fixtures.mbufUma()))) {
            Exposition e = Exposition.parse(Fixtures.get(d, "/metrics?percpu=1", "text/plain").body(), false);
            e.families.keySet().forEach(EXPORTED::add);
        }
        assertThat(EXPORTED).contains("memstat_zone_bytes", "memstat_mbuf_limit_items");
    }

    private static List<String> metricsIn(String text) {
        List<String> names = new ArrayList<>();
        Matcher m = METRIC.matcher(text);
        while (m.find()) {
            names.add(m.group());
        }
        return names;
    }

    @Test
    void dashboardHasADatasourceVariableAndTheRequiredPanels() throws Exception {
        JsonNode dash = Http.MAPPER.readTree(Files.readString(DEPLOY.resolve("grafana/memstat.json")));
        JsonNode ds = null;
        for (JsonNode v : dash.get("templating").get("list")) {
            if (v.get("name").asString().equals("datasource")) {
                ds = v;
            }
        }
        assertThat(ds).isNotNull();
        assertThat(ds.get("type").asString()).isEqualTo("datasource");
        assertThat(ds.get("query").asString()).isEqualTo("prometheus");
        List<String> titles = new ArrayList<>();
        List<String> exprs = new ArrayList<>();
        for (JsonNode p : dash.get("panels")) {
            titles.add(p.get("title").asString());
            assertThat(p.get("datasource").get("uid").asString()).isEqualTo("${datasource}");
            for (JsonNode t : p.get("targets")) {
                exprs.add(t.get("expr").asString());
            }
        }
        assertThat(titles).anyMatch(t -> t.contains("Top zones by bytes"))
                .anyMatch(t -> t.contains("Allocation rate")).anyMatch(t -> t.contains("failures and sleeps"))
                .anyMatch(t -> t.contains("mbuf clusters") && t.contains("limit"));
        assertThat(exprs).isNotEmpty();
        for (String expr : exprs) {
            assertThat(EXPORTED).as(expr).containsAll(metricsIn(expr));
        }
    }

    @Test
    void alertRulesReferOnlyToExportedMetrics() throws Exception {
        String rules = Files.readString(DEPLOY.resolve("alerts.yml"));
        List<String> exprs = rules.lines().filter(l -> l.strip().startsWith("expr:")).toList();
        assertThat(exprs).hasSizeGreaterThanOrEqualTo(4);
        assertThat(String.join("\n", exprs)).contains("memstat_zone_failures_total")
                .contains("memstat_mbuf_limit_items");
        for (String expr : exprs) {
            assertThat(EXPORTED).as(expr).containsAll(metricsIn(expr));
        }
        assertThat(Files.readString(DEPLOY.resolve("prometheus.yml"))).contains("127.0.0.1:9460")
                .contains("alerts.yml");
    }

    @Test
    void promtoolAcceptsTheRulesAndTheScrapeConfigWhenInstalled() throws Exception {
        Path promtool = ExpositionTest.which("promtool");
        Assumptions.assumeTrue(promtool != null, "promtool not on PATH");
        run(promtool.toString(), "check", "rules", "alerts.yml");
        run(promtool.toString(), "check", "config", "prometheus.yml");
    }

    private static void run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).directory(DEPLOY.toFile()).redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out).isZero();
    }
}
