package org.memstat.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.memstat.daemon.FamilyGroup.Family;
import org.memstat.uma.Tries;
import org.memstat.uma.Uma;

/**
 * {@link ExpositionWriter} writes exactly what client_java's own writers write for {@link MetricsBuilder}'s
 * snapshots of the same families: random families, hostile help texts and label values, edge-case numbers, every
 * escaping scheme, name filters, both text formats; and the daemon's real families over several sources.
 */
class ExpositionWriterTest {
    private static final ExpositionFormats FORMATS = ExpositionFormats.init();
    /** Characters that need escaping or multi-byte UTF-8, mixed with plain ones. */
    private static final String CHARS = "ab_z09 \"\\\n{}=,#é€\uD83D\uDE00\t";
    private static final double[] EDGE = {0, 1, 9_999_999, 1e7, 1e7 + 1, 0.001, 9.99e-4, 0.5, 123.25,
        Math.pow(2, 53) + 2, MetricsBuilder.unsignedToDouble(-1L), MetricsBuilder.unsignedToDouble(Long.MIN_VALUE),
        Double.MIN_VALUE, Double.MAX_VALUE, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, -3, -2.5e-9};

    @Test
    void writesWhatClientJavaWritesForRandomFamilies() {
        Tries.run(300, ExpositionWriterTest::checkRandomFamilies);
    }

    private static void checkRandomFamilies(SplittableRandom rnd) throws IOException {
        int groupCount = Tries.between(rnd, 0, 5);
        boolean withSource = rnd.nextBoolean();
        boolean filtered = rnd.nextBoolean();
        Set<String> used = new HashSet<>();
        List<FamilyGroup> groups = new ArrayList<>();
        for (int g = 0; g < groupCount; g++) {
            groups.add(randomGroup(rnd, withSource, used));
        }
        Set<String> names = null;
        if (filtered) {
            names = new HashSet<>();
            for (String n : used) {
                if (rnd.nextBoolean()) {
                    names.add(rnd.nextBoolean() ? n : n + "_total");
                }
            }
            names.add("memstat_not_a_family");
        }
        assertSameAsClientJava(groups, names);
    }

    @Test
    void writesWhatClientJavaWritesForTheDaemonsFamiliesOverSeveralSourcesWithPerCpuSeries() throws Exception {
        try (Uma mbufs = Fixtures.mbufUma(); Uma many = ZoneDump.manyZones(40);
                Sources sources = new Sources(List.of(Fixtures.source("box", mbufs), Fixtures.source("big", many)),
                        java.time.Duration.ofSeconds(5))) {
            for (boolean percpu : new boolean[] {false, true}) {
                List<FamilyGroup> groups = Families.groups(sources.readAll(), true, ZoneFilter.ALL, percpu);
                assertThat(groups.stream().mapToInt(g -> g.rows().size()).sum()).isGreaterThan(40 * (percpu ? 3 : 1));
                assertSameAsClientJava(groups, null);
                assertSameAsClientJava(groups, Set.of("memstat_zone_requests_total", "memstat_mbuf_limit_items"));
            }
        }
    }

    @Test
    void leavesOutFamiliesWithoutSamplesAsClientJavaDoes() throws IOException {
        Family a = new Family("memstat_a_items", "A.", false);
        Family b = new Family("memstat_b", "B.", true);
        FamilyGroup g = new FamilyGroup(List.of(a, b), true, "zone");
        g.add("s", new String[] {"z"}, 1, FamilyGroup.ABSENT);
        String text = new String(ours(List.of(g), false, EscapingScheme.ALLOW_UTF8, null), StandardCharsets.UTF_8);
        assertThat(text).isEqualTo("# HELP memstat_a_items A.\n# TYPE memstat_a_items gauge\n"
                + "memstat_a_items{source=\"s\",zone=\"z\"} 1.0\n");
        assertSameAsClientJava(List.of(g), null);
    }

    private static FamilyGroup randomGroup(SplittableRandom rnd, boolean withSource, Set<String> used) {
        List<Family> families = new ArrayList<>();
        for (int f = 0, n = 1 + rnd.nextInt(4); f < n; f++) {
            String base;
            do {
                base = "memstat_" + word(rnd) + List.of("", "_bytes", "_seconds", "_items").get(rnd.nextInt(4));
            } while (!used.add(base));
            families.add(new Family(base, text(rnd, 1 + rnd.nextInt(40)), rnd.nextBoolean()));
        }
        List<String> others = new ArrayList<>(List.of("cpu", "class", "zone", "type").subList(0, rnd.nextInt(3)));
        others.sort(null);
        FamilyGroup g = new FamilyGroup(families, withSource, others.toArray(String[]::new));
        Set<List<String>> labelSets = new HashSet<>();
        for (int r = 0, n = rnd.nextInt(30); r < n; r++) {
            String source = List.of("a", "b", "src\"x").get(rnd.nextInt(3));
            String[] values = new String[others.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = text(rnd, rnd.nextInt(6));
            }
            List<String> key = new ArrayList<>(List.of(values));
            key.add(withSource ? source : "");
            if (!labelSets.add(key)) {
                continue; // label sets are unique within a family, as Families guarantees
            }
            double[] v = new double[families.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = switch (rnd.nextInt(4)) {
                    case 0 -> EDGE[rnd.nextInt(EDGE.length)];
                    case 1 -> rnd.nextLong(1L << 40);
                    case 2 -> rnd.nextDouble() * Math.pow(10, rnd.nextInt(-6, 25));
                    default -> rnd.nextInt(8) == 0 ? FamilyGroup.ABSENT : rnd.nextInt(100);
                };
                if (families.get(i).counter()) {
                    v[i] = Math.abs(v[i]); // client_java refuses negative counters; ours are uint64 counts
                }
            }
            g.add(source, values, v);
        }
        return g;
    }

    private static String word(SplittableRandom rnd) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0, n = 1 + rnd.nextInt(8); i < n; i++) {
            sb.append((char) ('a' + rnd.nextInt(26)));
        }
        return sb.toString();
    }

    private static String text(SplittableRandom rnd, int length) {
        StringBuilder sb = new StringBuilder();
        while (sb.length() < length) {
            int i = rnd.nextInt(CHARS.length());
            // Keep surrogate pairs whole: a lone surrogate is not a string either writer is asked to write.
            if (Character.isHighSurrogate(CHARS.charAt(i))) {
                sb.append(CHARS, i, i + 2);
            } else if (!Character.isLowSurrogate(CHARS.charAt(i))) {
                sb.append(CHARS.charAt(i));
            }
        }
        return sb.toString();
    }

    private static void assertSameAsClientJava(List<FamilyGroup> groups, Set<String> names) throws IOException {
        MetricSnapshots all = MetricsBuilder.build(groups);
        MetricSnapshots.Builder b = MetricSnapshots.builder();
        all.forEach(m -> {
            String n = m.getMetadata().getPrometheusName();
            if (names == null || names.contains(n) || names.contains(n + "_total")) {
                b.metricSnapshot(m);
            }
        });
        MetricSnapshots selected = b.build();
        for (boolean om : new boolean[] {false, true}) {
            ExpositionFormatWriter w = om ? FORMATS.getOpenMetricsTextFormatWriter()
                    : FORMATS.getPrometheusTextFormatWriter();
            for (EscapingScheme scheme : EscapingScheme.values()) {
                String ours = new String(ours(groups, om, scheme, names), StandardCharsets.UTF_8);
                ByteArrayOutputStream theirs = new ByteArrayOutputStream();
                w.write(theirs, selected, scheme);
                assertThat(ours).as("%s, %s", om ? "OpenMetrics" : "text", scheme)
                        .isEqualTo(theirs.toString(StandardCharsets.UTF_8));
            }
        }
    }

    private static byte[] ours(List<FamilyGroup> groups, boolean om, EscapingScheme scheme, Set<String> names) {
        ByteSink out = new ByteSink(16);
        ExpositionWriter.write(out, groups, om, scheme, names);
        return out.toByteArray();
    }
}
