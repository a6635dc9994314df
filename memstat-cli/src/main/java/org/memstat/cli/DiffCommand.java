package org.memstat.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.memstat.lib.MemoryType;
import org.memstat.lib.MemoryTypeList;
import org.memstat.lib.MemstatException;
import org.memstat.lib.SysctlSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code memstat diff A B}: the UMA zones of two sources side by side, with the change in used and free items and
 * the requests and failures between them; with both times known, also requests per second.
 *
 * <p>A snapshot's time is the {@code captured=} of its {@code memstat.dump}; a live source's time is when it was
 * read; a {@code dir:} snapshot without metadata has no time, and then there are no rates. Zones are matched by
 * name (the n-th zone of a name in A with the n-th of that name in B), in B's order, then the zones only A has.
 */
@Command(name = "diff", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Compare the UMA zones of two sources: changes in used, free, requests and failures."})
final class DiffCommand implements Callable<Integer> {
    @ParentCommand
    MemstatCommand parent;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "A", description = "the earlier source URI")
    String a;

    @Parameters(index = "1", paramLabel = "B", description = "the later source URI")
    String b;

    /** One side: its zones and when they were read, if known. */
    private record Side(String uri, List<MemoryType> zones, Optional<Instant> time) {
    }

    @Override
    public Integer call() throws MemstatException {
        parent.requireText(spec);
        Side sa = read(a);
        Side sb = read(b);
        StringBuilder out = new StringBuilder();
        out.append("A: ").append(sa.uri()).append(sa.time().map(t -> " at " + t).orElse(" (time unknown)"))
                .append('\n');
        out.append("B: ").append(sb.uri()).append(sb.time().map(t -> " at " + t).orElse(" (time unknown)"))
                .append('\n');
        double seconds = 0;
        if (sa.time().isPresent() && sb.time().isPresent()) {
            seconds = Duration.between(sa.time().get(), sb.time().get()).toNanos() / 1e9;
            out.append(String.format(Locale.ROOT, "interval %.3f s", seconds)).append('\n');
        } else {
            out.append("interval unknown: no rates\n");
        }
        out.append('\n');
        table(out, sa, sb, seconds);
        parent.cli.out().print(out);
        parent.cli.out().flush();
        return ExitCode.OK;
    }

    private Side read(String uri) throws MemstatException {
        try (SysctlSource source = Sources.open(uri, false)) {
            MemoryTypeList list = new MemoryTypeList();
            list.refreshUma(source);
            Optional<Instant> time = source instanceof DirSource d ? Metadata.captured(d.dir())
                    : Optional.of(parent.cli.wallClock().get());
            return new Side(source.uri(), List.copyOf(list.types()), time);
        }
    }

    private static void table(StringBuilder out, Side sa, Side sb, double seconds) {
        Map<String, MemoryType> byKeyA = keyed(sa.zones());
        boolean rates = seconds > 0;
        List<String[]> rows = new ArrayList<>();
        rows.add(rates ? new String[] {"ITEM", "USED A", "USED B", "USED +/-", "FREE A", "FREE B", "FREE +/-",
            "REQ +/-", "FAIL +/-", "REQ/s"} : new String[] {"ITEM", "USED A", "USED B", "USED +/-", "FREE A",
            "FREE B", "FREE +/-", "REQ +/-", "FAIL +/-"});
        for (Map.Entry<String, MemoryType> e : keyed(sb.zones()).entrySet()) {
            MemoryType zb = e.getValue();
            MemoryType za = byKeyA.remove(e.getKey());
            rows.add(row(za == null ? zb.name() + " (new)" : zb.name(), za, zb, seconds, rates));
        }
        for (MemoryType za : byKeyA.values()) {
            rows.add(row(za.name() + " (gone)", za, null, seconds, rates));
        }
        int[] width = new int[rows.get(0).length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], Text.columns(r[i]));
            }
        }
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder(Text.left(r[0], width[0]));
            for (int i = 1; i < r.length; i++) {
                line.append("  ").append(Text.right(r[i], width[i]));
            }
            out.append(line).append('\n');
        }
    }

    private static String[] row(String name, MemoryType za, MemoryType zb, double seconds, boolean rates) {
        String usedA = za == null ? "-" : Text.u(za.count());
        String usedB = zb == null ? "-" : Text.u(zb.count());
        String freeA = za == null ? "-" : Text.u(za.free());
        String freeB = zb == null ? "-" : Text.u(zb.free());
        boolean both = za != null && zb != null;
        String[] r = {name, usedA, usedB, both ? signed(zb.count() - za.count()) : "-", freeA, freeB,
            both ? signed(zb.free() - za.free()) : "-", both ? signed(zb.numAllocs() - za.numAllocs()) : "-",
            both ? signed(zb.failures() - za.failures()) : "-", ""};
        if (!rates) {
            return java.util.Arrays.copyOf(r, r.length - 1);
        }
        r[r.length - 1] = both ? String.format(Locale.ROOT, "%.1f", (zb.numAllocs() - za.numAllocs()) / seconds)
                : "-";
        return r;
    }

    /** A difference of two unsigned counters, as a signed number with its sign. */
    static String signed(long d) {
        return d > 0 ? "+" + d : Long.toString(d);
    }

    /** Zones keyed by name and occurrence ("name#0", "name#1"), in list order. */
    private static Map<String, MemoryType> keyed(List<MemoryType> zones) {
        Map<String, Integer> seen = new HashMap<>();
        Map<String, MemoryType> out = new LinkedHashMap<>();
        for (MemoryType t : zones) {
            int n = seen.merge(t.name(), 1, Integer::sum) - 1;
            out.put(t.name() + "#" + n, t);
        }
        return out;
    }
}
