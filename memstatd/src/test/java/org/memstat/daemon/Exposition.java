package org.memstat.daemon;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A strict parser of the Prometheus text format 0.0.4 and of OpenMetrics 1.0 text, written from the format
 * specifications, for checking what the daemon serves. Anything it does not understand is an error.
 */
final class Exposition {
    private static final Pattern METRIC = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped",
            "unknown", "info", "stateset", "gaugehistogram");

    /** One family: its TYPE, HELP, UNIT and samples (series name + labels to value). */
    static final class Family {
        String type;
        String help;
        String unit;
        final Map<String, Double> samples = new LinkedHashMap<>();
    }

    final Map<String, Family> families = new LinkedHashMap<>();

    /** A sample's value by series name and labels ({@code label=value} pairs), or null. */
    Double value(String series, String... labels) {
        Map<String, String> want = new TreeMap<>();
        for (int i = 0; i < labels.length; i += 2) {
            want.put(labels[i], labels[i + 1]);
        }
        for (Family f : families.values()) {
            Double v = f.samples.get(series + want);
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    /** All label maps of {@code series}. */
    List<Map<String, String>> series(String series) {
        List<Map<String, String>> out = new ArrayList<>();
        for (Family f : families.values()) {
            for (String key : f.samples.keySet()) {
                if (key.startsWith(series + "{")) {
                    out.add(parseKey(key.substring(series.length())));
                }
            }
        }
        return out;
    }

    static Exposition parse(String text, boolean openMetrics) {
        Exposition e = new Exposition();
        String[] lines = text.split("\n", -1);
        if (!lines[lines.length - 1].isEmpty()) {
            throw new IllegalArgumentException("exposition does not end with a newline");
        }
        Set<String> closed = new HashSet<>();
        String current = null;
        boolean eof = false;
        for (int n = 0; n < lines.length - 1; n++) {
            String line = lines[n];
            String where = "line " + (n + 1) + ": " + line;
            if (eof) {
                throw new IllegalArgumentException("content after # EOF, " + where);
            }
            if (line.isEmpty()) {
                throw new IllegalArgumentException("empty line, " + where);
            }
            if (line.equals("# EOF")) {
                eof = true;
                continue;
            }
            if (line.startsWith("#")) {
                String[] p = line.split(" ", 4);
                if (p.length < 4 || !p[0].equals("#") || !METRIC.matcher(p[2]).matches()) {
                    throw new IllegalArgumentException("bad comment line, " + where);
                }
                String fam = p[2];
                if (!fam.equals(current)) {
                    if (closed.contains(fam) || e.families.containsKey(fam)) {
                        throw new IllegalArgumentException("family " + fam + " split or repeated, " + where);
                    }
                    if (current != null) {
                        closed.add(current);
                    }
                    current = fam;
                }
                Family f = e.families.computeIfAbsent(fam, k -> new Family());
                switch (p[1]) {
                    case "TYPE" -> {
                        if (f.type != null || !f.samples.isEmpty() || !TYPES.contains(p[3])) {
                            throw new IllegalArgumentException("bad or repeated TYPE, " + where);
                        }
                        f.type = p[3];
                    }
                    case "HELP" -> {
                        if (f.help != null || !f.samples.isEmpty()) {
                            throw new IllegalArgumentException("repeated or late HELP, " + where);
                        }
                        f.help = unescape(p[3], false, where);
                    }
                    case "UNIT" -> {
                        if (!openMetrics || f.unit != null || !fam.endsWith("_" + p[3])) {
                            throw new IllegalArgumentException("bad UNIT, " + where);
                        }
                        f.unit = p[3];
                    }
                    default -> throw new IllegalArgumentException("unknown comment, " + where);
                }
                continue;
            }
            int brace = line.indexOf('{');
            int space = line.indexOf(' ');
            int nameEnd = brace >= 0 && brace < space ? brace : space;
            if (nameEnd <= 0) {
                throw new IllegalArgumentException("no value, " + where);
            }
            String name = line.substring(0, nameEnd);
            if (!METRIC.matcher(name).matches()) {
                throw new IllegalArgumentException("bad metric name, " + where);
            }
            String fam = familyOf(name, current, e, openMetrics);
            if (!fam.equals(current)) {
                throw new IllegalArgumentException("sample outside its family's block, " + where);
            }
            Map<String, String> labels = new TreeMap<>();
            int i = nameEnd;
            if (line.charAt(i) == '{') {
                i = parseLabels(line, i + 1, labels, where);
            }
            if (line.charAt(i) != ' ') {
                throw new IllegalArgumentException("expected a space before the value, " + where);
            }
            String[] rest = line.substring(i + 1).split(" ");
            if (rest.length > 2) {
                throw new IllegalArgumentException("trailing fields, " + where);
            }
            double v = parseValue(rest[0], where);
            Family f = e.families.get(fam);
            if (f.samples.put(name + labels, v) != null) {
                throw new IllegalArgumentException("duplicate series, " + where);
            }
        }
        if (openMetrics && !eof) {
            throw new IllegalArgumentException("OpenMetrics exposition without # EOF");
        }
        if (!openMetrics && eof) {
            throw new IllegalArgumentException("# EOF in Prometheus text");
        }
        return e;
    }

    private static String familyOf(String sample, String current, Exposition e, boolean openMetrics) {
        if (current == null) {
            return sample;
        }
        if (sample.equals(current)) {
            return current;
        }
        Family f = e.families.get(current);
        if (openMetrics && "counter".equals(f.type) && sample.equals(current + "_total")) {
            return current;
        }
        return sample;
    }

    private static int parseLabels(String line, int i, Map<String, String> labels, String where) {
        while (true) {
            if (line.charAt(i) == '}') {
                return i + 1;
            }
            int eq = line.indexOf('=', i);
            if (eq < 0) {
                throw new IllegalArgumentException("bad label, " + where);
            }
            String ln = line.substring(i, eq);
            if (!LABEL.matcher(ln).matches() || ln.startsWith("__")) {
                throw new IllegalArgumentException("bad label name '" + ln + "', " + where);
            }
            if (line.charAt(eq + 1) != '"') {
                throw new IllegalArgumentException("unquoted label value, " + where);
            }
            StringBuilder v = new StringBuilder();
            int j = eq + 2;
            for (; line.charAt(j) != '"'; j++) {
                char c = line.charAt(j);
                if (c == '\\') {
                    char d = line.charAt(++j);
                    switch (d) {
                        case '\\' -> v.append('\\');
                        case '"' -> v.append('"');
                        case 'n' -> v.append('\n');
                        default -> throw new IllegalArgumentException("bad escape \\" + d + ", " + where);
                    }
                } else {
                    v.append(c);
                }
            }
            if (labels.put(ln, v.toString()) != null) {
                throw new IllegalArgumentException("repeated label " + ln + ", " + where);
            }
            i = j + 1;
            if (line.charAt(i) == ',') {
                i++;
            } else if (line.charAt(i) != '}') {
                throw new IllegalArgumentException("expected , or } after a label, " + where);
            }
        }
    }

    private static double parseValue(String s, String where) {
        return switch (s) {
            case "NaN" -> Double.NaN;
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> {
                if (!s.matches("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?")) {
                    throw new IllegalArgumentException("bad value '" + s + "', " + where);
                }
                yield Double.parseDouble(s);
            }
        };
    }

    private static String unescape(String s, boolean quotes, String where) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                char d = i + 1 < s.length() ? s.charAt(++i) : ' ';
                if (d == '\\') {
                    sb.append('\\');
                } else if (d == 'n') {
                    sb.append('\n');
                } else if (d == '"' && quotes) {
                    sb.append('"');
                } else {
                    throw new IllegalArgumentException("bad escape in HELP, " + where);
                }
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static Map<String, String> parseKey(String key) {
        Map<String, String> m = new HashMap<>();
        String body = key.substring(1, key.length() - 1);
        if (body.isEmpty()) {
            return m;
        }
        // Keys are TreeMap.toString() of test-controlled values without ", " or "=" inside.
        for (String kv : body.split(", ")) {
            int eq = kv.indexOf('=');
            m.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        return m;
    }
}
