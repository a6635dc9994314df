package org.memstat.cli;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Renders a {@link TopModel.Frame} as plain lines, the same for the batch modes and the full screen: two header
 * lines (mode, sort, filter, delay, time, source; then totals), a blank line, the column titles and one line per zone.
 * Columns are as wide as their widest value; the screen cuts lines to its width, batch output never cuts.
 *
 * <p>Counter columns carry the mode: {@code REQ/s} in rate mode (one decimal), {@code REQ} otherwise (integers).
 * Before the first interval a rate is shown as {@code -}. When the source has {@code vm.zone_peaks}, a
 * {@code PEAK-USED} column follows {@code USED}: the most items in use seen for the zone (sampled when statistics
 * are read and at trim ticks, so at least at every refresh of top); {@code -} for a zone without a peak.
 */
final class TopText {
    private TopText() {
    }

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);

    /** The header keys line shown under the table on the screen. */
    static final String KEYS = "keys: n s u f r F S b sort  / filter  m mode  + - delay  q quit";

    /** Where the PEAK-USED column goes: right after USED. */
    private static final int PEAK_COLUMN = 4;

    static List<String> render(TopModel model, TopModel.Frame frame, String source, Instant now, double delay) {
        List<String> out = new ArrayList<>();
        String sort = model.sort.name().toLowerCase(Locale.ROOT) + (model.reversed ? " (reversed)" : "");
        // The source goes last: on a narrow screen a long path is what gets cut, not the mode or sort.
        out.add("memstat top - mode " + model.mode.label + " - sort " + sort + (model.filter == null ? ""
                : " - filter /" + model.filter + "/") + " - every " + seconds(delay) + " - " + TIME.format(now)
                + " - " + source);
        List<TopModel.Row> rows = model.view(frame);
        TopModel.Mode mode = model.mode;
        long used = 0;
        long free = 0;
        long req = 0;
        long fail = 0;
        for (TopModel.Row r : rows) {
            used += r.bytes();
            free += r.free() * r.size();
            req += r.req().value(mode);
            fail += r.fail().value(mode);
        }
        boolean rate = mode == TopModel.Mode.RATE;
        String unit = rate ? "/s" : "";
        out.add("zones " + rows.size() + "/" + frame.rows().size() + "  used " + Humanize.format(used, true, false)
                + "B  free " + Humanize.format(free, true, false) + "B  requests " + counter(req, frame, rate)
                + unit + "  failures " + counter(fail, frame, rate) + unit);
        out.add("");
        List<String> titleList = new ArrayList<>(List.of("NAME", "SIZE", "LIMIT", "USED", "FREE", "REQ" + unit,
                "FAIL" + unit, "SLEEP" + unit, "BYTES"));
        if (frame.peaks()) {
            titleList.add(PEAK_COLUMN, "PEAK-USED");
        }
        String[] titles = titleList.toArray(String[]::new);
        List<String[]> cells = new ArrayList<>();
        for (TopModel.Row r : rows) {
            List<String> c = new ArrayList<>(List.of(r.name(), Text.u(r.size()), Text.u(r.limit()), Text.u(r.used()),
                    Text.u(r.free()), counter(r.req().value(mode), frame, rate), counter(r.fail().value(mode), frame,
                        rate), counter(r.sleep().value(mode), frame, rate), Text.u(r.bytes())));
            if (frame.peaks()) {
                c.add(PEAK_COLUMN, r.usedPeak().isPresent() ? Text.u(r.usedPeak().getAsLong()) : "-");
            }
            cells.add(c.toArray(String[]::new));
        }
        int[] width = new int[titles.length];
        for (int i = 0; i < titles.length; i++) {
            width[i] = Text.columns(titles[i]);
            for (String[] c : cells) {
                width[i] = Math.max(width[i], Text.columns(c[i]));
            }
        }
        out.add(line(titles, width));
        for (String[] c : cells) {
            out.add(line(c, width));
        }
        return out;
    }

    private static String line(String[] cells, int[] width) {
        StringBuilder sb = new StringBuilder(Text.left(cells[0], width[0]));
        for (int i = 1; i < cells.length; i++) {
            sb.append("  ").append(Text.right(cells[i], width[i]));
        }
        return sb.toString();
    }

    /** A counter as the mode shows it: per second with one decimal in rate mode, else the unsigned integer. */
    static String counter(long v, TopModel.Frame frame, boolean rate) {
        if (!rate) {
            return Text.u(v);
        }
        if (frame.seconds() <= 0) {
            return "-";
        }
        double perSecond = (v < 0 ? v + 0x1p64 : v) / frame.seconds();
        return String.format(Locale.ROOT, "%.1f", perSecond);
    }

    static String seconds(double d) {
        return String.format(Locale.ROOT, "%.2fs", d).replace(".00s", "s");
    }
}
