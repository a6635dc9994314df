package org.memstat.daemon;

import static io.prometheus.metrics.model.snapshots.PrometheusNaming.escapeName;

import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.model.snapshots.PrometheusNaming;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.memstat.daemon.FamilyGroup.Family;
import org.memstat.daemon.FamilyGroup.Row;

/**
 * Writes Prometheus text 0.0.4 or OpenMetrics 1.0 from {@link FamilyGroup}s straight into bytes. The output is the
 * text client_java's own writers produce for {@link MetricsBuilder}'s snapshots, byte for byte (families sorted by
 * name, data points by label values, values as {@link Double#toString}); {@code ExpositionWriterTest} holds it to
 * that. What it saves is the per-sample work: client_java builds a snapshot object per data point, sorts each
 * family, validates and escapes every label set once per family and encodes chars through a {@code Writer};
 * here each row's label set is escaped and encoded once per scrape and then copied into every family's line, so a
 * 1,000-zone body is mostly array copies (docs/PERFORMANCE.md has both measured in one run).
 *
 * <p>Family and label names are escaped with the scheme the scraper asked for ({@code escaping=} in Accept), by
 * client_java's own {@link PrometheusNaming#escapeName}: all of ours are legacy names, so only {@code dots}
 * changes them (each {@code _} doubled).
 */
final class ExpositionWriter {
    private static final byte[] EOF = "# EOF\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TOTAL = "_total".getBytes(StandardCharsets.US_ASCII);

    private final boolean openMetrics;
    private final EscapingScheme scheme;
    /** Reused for values {@link #value} cannot write directly. */
    private final StringBuilder scratch = new StringBuilder(32);

    private ExpositionWriter(boolean openMetrics, EscapingScheme scheme) {
        this.openMetrics = openMetrics;
        this.scheme = scheme;
    }

    /**
     * Writes the families of {@code groups} that have samples (and whose name, with or without {@code _total}, is
     * in {@code names} unless that is null).
     */
    static void write(ByteSink out, List<FamilyGroup> groups, boolean openMetrics, EscapingScheme scheme,
            Set<String> names) {
        new ExpositionWriter(openMetrics, scheme).writeAll(out, groups, names);
    }

    /** A family to write: its group and its value column there. */
    private record Entry(FamilyGroup group, int column) {
        Family family() {
            return group.families().get(column);
        }
    }

    private void writeAll(ByteSink out, List<FamilyGroup> groups, Set<String> names) {
        List<Entry> entries = new ArrayList<>();
        for (FamilyGroup g : groups) {
            for (int f = 0; f < g.families().size(); f++) {
                String n = g.families().get(f).name();
                if ((names == null || names.contains(n) || names.contains(n + "_total")) && g.hasSamples(f)) {
                    entries.add(new Entry(g, f));
                }
            }
        }
        entries.sort(Comparator.comparing(e -> e.family().name()));
        Map<FamilyGroup, Lines> lines = new IdentityHashMap<>();
        for (Entry e : entries) {
            Family f = e.family();
            header(out, f);
            byte[] name = utf8(exposed(f));
            Lines l = lines.computeIfAbsent(e.group, g -> new Lines(g, scheme));
            for (int r = 0; r < l.rows.length; r++) {
                double v = l.rows[r].values()[e.column];
                if (Double.isNaN(v)) {
                    continue;
                }
                out.write(name);
                out.write(l.labels[r]);
                value(out, v);
                out.write('\n');
            }
        }
        if (openMetrics) {
            out.write(EOF);
        }
    }

    /** A group's rows in exposition order and each row's encoded {@code {name="value",...} } part. */
    private static final class Lines {
        final Row[] rows;
        final byte[][] labels;

        Lines(FamilyGroup g, EscapingScheme scheme) {
            rows = g.rows().toArray(Row[]::new);
            Arrays.sort(rows, Row::compare);
            labels = new byte[rows.length][];
            StringBuilder sb = new StringBuilder(64);
            for (int r = 0; r < rows.length; r++) {
                sb.setLength(0);
                for (int i = 0; i < g.labelNames().size(); i++) {
                    sb.append(i == 0 ? '{' : ',').append(escapeName(g.labelNames().get(i), scheme))
                            .append("=\"");
                    escape(sb, rows[r].labelValues()[i], true);
                    sb.append('"');
                }
                sb.append(g.labelNames().isEmpty() ? " " : "} ");
                labels[r] = sb.toString().getBytes(StandardCharsets.UTF_8);
            }
        }
    }

    /**
     * {@code # HELP} and {@code # TYPE} (Prometheus text, under the exposed name), or {@code # TYPE},
     * {@code # UNIT} and {@code # HELP} (OpenMetrics, under the family name).
     */
    private void header(ByteSink out, Family f) {
        String type = f.counter() ? "counter" : "gauge";
        String name = escapeName(f.name(), scheme);
        StringBuilder sb = new StringBuilder(160);
        if (openMetrics) {
            sb.append("# TYPE ").append(name).append(' ').append(type).append('\n');
            if (f.unit() != null) {
                sb.append("# UNIT ").append(name).append(' ').append(f.unit()).append('\n');
            }
            sb.append("# HELP ").append(name).append(' ');
            escape(sb, f.help(), true);
            sb.append('\n');
        } else {
            String exposed = exposed(f);
            sb.append("# HELP ").append(exposed).append(' ');
            escape(sb, f.help(), false);
            sb.append('\n').append("# TYPE ").append(exposed).append(' ').append(type).append('\n');
        }
        out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Backslash and newline escaped, and double quotes when {@code quotes} (label values and OpenMetrics help
     * texts; Prometheus text leaves them alone in help).
     */
    private static void escape(StringBuilder sb, String s, boolean quotes) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '"' -> sb.append(quotes ? "\\\"" : "\"");
                default -> sb.append(c);
            }
        }
    }

    /**
     * {@link Double#toString}'s text (what client_java writes), with {@code +Inf}/{@code -Inf} for infinities.
     * Whole numbers in [1, 10^7) and zero, nearly every value here, take the direct route: their text is the
     * integer and {@code .0}.
     */
    private void value(ByteSink out, double v) {
        if (v >= 1 && v < 1e7 && v == (long) v || Double.doubleToRawLongBits(v) == 0) {
            out.digits((long) v);
            out.write('.');
            out.write('0');
        } else if (v == Double.POSITIVE_INFINITY) {
            out.ascii("+Inf");
        } else if (v == Double.NEGATIVE_INFINITY) {
            out.ascii("-Inf");
        } else {
            scratch.setLength(0);
            out.ascii(scratch.append(v));
        }
    }

    /** The name samples carry: the escaped family name, plus {@code _total} for a counter. */
    private String exposed(Family f) {
        String name = escapeName(f.name(), scheme);
        return f.counter() ? name + "_total" : name;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
