package org.memstat.cli;

import java.util.Locale;

/**
 * The output style chosen by {@code --libxo STYLE[,OPTION...]} or {@code --format STYLE}: FreeBSD's text, or
 * libxo's JSON (optionally {@code pretty}). libxo's XML and HTML styles are not offered.
 *
 * @param json   whether to write JSON
 * @param pretty whether JSON is indented
 */
record OutputFormat(boolean json, boolean pretty) {
    /** FreeBSD's text output. */
    static final OutputFormat TEXT = new OutputFormat(false, false);

    /**
     * Parses the two options; at most one may be given.
     *
     * @param libxo  the {@code --libxo} value, or null
     * @param format the {@code --format} value, or null
     * @return the style
     * @throws IllegalArgumentException with a one-line message for an unknown style or option
     */
    static OutputFormat parse(String libxo, String format) {
        if (libxo != null && format != null) {
            throw new IllegalArgumentException("--libxo and --format cannot be combined");
        }
        String spec = libxo != null ? libxo : format;
        if (spec == null) {
            return TEXT;
        }
        String option = libxo != null ? "--libxo" : "--format";
        boolean json = false;
        boolean pretty = false;
        boolean styled = false;
        for (String word : spec.toLowerCase(Locale.ROOT).split(",", -1)) {
            switch (word) {
                case "text" -> styled = true;
                case "json" -> {
                    json = true;
                    styled = true;
                }
                case "pretty" -> pretty = true;
                default -> throw new IllegalArgumentException(option + ": unsupported style or option '" + word
                        + "' (supported: text, json, json,pretty)");
            }
        }
        if (!styled) {
            throw new IllegalArgumentException(option + ": no style in '" + spec + "' (text or json)");
        }
        return new OutputFormat(json, json && pretty);
    }
}
