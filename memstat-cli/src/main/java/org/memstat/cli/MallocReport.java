package org.memstat.cli;

import java.util.List;
import java.util.Map;
import org.memstat.lib.MemoryType;
import org.memstat.lib.MemoryTypeList;

/**
 * {@code vmstat -m} as current FreeBSD prints it (CUR-vmstat {@code domemstat_malloc}; facts in
 * {@code docs/CLI.md}).
 *
 * <p>Header {@code %16s %4s %5s %3s Size(s)} over Type Use Memory Req. Types with no allocations and nothing in
 * use are skipped. Row: the name right-justified in 16 columns, a space, then three libxo "humanized" fields in
 * padding anchors of 4, 5 and 4 columns (right-justified, never cut): in-use count ({@code hn-decimal,hn-1000}),
 * memory in use in bytes ({@code hn-decimal}, 1024-based) and requests ({@code hn-decimal,hn-1000}), each followed
 * by a space; then the sizes of the malloc zones whose bit is set in the type's size mask, humanized
 * (1024-based, no decimal), separated by commas. JSON: the libxo container {@code malloc-statistics} with the list
 * {@code memory}, raw numbers, and the sizes as the leaf-list {@code size}.
 */
final class MallocReport {
    private MallocReport() {
    }

    /** The header line, without its newline. */
    static final String HEADER = Text.right("Type", 16) + " " + Text.right("Use", 4) + " " + Text.right("Memory", 5)
            + " " + Text.right("Req", 3) + " Size(s)";

    static void text(MemoryTypeList list, StringBuilder out) {
        out.append(HEADER).append('\n');
        for (MemoryType t : list) {
            if (skipped(t)) {
                continue;
            }
            out.append(Text.right(t.name(), 16)).append(' ')
                    .append(Text.right(Humanize.format(t.count(), true, true), 4)).append(' ')
                    .append(Text.right(Humanize.format(t.bytes(), true, false), 5)).append(' ')
                    .append(Text.right(Humanize.format(t.numAllocs(), true, true), 4)).append(' ');
            boolean first = true;
            for (int i = 0; i < list.mallocZoneCount(); i++) {
                if (t.mallocZoneUsed(i)) {
                    out.append(first ? "" : ",").append(Humanize.format(zoneSize(list, i), false, false));
                    first = false;
                }
            }
            out.append('\n');
        }
    }

    /** The {@code malloc-statistics} container. */
    static Map<String, Object> json(MemoryTypeList list) {
        List<Object> types = Json.array();
        for (MemoryType t : list) {
            if (skipped(t)) {
                continue;
            }
            Map<String, Object> m = Json.object();
            m.put("type", t.name());
            m.put("in-use", Json.u(t.count()));
            m.put("memory-use", Json.u(t.bytes()));
            m.put("requests", Json.u(t.numAllocs()));
            List<Object> sizes = Json.array();
            for (int i = 0; i < list.mallocZoneCount(); i++) {
                if (t.mallocZoneUsed(i)) {
                    sizes.add(Json.i(zoneSize(list, i)));
                }
            }
            m.put("size", sizes);
            types.add(m);
        }
        Map<String, Object> c = Json.object();
        c.put("memory", types);
        return c;
    }

    private static boolean skipped(MemoryType t) {
        return t.numAllocs() == 0 && t.count() == 0;
    }

    /** {@code memstat_malloc_zone_get_size} is printed with {@code %d}: an int, so sign-extended. */
    private static long zoneSize(MemoryTypeList list, int i) {
        return (int) list.mallocZoneSize(i);
    }
}
