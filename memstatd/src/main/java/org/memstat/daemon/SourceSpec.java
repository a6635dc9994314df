package org.memstat.daemon;

import java.util.regex.Pattern;

/**
 * One {@code --source} value: {@code [NAME=]URI} where URI is {@code demo}, {@code dir:PATH}, {@code unix:PATH}
 * or {@code http://HOST:PORT}. Without a name, one is derived: {@code demo}, the last path component of a
 * {@code dir:} or {@code unix:} path, or {@code HOST:PORT}.
 *
 * @param name the name used in the {@code source} label and {@code ?source=}
 * @param uri  the source URI
 */
record SourceSpec(String name, String uri) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.\\-]{1,64}");

    SourceSpec {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("source name '" + name + "' must be 1-64 of A-Z a-z 0-9 _ . -");
        }
        if (uri.isBlank()) {
            throw new IllegalArgumentException("source " + name + " has an empty URI");
        }
    }

    /** Parses {@code [NAME=]URI}. */
    static SourceSpec parse(String value) {
        String v = value.strip();
        int eq = v.indexOf('=');
        int colon = v.indexOf(':');
        if (eq > 0 && (colon < 0 || eq < colon)) {
            return new SourceSpec(v.substring(0, eq), v.substring(eq + 1));
        }
        return new SourceSpec(derive(v), v);
    }

    private static String derive(String uri) {
        if (uri.equals("demo")) {
            return "demo";
        }
        if (uri.startsWith("http://") || uri.startsWith("https://")) {
            String rest = uri.substring(uri.indexOf("//") + 2);
            int slash = rest.indexOf('/');
            return sanitize(slash < 0 ? rest : rest.substring(0, slash));
        }
        String path = uri.contains(":") ? uri.substring(uri.indexOf(':') + 1) : uri;
        while (path.endsWith("/") && path.length() > 1) {
            path = path.substring(0, path.length() - 1);
        }
        return sanitize(path.substring(path.lastIndexOf('/') + 1));
    }

    private static String sanitize(String s) {
        String n = s.replaceAll("[^A-Za-z0-9_.\\-]", "_");
        n = n.length() > 64 ? n.substring(0, 64) : n;
        return n.isEmpty() ? "source" : n;
    }
}
