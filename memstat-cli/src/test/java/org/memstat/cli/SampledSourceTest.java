package org.memstat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.memstat.uma.Uma;
import org.memstat.uma.Zone;
import org.memstat.uma.sysctl.RegistryServer;

/**
 * {@code profile}, {@code holders}, {@code dump} and {@code sysctl vm.uma} against a real uma-core allocator
 * sampling every allocation (rate 1, so every figure is exact) behind its registry socket ({@code unix:}); the
 * profiles are read by the real {@code go tool pprof} (the test fails, never skips, without {@code go}). The
 * methods of this class that allocate are the sites the tools must point at.
 */
class SampledSourceTest {
    /** One row of {@code -top}: flat, flat%, sum%, cum, cum%, name. */
    private static final Pattern TOP_ROW =
            Pattern.compile("^\\s*(-?[0-9.]+[A-Za-z]*)\\s+(-?[0-9.]+%)\\s+(-?[0-9.]+%)\\s+(-?[0-9.]+[A-Za-z]*)\\s+"
                    + "(-?[0-9.]+%)\\s+(\\S+)\\s*$");
    private static final String SELF = SampledSourceTest.class.getName();
    private static final int ITEM = 512;

    @TempDir
    Path tmp;

    private final CliRun cli = new CliRun();
    private final List<Long> held = new ArrayList<>();
    private Uma uma;
    private Zone conn;
    private RegistryServer server;
    private String source;
    private GoPprof pprof;
    /** The line of {@link #holdConnections}'s allocation. */
    private int holdLine;

    @BeforeEach
    void allocator() throws IOException {
        uma = Uma.builder().kmemSize(64L << 20).sampleRate(1).trimInterval(Duration.ZERO).build();
        conn = uma.zcreate("test_conn", ITEM, null, null, null, null, Uma.ALIGN_CACHE, 0);
        server = RegistryServer.builder(uma.sysctl(), tmp.resolve("r.sock")).allowWrites(true).start();
        source = "unix:" + server.socketPath();
        pprof = GoPprof.find(Files.createDirectories(tmp.resolve("go")));
    }

    @AfterEach
    void close() {
        for (long p : held) {
            conn.free(p);
        }
        server.close();
        uma.close();
    }

    private void holdConnections(int n) {
        for (int i = 0; i < n; i++) {
            held.add(conn.alloc(Uma.M_WAITOK)); holdLine = line();
        }
    }

    /** The caller's line number. */
    private static int line() {
        return StackWalker.getInstance().walk(s -> s.skip(1).findFirst()).orElseThrow().getLineNumber();
    }

    private void holdMore(int n) {
        for (int i = 0; i < n; i++) {
            held.add(conn.alloc(Uma.M_WAITOK));
        }
    }

    private void churn(int n) {
        for (int i = 0; i < n; i++) {
            conn.free(conn.alloc(Uma.M_WAITOK));
        }
    }

    private record TopRow(long flat, long cum, String name) {
    }

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

    private Path profile(String src, String name, String... extra) {
        Path file = tmp.resolve(name);
        List<String> args = new ArrayList<>(List.of("--source", src, "profile", "-o", file.toString()));
        args.addAll(List.of(extra));
        CliRun.Result r = cli.run(args.toArray(String[]::new));
        assertThat(r.err()).isEmpty();
        assertThat(r.code()).isZero();
        assertThat(r.out()).startsWith(file + ": ").endsWith(" sites from " + src + "\n");
        return file;
    }

    @Test
    void profileTopShowsTheMethodHoldingTheMemoryFirst() throws Exception {
        holdConnections(20);
        churn(50);

        Path file = profile(source, "heap.pb.gz");

        String top = pprof.run("-unit=B", "-top", file.toString());
        assertThat(top).contains("Type: inuse_space");
        List<TopRow> rows = topRows(top);
        assertThat(rows.getFirst()).isEqualTo(new TopRow(20 * ITEM, 20 * ITEM, SELF + ".holdConnections"));
        assertThat(rows).noneMatch(r -> r.name().endsWith(".churn") && r.flat() != 0);
    }

    @Test
    void allocSpaceCountsWhatWasFreedToo() throws Exception {
        holdConnections(20);
        churn(50);

        Path file = profile(source, "heap.pb.gz");

        List<TopRow> rows = topRows(pprof.run("-sample_index=alloc_space", "-unit=B", "-top", file.toString()));
        assertThat(rows.subList(0, 2)).containsExactly(new TopRow(50 * ITEM, 50 * ITEM, SELF + ".churn"),
                new TopRow(20 * ITEM, 20 * ITEM, SELF + ".holdConnections"));
    }

    @Test
    void rawHasTheExactCountsTheZoneLabelAndTheSourceLine() throws Exception {
        holdConnections(20);

        Path file = profile(source, "heap.pb.gz", "--zone", "test_conn");

        String raw = pprof.run("-raw", file.toString());
        assertThat(raw.lines().map(String::strip).toList())
                .contains("alloc_objects/count alloc_space/bytes inuse_objects/count inuse_space/bytes[dflt]")
                .anyMatch(l -> l.matches("20 +" + 20 * ITEM + " +20 +" + 20 * ITEM + ": [\\d ]+"))
                .contains("zone:[test_conn]")
                .anyMatch(l -> l.matches("\\d+: 0x0 M=1 " + Pattern.quote(SELF + ".holdConnections")
                        + " SampledSourceTest.java:" + holdLine + " s=0"));
        assertThat(raw).doesNotContain("source:[");
    }

    @Test
    void diffBaseBetweenTwoDumpsShowsWhatWasAllocatedInBetween() throws Exception {
        holdConnections(10);
        Path before = tmp.resolve("before");
        assertThat(cli.run("--source", source, "dump", "-o", before.toString()).code()).isZero();
        holdMore(30);
        Path after = tmp.resolve("after");
        assertThat(cli.run("--source", source, "dump", "-o", after.toString()).code()).isZero();

        Path base = profile("dir:" + before, "before.pb.gz");
        Path now = profile("dir:" + after, "after.pb.gz");

        List<TopRow> rows = topRows(pprof.run("-diff_base=" + base, "-unit=B", "-top", now.toString()));
        assertThat(rows.getFirst()).isEqualTo(new TopRow(30 * ITEM, 30 * ITEM, SELF + ".holdMore"));
        assertThat(rows).noneMatch(r -> r.name().endsWith(".holdConnections") && r.flat() != 0);
    }

    @Test
    void dashWritesTheProfileToStandardOutput() throws Exception {
        holdConnections(5);

        CliRun.Result r = cli.run("--source", source, "profile", "-o", "-");

        assertThat(r.err()).isEmpty();
        assertThat(r.code()).isZero();
        assertThat(r.rawOut()[0] & 0xff).isEqualTo(0x1f);
        assertThat(r.rawOut()[1] & 0xff).isEqualTo(0x8b);
        Path file = Files.write(tmp.resolve("stdout.pb.gz"), r.rawOut());
        assertThat(topRows(pprof.run("-unit=B", "-top", file.toString())).getFirst().name())
                .isEqualTo(SELF + ".holdConnections");
    }

    @Test
    void aSourceWithoutSamplesGetsAValidEmptyProfileAndOneLine() throws Exception {
        TestStreams.Uma u = new TestStreams.Uma(2);
        u.zone("conn").size(2048);
        Path plain = CliRun.snapshot(tmp.resolve("plain"), Map.of("vm.zone_stats", u.bytes(ByteOrder.LITTLE_ENDIAN)));
        Path file = tmp.resolve("empty.pb.gz");

        CliRun.Result r = cli.run("--source", "dir:" + plain, "profile", "-o", file.toString());

        assertThat(r.code()).isZero();
        assertThat(r.err()).isEqualTo("memstat: dir:" + plain + ": source has no sampled allocations "
                + "(vm.zone_samples absent); wrote an empty profile\n");
        assertThat(pprof.run("-raw", file.toString())).contains("inuse_space/bytes[dflt]");
    }

    @Test
    void aSourceWhoseZonesSampledNothingSaysSo() throws Exception {
        Path file = tmp.resolve("nothing.pb.gz");

        CliRun.Result r = cli.run("--source", source, "profile", "-o", file.toString());

        assertThat(r.code()).isZero();
        assertThat(r.out()).isEqualTo(file + ": 0 sites from " + source + "\n");
        assertThat(r.err()).isEqualTo("memstat: " + source + ": no sampled allocations (sampling off, or nothing "
                + "allocated since it was turned on); wrote an empty profile\n");
        assertThat(pprof.run("-raw", file.toString())).contains("inuse_space/bytes[dflt]");
    }

    @Test
    void profileErrorsAreOneLineWithTheirExitCodes() {
        CliRun.Result zone = cli.run("--source", source, "profile", "--zone", "nosuch", "-o",
                tmp.resolve("x.pb.gz").toString());
        assertThat(zone.code()).isEqualTo(ExitCode.MISSING_TYPE);
        assertThat(zone.err()).isEqualTo("memstat: " + source + ": no zone named 'nosuch' in vm.zone_samples\n");

        CliRun.Result dir = cli.run("--source", source, "profile", "-o", tmp.resolve("no/such/x.pb.gz").toString());
        assertThat(dir.code()).isEqualTo(ExitCode.IO);
        assertThat(dir.err()).isEqualTo("memstat: profile: " + tmp.resolve("no/such") + " does not exist\n");

        CliRun.Result json = cli.run("--source", source, "--libxo", "json", "profile", "-o", "-");
        assertThat(json.code()).isEqualTo(ExitCode.USAGE);
        assertThat(json.err()).startsWith("profile writes a pprof profile");

        CliRun.Result missing = cli.run("--source", source, "profile");
        assertThat(missing.code()).isEqualTo(ExitCode.USAGE);
        assertThat(tmp.resolve("x.pb.gz")).doesNotExist();
    }

    @Test
    void holdersNamesTheTestMethodWithItsLine() {
        holdConnections(20);
        churn(3);

        CliRun.Result r = cli.run("--source", source, "holders", "test_conn");

        assertThat(r.err()).isEmpty();
        assertThat(r.code()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines.subList(0, 4)).containsExactly(
                "zone test_conn, sample rate 1 byte: 10KB (10240 bytes) in use in 20 items (exact: rate 1), 1 site",
                "",
                "#1  10KB (10240 bytes)  20 items  100.0%",
                "    at " + SELF + ".holdConnections(SampledSourceTest.java:" + holdLine + ")");
        assertThat(lines.get(4)).startsWith("    at " + SELF + ".holdersNamesTheTestMethodWithItsLine("
                + "SampledSourceTest.java:");
        assertThat(lines.getLast()).matches("    \\.\\.\\. \\d+ more");
        assertThat(lines).hasSize(4 + Holders.MAX_FRAMES);
    }

    @Test
    void sysctlSetsAZonesSampleRateOverTheSocketAndHoldersSeesItOff() {
        Zone idle = uma.zcreate("idle-zone", 64, null, null, null, null, Uma.ALIGN_PTR, 0);

        assertThat(cli.run("--source", source, "sysctl", "vm.uma").out())
                .contains("vm.uma.idle_zone.sample_rate: 1\n", "vm.uma.test_conn.sample_rate: 1\n");
        CliRun.Result set = cli.run("--source", source, "sysctl", "-w", "vm.uma.idle_zone.sample_rate=0");
        assertThat(set.err()).isEmpty();
        assertThat(set.out()).isEqualTo("vm.uma.idle_zone.sample_rate: 1 -> 0\n");
        assertThat(cli.run("--source", source, "sysctl", "-n", "vm.uma.idle_zone.sample_rate").out())
                .isEqualTo("0\n");

        CliRun.Result off = cli.run("--source", source, "holders", "idle-zone");
        assertThat(off.code()).isZero();
        assertThat(off.out()).isEqualTo("zone idle-zone: sampling is off (rate 0); set "
                + "vm.uma.idle_zone.sample_rate\n");

        CliRun.Result big = cli.run("--source", source, "sysctl", "vm.uma.test_conn.sample_rate=0x80000");
        assertThat(big.out()).isEqualTo("vm.uma.test_conn.sample_rate: 1 -> 524288\n");
        CliRun.Result bad = cli.run("--source", source, "sysctl", "vm.uma.test_conn.sample_rate=-1");
        assertThat(bad.code()).isNotZero();
        assertThat(bad.err().lines()).hasSize(1);
        idle.destroy();
    }

    @Test
    void dumpSavesTheSamplesAndPeaksAndHoldersReadsTheDump() throws IOException {
        holdConnections(4);
        Path out = tmp.resolve("snap");

        CliRun.Result r = cli.run("--source", source, "dump", "-o", out.toString());

        assertThat(r.code()).isZero();
        assertThat(out.resolve("vm.zone_samples")).isNotEmptyFile();
        assertThat(out.resolve("vm.zone_peaks")).isNotEmptyFile();
        assertThat(Files.readString(out.resolve("memstat.dump"))).contains(" vm.zone_samples vm.zone_peaks");
        assertThat(cli.run("--source", "dir:" + out, "holders", "test_conn").out())
                .startsWith("zone test_conn, sample rate 1 byte: 2.0KB (2048 bytes) in use in 4 items");
    }
}
