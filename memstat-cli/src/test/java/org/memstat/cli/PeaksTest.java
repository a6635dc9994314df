package org.memstat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.memstat.uma.Uma;
import org.memstat.uma.Zone;
import org.memstat.uma.sysctl.RegistryServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code vmstat -z --peak} and {@code top}'s PEAK-USED column from {@code vm.zone_peaks}. The snapshot has two
 * zones named {@code dup} (16 and 32 bytes, in that stream order) around {@code lone}, and peaks for the two
 * {@code dup}s only: the k-th {@code dup} of the stream gets the k-th {@code dup} peak although libmemstat lists
 * the zones in reverse.
 */
class PeaksTest {
    @TempDir
    Path tmp;

    private final CliRun cli = new CliRun();
    private Path snap;

    private static byte[] zones() {
        TestStreams.Uma u = new TestStreams.Uma(2);
        u.zone("dup").size(16).allocs(5).frees(2);
        u.zone("lone").size(64).allocs(1);
        u.zone("dup").size(32).allocs(9).frees(1);
        return u.bytes(ByteOrder.LITTLE_ENDIAN);
    }

    private static byte[] peaks() {
        return new ProfileStreams.Peaks(1 << 20, 1 << 19).zone("dup", 4096, 3).zone("dup", 8192, 7)
                .bytes(ByteOrder.LITTLE_ENDIAN);
    }

    @BeforeEach
    void snapshot() throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("vm.zone_stats", zones());
        files.put("vm.zone_peaks", peaks());
        snap = CliRun.snapshot(tmp.resolve("snap"), files);
    }

    @Test
    void peakColumnsFollowFreeBsdsJoinedByNameAndOccurrence() {
        List<String> plain = cli.run("--source", "dir:" + snap, "vmstat", "-z").out().lines().toList();

        CliRun.Result r = cli.run("--source", "dir:" + snap, "vmstat", "-z", "--peak");

        assertThat(r.err()).isEmpty();
        assertThat(r.code()).isZero();
        assertThat(plain.get(1)).startsWith("dup:").contains("    32,");
        assertThat(r.out().lines().toList()).containsExactly(
                plain.get(0) + " PEAK-USED     KEG-PEAK",
                plain.get(1) + ",        7,        8192",
                plain.get(2) + ",        -,           -",
                plain.get(3) + ",        3,        4096");
    }

    @Test
    void withoutPeakTheOutputIsFreeBsdsAndWithoutTheStreamEveryPeakIsADash() throws IOException {
        assertThat(cli.run("--source", "dir:" + snap, "vmstat", "-z").out().lines().findFirst().orElseThrow())
                .isEqualTo(ZoneReport.HEADER);
        Path plain = CliRun.snapshot(tmp.resolve("plain"), Map.of("vm.zone_stats", zones()));

        List<String> lines = cli.run("--source", "dir:" + plain, "vmstat", "-z", "--peak").out().lines().toList();

        assertThat(lines).hasSize(4);
        assertThat(lines.subList(1, 4)).allMatch(l -> l.endsWith(",        -,           -"));
    }

    @Test
    void jsonCarriesThePeakKeysWhereThereIsAPeak() {
        CliRun.Result r = cli.run("--source", "dir:" + snap, "--libxo", "json", "vmstat", "-z", "--peak");

        JsonNode zones = JsonMapper.builder().build().readTree(r.out()).path("memory-zone-statistics").path("zone");
        assertThat(zones.get(0).path("used-peak").asLong()).isEqualTo(7);
        assertThat(zones.get(0).path("keg-pages-peak").asLong()).isEqualTo(8192);
        assertThat(zones.get(1).has("used-peak")).isFalse();
        assertThat(zones.get(2).path("keg-pages-peak").asLong()).isEqualTo(4096);
    }

    @Test
    void peakWithoutZonesIsAUsageError() {
        CliRun.Result r = cli.run("--source", "dir:" + snap, "vmstat", "-m", "--peak");

        assertThat(r.code()).isEqualTo(ExitCode.USAGE);
        assertThat(r.err()).startsWith("vmstat: --peak needs -z\n");
    }

    @Test
    void topShowsAPeakUsedColumnAfterUsedWhenTheSourceHasPeaks() throws IOException {
        List<String> lines = cli.run("--source", "dir:" + snap, "top", "--once", "--sort", "name").out().lines()
                .toList();

        assertThat(lines.get(3).split(" +")).containsExactly("NAME", "SIZE", "LIMIT", "USED", "PEAK-USED", "FREE",
                "REQ/s", "FAIL/s", "SLEEP/s", "BYTES");
        List<String> peakColumn = new ArrayList<>();
        for (String l : lines.subList(4, lines.size())) {
            String[] cells = l.split(" +");
            peakColumn.add(cells[0] + " " + cells[1] + " " + cells[3] + " " + cells[4]);
        }
        assertThat(peakColumn).containsExactly("dup 32 8 7", "dup 16 3 3", "lone 64 1 -");

        Path plain = CliRun.snapshot(tmp.resolve("plain"), Map.of("vm.zone_stats", zones()));
        assertThat(cli.run("--source", "dir:" + plain, "top", "--once").out()).doesNotContain("PEAK");
    }

    @Test
    void aLiveAllocatorsPeakIsTheMostItemsSeenInUseWhenStatisticsWereRead() throws IOException {
        try (Uma uma = Uma.builder().kmemSize(32L << 20).trimInterval(Duration.ZERO).build()) {
            Zone z = uma.zcreate("peak_zone", 256, null, null, null, null, Uma.ALIGN_PTR, 0);
            try (RegistryServer server = RegistryServer.builder(uma.sysctl(), tmp.resolve("p.sock")).start()) {
                String src = "unix:" + server.socketPath();
                long[] items = new long[20];
                for (int i = 0; i < items.length; i++) {
                    items[i] = z.alloc(Uma.M_WAITOK);
                }
                assertThat(cli.run("--source", src, "vmstat", "-z").code()).isZero();
                for (int i = 0; i < 10; i++) {
                    z.free(items[i]);
                }

                String row = cli.run("--source", src, "vmstat", "-z", "--peak").out().lines()
                        .filter(l -> l.startsWith("peak_zone:")).findFirst().orElseThrow();

                String[] cells = row.substring(row.indexOf(':') + 1).split(", *");
                assertThat(cells[2].strip()).as("USED").isEqualTo("10");
                assertThat(cells[8].strip()).as("PEAK-USED").isEqualTo("20");
                assertThat(Long.parseLong(cells[9].strip())).as("KEG-PEAK").isPositive();
                for (int i = 10; i < items.length; i++) {
                    z.free(items[i]);
                }
            }
        }
    }
}
