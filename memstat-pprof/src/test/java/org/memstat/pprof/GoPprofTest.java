package org.memstat.pprof;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.memstat.pprof.Fixtures.APP;
import static org.memstat.pprof.Fixtures.APP_BEFORE;
import static org.memstat.pprof.Fixtures.CACHE;
import static org.memstat.pprof.Fixtures.CONN;
import static org.memstat.pprof.Fixtures.DB;
import static org.memstat.pprof.Fixtures.MBUF;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.memstat.lib.SampleSite;

/**
 * HeapProfile's output read by the real {@code go tool pprof}: what a user sees. The test fails (never skips)
 * without {@code go}: bin/test and .ci/run install Debian's golang-go when run as root.
 */
class GoPprofTest {
    /** One row of {@code -top}: flat, flat%, sum%, cum, cum%, name. */
    private static final Pattern TOP_ROW =
            Pattern.compile("^\\s*(-?[0-9.]+[A-Za-z]*)\\s+(-?[0-9.]+%)\\s+(-?[0-9.]+%)\\s+(-?[0-9.]+[A-Za-z]*)\\s+"
                    + "(-?[0-9.]+%)\\s+(\\S+)\\s*$");
    /** One sample of {@code -raw}: four values, then the location ids. */
    private static final Pattern RAW_SAMPLE =
            Pattern.compile("^\\s*(-?\\d+)\\s+(-?\\d+)\\s+(-?\\d+)\\s+(-?\\d+): ([\\d ]+?)\\s*$");
    /** One location of {@code -raw}: id, address, mapping, function, file:line. */
    private static final Pattern RAW_LOCATION =
            Pattern.compile("^\\s*(\\d+): 0x0 M=1 (\\S+) (\\S*):(\\d+) s=0\\s*$");

    @TempDir
    Path dir;

    private GoPprof pprof;

    @BeforeEach
    void findGo() {
        pprof = GoPprof.find(dir);
    }

    @Test
    void shouldFailNotSkipWhenGoIsMissing() {
        assertThatThrownBy(() -> GoPprof.find(dir, dir.toString(), List.of(dir.resolve("no-go"))))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("install Debian's golang-go");
    }

    private Path write(String name, HeapProfile heap) throws IOException {
        return Files.write(dir.resolve(name), heap.toGzip());
    }

    private record TopRow(long flat, long cum, String name) {
    }

    /** The rows of {@code -top} printed with {@code -unit=B} or of a count, in pprof's order. */
    private static List<TopRow> topRows(String out) {
        List<TopRow> rows = new ArrayList<>();
        for (String line : out.split("\n")) {
            Matcher m = TOP_ROW.matcher(line);
            if (m.matches()) {
                rows.add(new TopRow(number(m.group(1)), number(m.group(4)), m.group(6)));
            }
        }
        return rows;
    }

    private static long number(String s) {
        return Long.parseLong(s.endsWith("B") ? s.substring(0, s.length() - 1) : s);
    }

    @Test
    void shouldShowTheLargestInUseSiteFirstInTop() throws IOException, InterruptedException {
        Path file = write("heap.pb.gz", HeapProfile.builder().add("app", APP, null));

        String top = pprof.run("-top", file.toString());
        assertThat(top).contains("Type: inuse_space").contains("File: [memstat]");
        assertThat(top.lines().filter(l -> TOP_ROW.matcher(l).matches()).findFirst().orElseThrow())
                .endsWith("org.example.ConnTable.open");

        List<TopRow> rows = topRows(pprof.run("-unit=B", "-top", file.toString()));
        assertThat(rows).containsExactly(
                new TopRow(CONN.inuse().bytes(), CONN.inuse().bytes(), "org.example.ConnTable.open"),
                new TopRow(CACHE.inuse().bytes(), CACHE.inuse().bytes(), "org.example.Cache.put"),
                new TopRow(0, CONN.inuse().bytes() + CACHE.inuse().bytes(), "org.example.Server.accept"));
        assertThat(top).contains("Showing nodes accounting for");
    }

    @Test
    void shouldShowTheLargestAllocatingSiteFirstForAllocSpace() throws IOException, InterruptedException {
        Path file = write("heap.pb.gz", HeapProfile.builder().add("app", APP, null));

        String out = pprof.run("-sample_index=alloc_space", "-unit=B", "-top", file.toString());
        assertThat(out).contains("Type: alloc_space");
        long total = CONN.alloc().bytes() + CACHE.alloc().bytes() + MBUF.alloc().bytes();
        assertThat(out).contains("Showing nodes accounting for " + total + "B, 100% of " + total + "B total");
        // The mbuf site's leaf is Server.accept (line 99); its caller Main.main holds 0.16 % of the total, under
        // pprof's default node fraction (0.5 %), so it is not shown.
        assertThat(topRows(out)).containsExactly(
                new TopRow(CACHE.alloc().bytes(), CACHE.alloc().bytes(), "org.example.Cache.put"),
                new TopRow(CONN.alloc().bytes(), CONN.alloc().bytes(), "org.example.ConnTable.open"),
                new TopRow(MBUF.alloc().bytes(), total, "org.example.Server.accept"));

        List<TopRow> objects = topRows(pprof.run("-sample_index=alloc_objects", "-top", file.toString()));
        assertThat(objects).contains(new TopRow(MBUF.alloc().objects(),
                CONN.alloc().objects() + CACHE.alloc().objects() + MBUF.alloc().objects(),
                "org.example.Server.accept"));
    }

    @Test
    void shouldListTheSampleTypesValuesLabelsAndLocationsInRaw() throws IOException, InterruptedException {
        Path file = write("heap.pb.gz", HeapProfile.builder().add("app", APP, null).add("db", DB, "packet"));
        String raw = pprof.run("-raw", file.toString());

        assertThat(raw).contains("PeriodType: space bytes").contains("Period: " + Fixtures.RATE);
        assertThat(raw.lines().toList()).contains(
                "alloc_objects/count alloc_space/bytes inuse_objects/count inuse_space/bytes[dflt]");

        Map<String, String> functionOf = new LinkedHashMap<>();
        for (String line : raw.split("\n")) {
            Matcher m = RAW_LOCATION.matcher(line);
            if (m.matches()) {
                functionOf.put(m.group(1), m.group(2) + " " + m.group(3) + ":" + m.group(4));
            }
        }
        assertThat(functionOf.values()).containsExactly("org.example.ConnTable.open ConnTable.java:42",
                "org.example.Server.accept Server.java:17", "org.example.Cache.put :0",
                "org.example.Server.accept Server.java:99", "org.example.Main.main Main.java:5");

        // Each sample: its values, its stack as function names, and the label lines under it.
        List<String> samples = new ArrayList<>();
        String[] lines = raw.split("\n");
        for (int i = 0; i < lines.length; i++) {
            Matcher m = RAW_SAMPLE.matcher(lines[i]);
            if (!m.matches()) {
                continue;
            }
            StringBuilder s = new StringBuilder(m.group(1) + " " + m.group(2) + " " + m.group(3) + " " + m.group(4)
                    + " @");
            for (String id : m.group(5).trim().split(" +")) {
                s.append(' ').append(functionOf.get(id).split(" ")[0]);
            }
            while (i + 1 < lines.length && lines[i + 1].startsWith("                ")
                    && !RAW_SAMPLE.matcher(lines[i + 1]).matches()) {
                s.append(" |").append(lines[++i].strip());
            }
            samples.add(s.toString());
        }
        SampleSite dbSite = DB.zones().getFirst().sites().getFirst();
        assertThat(samples).containsExactlyInAnyOrder(
                row(CONN, "org.example.ConnTable.open org.example.Server.accept")
                        + " |source:[app] zone:[packet] |bytes:[256]",
                row(CACHE, "org.example.Cache.put org.example.Server.accept")
                        + " |malloc_type:[devbuf] source:[app] zone:[malloc-4096] |bytes:[4096]",
                row(MBUF, "org.example.Server.accept org.example.Main.main")
                        + " |source:[app] zone:[mbuf] |bytes:[256]",
                row(dbSite, "org.example.ConnTable.open org.example.Server.accept")
                        + " |source:[db] zone:[packet] |bytes:[256]");
    }

    private static String row(SampleSite site, String stack) {
        return site.alloc().objects() + " " + site.alloc().bytes() + " " + site.inuse().objects() + " "
                + site.inuse().bytes() + " @ " + stack;
    }

    @Test
    void shouldShowTheGrowthSinceTheBaseInDiffBase() throws IOException, InterruptedException {
        Path now = write("now.pb.gz", HeapProfile.builder().add("app", APP, null));
        Path before = write("before.pb.gz", HeapProfile.builder().add("app", APP_BEFORE, null));

        List<TopRow> rows = topRows(pprof.run("-diff_base=" + before, "-unit=B", "-top", now.toString()));
        SampleSite base = APP_BEFORE.zones().getFirst().sites().getFirst();
        long grown = CONN.inuse().bytes() - base.inuse().bytes();
        assertThat(grown).isPositive();
        assertThat(rows.getFirst()).isEqualTo(new TopRow(grown, grown, "org.example.ConnTable.open"));
        assertThat(rows).as("the cache site is the same in both").noneMatch(
                r -> r.name().equals("org.example.Cache.put") && r.flat() != 0);

        List<TopRow> reversed = topRows(pprof.run("-diff_base=" + now, "-unit=B", "-top", before.toString()));
        assertThat(reversed).contains(new TopRow(-grown, -grown, "org.example.ConnTable.open"));
    }

    @Test
    void shouldShowEachSitesLabelsAndStackInTraces() throws IOException, InterruptedException {
        Path file = write("heap.pb.gz", HeapProfile.builder().add("app", APP, null).add("db", DB, "packet"));
        String traces = pprof.run("-traces", file.toString());

        List<String> blocks = Arrays.stream(traces.split("-{11}\\+-+\n")).skip(1)
                .map(String::strip).filter(b -> !b.isEmpty()).toList();
        assertThat(blocks).hasSize(4);
        assertThat(blocks).anySatisfy(b -> assertThat(b)
                .containsPattern("zone:\\s+malloc-4096").containsPattern("source:\\s+app")
                .containsPattern("malloc_type:\\s+devbuf").containsPattern("bytes:\\s+4kB")
                .contains("org.example.Cache.put").contains("org.example.Server.accept"));
        assertThat(blocks).anySatisfy(b -> assertThat(b)
                .containsPattern("zone:\\s+packet").containsPattern("source:\\s+db")
                .containsPattern("bytes:\\s+256B").doesNotContain("malloc_type")
                .contains("org.example.ConnTable.open"));
        assertThat(blocks).filteredOn(b -> b.contains("source:  app")).hasSize(3);
    }

    @Test
    void shouldFocusOnOneSourceOrZoneWithTagfocus() throws IOException, InterruptedException {
        Path file = write("heap.pb.gz", HeapProfile.builder().add("app", APP, null).add("db", DB, null));
        SampleSite dbPacket = DB.zones().getFirst().sites().getFirst();
        long db = dbPacket.inuse().bytes() + CACHE.inuse().bytes();
        String out = pprof.run("-tagfocus=source=db", "-unit=B", "-top", file.toString());
        assertThat(out).contains("Showing nodes accounting for " + db + "B");
        assertThat(topRows(out)).contains(new TopRow(0, db, "org.example.Server.accept"));

        long packets = CONN.inuse().bytes() + dbPacket.inuse().bytes();
        assertThat(topRows(pprof.run("-tagfocus=zone=packet", "-unit=B", "-top", file.toString())))
                .containsExactly(new TopRow(packets, packets, "org.example.ConnTable.open"),
                        new TopRow(0, packets, "org.example.Server.accept"));
    }

    @Test
    void shouldReadAProfileWithoutSourceLabels() throws IOException, InterruptedException {
        Path file = write("heap.pb.gz", HeapProfile.builder().add(null, APP, "packet"));
        String traces = pprof.run("-traces", file.toString());
        assertThat(traces).containsPattern("zone:\\s+packet").doesNotContain("source:");
        assertThat(topRows(pprof.run("-unit=B", "-top", file.toString())).getFirst())
                .isEqualTo(new TopRow(CONN.inuse().bytes(), CONN.inuse().bytes(), "org.example.ConnTable.open"));
    }
}
