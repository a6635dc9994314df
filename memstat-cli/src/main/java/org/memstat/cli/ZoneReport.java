package org.memstat.cli;

import java.util.List;
import java.util.Map;
import org.memstat.lib.MemoryType;
import org.memstat.lib.MemoryTypeList;

/**
 * {@code vmstat -z} as current FreeBSD prints it (reference §4.1, CUR-vmstat), zones in libmemstat's list order.
 *
 * <p>Header {@code %-19s %7s %7s %8s %8s %8s %4s %4s %4s} over ITEM SIZE LIMIT USED FREE REQ FAIL SLEEP XDOM.
 * Row: the name, ':', the size right-justified in {@code max(1, 26 - strlen(name))} columns, then
 * {@code ,%7ju,%8ju,%8ju,%8ju,%4ju,%4ju,%4ju} for limit, used, free, requests, fail, sleep, xdomain. A value
 * wider than its field widens the row. No blank line before or after. JSON: the libxo container
 * {@code memory-zone-statistics} with the list {@code zone}.
 */
final class ZoneReport {
    private ZoneReport() {
    }

    /** The header line, without its newline. */
    static final String HEADER = Text.left("ITEM", 19) + " " + Text.right("SIZE", 7) + " " + Text.right("LIMIT", 7)
            + " " + Text.right("USED", 8) + " " + Text.right("FREE", 8) + " " + Text.right("REQ", 8) + " "
            + Text.right("FAIL", 4) + " " + Text.right("SLEEP", 4) + " " + Text.right("XDOM", 4);

    static void text(MemoryTypeList list, StringBuilder out) {
        out.append(HEADER).append('\n');
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
                    .append(',').append(Text.u(t.xdomain(), 4))
                    .append('\n');
        }
    }

    /** The {@code memory-zone-statistics} container. */
    static Map<String, Object> json(MemoryTypeList list) {
        List<Object> zones = Json.array();
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
            zones.add(z);
        }
        Map<String, Object> c = Json.object();
        c.put("zone", zones);
        return c;
    }
}
