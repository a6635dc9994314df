package org.memstat.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small JSON document builder for the libxo-shaped outputs: ordered objects, arrays, strings and numbers kept as
 * their decimal text (so unsigned 64-bit values are exact). libxo's own whitespace is not reproduced byte for byte;
 * the containers, keys, value types and order are (see {@code docs/CLI.md}).
 */
final class Json {
    private Json() {
    }

    /** A JSON number written as the given decimal text. */
    record Num(String text) {
    }

    /** An unsigned 64-bit number ({@code %ju}). */
    static Num u(long v) {
        return new Num(Long.toUnsignedString(v));
    }

    /** A signed number ({@code %d}). */
    static Num i(long v) {
        return new Num(Long.toString(v));
    }

    /** A new ordered object. */
    static Map<String, Object> object() {
        return new LinkedHashMap<>();
    }

    /** A new array. */
    static List<Object> array() {
        return new ArrayList<>();
    }

    /**
     * Serializes {@code value}: compact ({@code {"a": 1, "b": [2, 3]}}) or, with {@code pretty}, indented by two
     * spaces as libxo's {@code pretty} option does. A trailing newline is added.
     *
     * @param value  a map, list, string, {@link Num} or null
     * @param pretty whether to indent
     * @return the document
     */
    static String write(Object value, boolean pretty) {
        StringBuilder sb = new StringBuilder();
        write(sb, value, pretty, 0);
        return sb.append('\n').toString();
    }

    private static void write(StringBuilder sb, Object value, boolean pretty, int depth) {
        switch (value) {
            case null -> sb.append("null");
            case Num n -> sb.append(n.text());
            case String s -> quote(sb, s);
            case Map<?, ?> m -> {
                sb.append('{');
                int i = 0;
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    separator(sb, i++, pretty, depth + 1);
                    quote(sb, (String) e.getKey());
                    sb.append(": ");
                    write(sb, e.getValue(), pretty, depth + 1);
                }
                close(sb, i, pretty, depth, '}');
            }
            case List<?> l -> {
                sb.append('[');
                int i = 0;
                for (Object o : l) {
                    separator(sb, i++, pretty, depth + 1);
                    write(sb, o, pretty, depth + 1);
                }
                close(sb, i, pretty, depth, ']');
            }
            default -> throw new IllegalArgumentException("not a JSON value: " + value.getClass().getName());
        }
    }

    private static void separator(StringBuilder sb, int index, boolean pretty, int depth) {
        if (index > 0) {
            sb.append(',');
            if (!pretty) {
                sb.append(' ');
            }
        }
        if (pretty) {
            sb.append('\n').append("  ".repeat(depth));
        }
    }

    private static void close(StringBuilder sb, int count, boolean pretty, int depth, char bracket) {
        if (pretty && count > 0) {
            sb.append('\n').append("  ".repeat(depth));
        }
        sb.append(bracket);
    }

    /** Writes {@code s} as a JSON string: quote, backslash and every control character escaped (RFC 8259). */
    static void quote(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029') {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
