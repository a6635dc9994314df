package org.memstat.daemon;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Metric families that share one label set (all zone families, all malloc families, ...) and their rows: one row
 * per label set, holding one value per family. This is the single description of {@code /metrics} that both
 * writers consume: {@link MetricsBuilder} turns it into client_java snapshots, {@link ExpositionWriter} into text.
 * A group is filled once, by {@link Families#groups}, and only read afterwards.
 */
final class FamilyGroup {

    /** No sample for this family in this row (none of our figures is ever NaN, so NaN can mark the gap). */
    static final double ABSENT = Double.NaN;

    private final List<Family> families;
    private final List<String> labelNames;
    private final List<Row> rows = new ArrayList<>();

    /** Where the source's name goes in a row's label values, or -1 when the group has no source label. */
    private final int sourceIndex;

    /**
     * @param families   the families, each with a value column in every row
     * @param withSource whether rows carry a {@code source} label
     * @param others     the other label names, sorted
     */
    FamilyGroup(List<Family> families, boolean withSource, String... others) {
        this.families = List.copyOf(families);
        List<String> names = new ArrayList<>(List.of(others));
        if (withSource) {
            names.add("source");
            names.sort(null);
        }
        this.labelNames = List.copyOf(names);
        this.sourceIndex = names.indexOf("source");
        for (int i = 1; i < others.length; i++) {
            if (others[i - 1].compareTo(others[i]) >= 0) {
                throw new IllegalArgumentException("label names not sorted and unique: " + names);
            }
        }
    }

    List<Family> families() {
        return families;
    }

    List<String> labelNames() {
        return labelNames;
    }

    /** The rows in the order they were added (source order; writers sort them as they need). */
    List<Row> rows() {
        return rows;
    }

    /** Whether family {@code f} has at least one sample (families without one are not exposed at all). */
    boolean hasSamples(int f) {
        for (Row r : rows) {
            if (!Double.isNaN(r.values[f])) {
                return true;
            }
        }
        return false;
    }

    /**
     * Adds a row.
     *
     * @param source the source's name (dropped when the group has no source label)
     * @param others values of the other labels, in the order of their sorted names
     * @param values one per family ({@link #ABSENT} for none)
     */
    void add(String source, String[] others, double... values) {
        int n = others.length + (sourceIndex < 0 ? 0 : 1);
        if (n != labelNames.size() || values.length != families.size()) {
            throw new IllegalArgumentException("row shape " + n + "x" + values.length + " does not match "
                    + labelNames.size() + "x" + families.size());
        }
        String[] labelValues = others;
        if (sourceIndex >= 0) {
            labelValues = new String[n];
            System.arraycopy(others, 0, labelValues, 0, sourceIndex);
            labelValues[sourceIndex] = source;
            System.arraycopy(others, sourceIndex, labelValues, sourceIndex + 1, others.length - sourceIndex);
        }
        rows.add(new Row(labelValues, values));
    }

    /**
     * One metric family.
     *
     * @param name    the name without {@code _total} (counters get it at exposition), with its unit suffix
     * @param help    the help text
     * @param counter a counter ({@code _total}) or a gauge
     */
    record Family(String name, String help, boolean counter) {
        /** The unit client_java and OpenMetrics derive from the suffix: {@code bytes}, {@code seconds} or null. */
        String unit() {
            return name.endsWith("_bytes") ? "bytes" : name.endsWith("_seconds") ? "seconds" : null;
        }
    }

    /**
     * One label set and its values.
     *
     * @param labelValues values in the group's label-name order
     * @param values      one per family, {@link #ABSENT} where the family has no sample
     */
    record Row(String[] labelValues, double[] values) {
        /** Orders rows as client_java orders data points of one family: label values compared in turn. */
        static int compare(Row a, Row b) {
            return Arrays.compare(a.labelValues, b.labelValues);
        }
    }
}
