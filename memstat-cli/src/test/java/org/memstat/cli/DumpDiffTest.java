package org.memstat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dump} (atomic, complete, refuses to clobber) and {@code diff} (side by side, rates from capture times). */
class DumpDiffTest {
    @TempDir
    Path tmp;

    private final CliRun cli = new CliRun();

    private List<String> entries(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void dumpSavesEveryOidTheToolsNeedAndReadsBackIdentically() throws IOException {
        Map<String, byte[]> files = Fixtures.mbufSnapshot(true);
        Path src = CliRun.snapshot(tmp.resolve("src"), files);
        Path out = tmp.resolve("out");

        CliRun.Result r = cli.run("--source", "dir:" + src, "dump", "--out", out.toString());

        assertThat(r.err()).isEmpty();
        assertThat(r.code()).isZero();
        // 6 files, plus the 6 scalars the snapshot source derives (maxid, zone_count, maxcpus, malloc_count,
        // and the malloc zone table); the kern.ipc.nmb* limits are absent.
        assertThat(r.out()).isEqualTo("dir:" + out + ": 12 OIDs from dir:" + src + " at 2026-01-02T03:04:05Z\n");
        for (Map.Entry<String, byte[]> e : files.entrySet()) {
            assertThat(Files.readAllBytes(out.resolve(e.getKey()))).as(e.getKey()).isEqualTo(e.getValue());
        }
        // Scalars the source derived are saved as the raw little-endian ints sysctl -b would give.
        assertThat(Files.readAllBytes(out.resolve("kern.smp.maxid"))).isEqualTo(TestStreams.ints(
                ByteOrder.LITTLE_ENDIAN, 1));
        assertThat(Files.readAllBytes(out.resolve("vm.malloc.zone_count"))).isEqualTo(TestStreams.ints(
                ByteOrder.LITTLE_ENDIAN, 14));
        String meta = Files.readString(out.resolve("memstat.dump"), StandardCharsets.UTF_8);
        assertThat(meta).contains("\nformat=1\n", "\ncaptured=2026-01-02T03:04:05Z\n",
                "\nsource=dir\\:" + src.toString().replace(":", "\\:") + "\n", "oids=vm.zone_stats ");
        assertThat(cli.run("--source", "dir:" + out, "netstat", "-m").out())
                .isEqualTo(CliRun.golden("netstat-m-full.txt"));
        assertThat(entries(tmp)).containsExactly("out", "src");
    }

    @Test
    void dumpRefusesANonEmptyDirectoryWithoutForce() throws IOException {
        Path src = Fixtures.vmstatSnapshot(tmp.resolve("src"), ByteOrder.LITTLE_ENDIAN);
        Path out = Files.createDirectories(tmp.resolve("out"));
        Files.writeString(out.resolve("keep.txt"), "mine");

        CliRun.Result r = cli.run("--source", "dir:" + src, "dump", "-o", out.toString());

        assertThat(r.code()).isEqualTo(ExitCode.USAGE);
        assertThat(r.err()).isEqualTo("memstat: dump: " + out + " is not empty; use --force to replace it\n");
        assertThat(entries(out)).containsExactly("keep.txt");
    }

    @Test
    void forceReplacesTheOldSnapshotAndLeavesNoTemporaryDirectories() throws IOException {
        Path src = Fixtures.vmstatSnapshot(tmp.resolve("src"), ByteOrder.LITTLE_ENDIAN);
        Path out = Files.createDirectories(tmp.resolve("out"));
        Files.writeString(out.resolve("old.txt"), "old");

        CliRun.Result r = cli.run("--source", "dir:" + src, "dump", "-o", out.toString(), "--force");

        assertThat(r.code()).isZero();
        assertThat(entries(out)).doesNotContain("old.txt").contains("vm.zone_stats", "memstat.dump");
        assertThat(entries(tmp)).containsExactly("out", "src");
        assertThat(cli.run("--source", "dir:" + out, "vmstat", "-z").out()).isEqualTo(CliRun.golden("vmstat-z.txt"));
    }

    @Test
    void failedDumpLeavesNothingBehind() throws IOException {
        byte[] bad = Fixtures.zones(ByteOrder.LITTLE_ENDIAN);
        Path src = CliRun.snapshot(tmp.resolve("src"), Map.of("vm.zone_stats", java.util.Arrays.copyOf(bad, 500)));
        Path out = tmp.resolve("out");

        CliRun.Result r = cli.run("--source", "dir:" + src, "dump", "-o", out.toString());

        assertThat(r.code()).isEqualTo(ExitCode.DATAERROR);
        assertThat(r.err()).startsWith("memstat: dir:" + src + ": vm.zone_stats: Data format error: ");
        assertThat(entries(tmp)).containsExactly("src");
    }

    @Test
    void dumpOfTheDemoAllocatorReadsBack() throws IOException {
        Path out = tmp.resolve("demo");

        CliRun.Result r = cli.run("--source", "demo", "dump", "-o", out.toString());

        assertThat(r.code()).isZero();
        assertThat(entries(out)).contains("vm.zone_stats", "kern.smp.maxid", "vm.zone_count", "memstat.dump");
        CliRun.Result z = cli.run("--source", "dir:" + out, "vmstat", "-z");
        assertThat(z.code()).isZero();
        assertThat(z.out()).contains("\nmbuf_packet:").contains("\nmbuf_cluster:");
    }

    private Path snapshotAt(String name, byte[] zones, String captured) throws IOException {
        Path dir = CliRun.snapshot(tmp.resolve(name), Map.of("vm.zone_stats", zones));
        if (captured != null) {
            Files.writeString(dir.resolve("memstat.dump"), new Metadata("demo", Instant.parse(captured), "test",
                    List.of("vm.zone_stats")).text());
        }
        return dir;
    }

    private static byte[] before() {
        TestStreams.Uma u = new TestStreams.Uma(2);
        u.zone("beta").size(1000).allocs(50);
        u.zone("alpha").size(100).allocs(1000).frees(200);
        return u.bytes(ByteOrder.LITTLE_ENDIAN);
    }

    private static byte[] after() {
        TestStreams.Uma u = new TestStreams.Uma(2);
        u.zone("gamma").size(10).allocs(7);
        u.zone("alpha").size(100).allocs(1400).frees(500).fails(10);
        return u.bytes(ByteOrder.LITTLE_ENDIAN);
    }

    @Test
    void diffShowsChangesAndRatesFromTheCaptureTimes() throws IOException {
        Path a = snapshotAt("a", before(), "2026-01-02T03:00:00Z");
        Path b = snapshotAt("b", after(), "2026-01-02T03:00:10Z");

        CliRun.Result r = cli.run("diff", "dir:" + a, "dir:" + b);

        assertThat(r.err()).isEmpty();
        assertThat(r.out().lines()).containsExactly(
                "A: dir:" + a + " at 2026-01-02T03:00:00Z",
                "B: dir:" + b + " at 2026-01-02T03:00:10Z",
                "interval 10.000 s",
                "",
                "ITEM         USED A  USED B  USED +/-  FREE A  FREE B  FREE +/-  REQ +/-  FAIL +/-  REQ/s",
                "alpha           800     900      +100       0       0         0     +400       +10   40.0",
                "gamma (new)       -       7         -       -       0         -        -         -      -",
                "beta (gone)      50       -         -       0       -         -        -         -      -");
    }

    @Test
    void diffWithoutCaptureTimesHasNoRates() throws IOException {
        Path a = snapshotAt("a", before(), null);
        Path b = snapshotAt("b", after(), null);

        CliRun.Result r = cli.run("diff", "dir:" + a, "dir:" + b);

        assertThat(r.out().lines()).contains("A: dir:" + a + " (time unknown)", "interval unknown: no rates",
                "alpha           800     900      +100       0       0         0     +400       +10");
    }
}
