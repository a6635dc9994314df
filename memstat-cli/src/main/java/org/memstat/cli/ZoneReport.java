package org.memstat.cli;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.memstat.lib.MemoryType;
import org.memstat.lib.MemoryTypeList;
import org.memstat.lib.ZonePeak;

/**
 * {@code vmstat -z} as current FreeBSD prints it (reference §4.1, CUR-vmstat), zones in libmemstat's list order.
 *
 * <p>Header {@code %-19s %7s %7s %8s %8s %8s %4s %4s %4s} over ITEM SIZE LIMIT USED FREE REQ FAIL SLEEP XDOM.
 * Row: the name, ':', the size right-justified in {@code max(1, 26 - strlen(name))} columns, then
 * {@code ,%7ju,%8ju,%8ju,%8ju,%4ju,%4ju,%4ju} for limit, used, free, requests, fail, sleep, xdomain. A value
 * wider than its field widens the row. No blank line before or after. JSON: the libxo container
 * {@code memory-zone-statistics} with the list {@code zone}.
 *
 * <p>{@code --peak} (memstat's own, from {@code vm.zone_peaks}) appends two columns after FreeBSD's:
 * {@code ,%9s} PEAK-USED, the most items in use seen (sampled when statistics are read and at trim ticks), and
 * {@code ,%12s} KEG-PEAK, the most bytes of pages the zone's keg ever held (exact; a secondary zone shows its
 * primary's keg); {@code -} where the source has no peak for the zone. JSON gets the keys {@code used-peak} and
 * {@code keg-pages-peak}, left out where there is none. Without {@code --peak} the output is FreeBSD's, byte for
 * byte.
 */
final class ZoneReport {
    private ZoneReport() {
    }

    /** The header line, without its newline. */
    static final String HEADER = Text.left("ITEM", 19) + " " + Text.right("SIZE", 7) + " " + Text.right("LIMIT", 7)
            + " " + Text.right("USED", 8) + " " + Text.right("FREE", 8) + " " + Text.right("REQ", 8) + " "
            + Text.right("FAIL", 4) + " " + Text.right("SLEEP", 4) + " " + Text.right("XDOM", 4);

    /** The two {@code --peak} columns' titles, appended to {@link #HEADER}. */
    static final String PEAK_HEADER = " " + Text.right("PEAK-USED", 9) + " " + Text.right("KEG-PEAK", 12);

    static void text(MemoryTypeList list, StringBuilder out) {
        text(list, null, out);
    }

    /**
     * The text report.
     *
     * @param list  the zones
     * @param peaks one entry per zone in list order ({@link Peaks#join}), or null for FreeBSD's columns only
     * @param out   where to append
     */
    static void text(MemoryTypeList list, List<Optional<ZonePeak>> peaks, StringBuilder out) {
        out.append(HEADER).append(peaks == null ? "" : PEAK_HEADER).append('\n');
        int i = 0;
        for (MemoryType t : list) {
            String name = t.name();
            out.append(name).append(':')
                    .append(Text.u(t.size(), Math.max(1, 26 - Text.columns(name))))
                    .append(',').append(Text.u(t.countLimit(), 7))
                    .append(',').append(Text.u(t.count(), 8))
                    .append(',').append(Text.u(t.free(), 8))
                    .append(',').append(Text.u(t.numAllocs(), 8))
                    .append(',').append(Text.u(t.failures(), 4))
                    .append(',').append(Text.u(t.sleeps(), 4))
                    .append(',').append(Text.u(t.xdomain(), 4));
            if (peaks != null) {
                Optional<ZonePeak> p = peaks.get(i);
                out.append(',').append(Text.right(p.map(z -> Text.u(z.usedPeakItems())).orElse("-"), 9))
                        .append(',').append(Text.right(p.map(z -> Text.u(z.kegPagesPeakBytes())).orElse("-"), 12));
            }
            out.append('\n');
            i++;
        }
    }

    /** The {@code memory-zone-statistics} container. */
    static Map<String, Object> json(MemoryTypeList list) {
        return json(list, null);
    }

    /**
     * The {@code memory-zone-statistics} container, with the peak keys when {@code peaks} is not null.
     *
     * @param list  the zones
     * @param peaks one entry per zone in list order ({@link Peaks#join}), or null
     * @return the container
     */
    static Map<String, Object> json(MemoryTypeList list, List<Optional<ZonePeak>> peaks) {
        List<Object> zones = Json.array();
        int i = 0;
        for (MemoryType t : list) {
            Map<String, Object> z = Json.object();
            z.put("name", t.name());
            z.put("size", Json.u(t.size()));
            z.put("limit", Json.u(t.countLimit()));
            z.put("used", Json.u(t.count()));
            z.put("free", Json.u(t.free()));
            z.put("requests", Json.u(t.numAllocs()));
            z.put("fail", Json.u(t.failures()));
            z.put("sleep", Json.u(t.sleeps()));
            z.put("xdomain", Json.u(t.xdomain()));
            if (peaks != null && peaks.get(i).isPresent()) {
                z.put("used-peak", Json.u(peaks.get(i).get().usedPeakItems()));
                z.put("keg-pages-peak", Json.u(peaks.get(i).get().kegPagesPeakBytes()));
            }
            zones.add(z);
            i++;
        }
        Map<String, Object> c = Json.object();
        c.put("zone", zones);
        return c;
    }
}
