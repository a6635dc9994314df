package org.memstat.cli;

import java.nio.charset.StandardCharsets;

/**
 * printf-style padding as FreeBSD's tools use it: a field is padded to its width and never cut, so a value wider
 * than its field pushes the rest of the line right. Numbers from the streams are unsigned 64-bit ({@code %ju}).
 */
final class Text {
    private Text() {
    }

    /** {@code %ju}: {@code v} as an unsigned decimal. */
    static String u(long v) {
        return Long.toUnsignedString(v);
    }

    /** {@code %<width>ju}. */
    static String u(long v, int width) {
        return right(u(v), width);
    }

    /** {@code %<width>s}: right-justified, padded on the left with spaces, never cut. */
    static String right(String s, int width) {
        int pad = width - columns(s);
        return pad <= 0 ? s : " ".repeat(pad) + s;
    }

    /** {@code %-<width>s}: left-justified, padded on the right with spaces, never cut. */
    static String left(String s, int width) {
        int pad = width - columns(s);
        return pad <= 0 ? s : s + " ".repeat(pad);
    }

    /**
     * The width printf gives a string: its length in bytes, because C's field widths count bytes. The names come
     * from the streams as UTF-8, so a non-ASCII name takes as many columns as it has bytes, as on FreeBSD.
     */
    static int columns(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
