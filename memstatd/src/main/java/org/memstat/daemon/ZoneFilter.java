package org.memstat.daemon;

import java.util.regex.Pattern;

/**
 * The {@code --include}/{@code --exclude} zone name regexes: unanchored searches ({@link java.util.regex.Matcher#find}),
 * so anchor with {@code ^...$} for a whole-name match. A zone is served when it matches the include pattern (or
 * there is none) and does not match the exclude pattern.
 *
 * @param include the include pattern, or {@code null} for all
 * @param exclude the exclude pattern, or {@code null} for none
 */
record ZoneFilter(Pattern include, Pattern exclude) {
    /** Serves every zone. */
    static final ZoneFilter ALL = new ZoneFilter(null, null);

    boolean accepts(String zoneName) {
        return (include == null || include.matcher(zoneName).find())
                && (exclude == null || !exclude.matcher(zoneName).find());
    }
}
