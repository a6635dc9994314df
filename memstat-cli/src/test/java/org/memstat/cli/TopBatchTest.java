package org.memstat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code top --once} and {@code top -n N} on a snapshot that the fake sleeper rewrites between samples, with a
 * fake clock that advances exactly by the delay: every rate below is worked out by hand from the three snapshots.
 *
 * <pre>
 *            v1 (t=0)                   v2 (t=2 s)                       v3 (t=4 s)
 * alpha 100  allocs 1000 frees 200      allocs 1400 frees 500 fails 10   allocs 1600 frees 500 fails 10
 *                                       sleeps 4                         sleeps 4
 * beta 1000  allocs 50                  allocs 50                        allocs 150
 * gamma 10   (absent)                   allocs 7 (new)                   allocs 17
 * </pre>
 */
class TopBatchTest {
    @TempDir
    Path tmp;

    private final CliRun cli = new CliRun();
    private Path snap;
    private final Deque<byte[]> next = new ArrayDeque<>();

    private static byte[] v1() {
        TestStreams.Uma u = new TestStreams.Uma(2);
        u.zone("beta").size(1000).allocs(50);
        u.zone("alpha").size(100).allocs(1000).frees(200);
        return u.bytes(ByteOrder.LITTLE_ENDIAN);
    }

    private static byte[] v2() {
        TestStreams.Uma u = new TestStreams.Uma(2);
        u.zone("gamma").size(10).allocs(7);
        u.zone("beta").size(1000).allocs(50);
        u.zone("alpha").size(100).allocs(1400).frees(500).fails(10).sleeps(4);
        return u.bytes(ByteOrder.LITTLE_ENDIAN);
    }

    private static byte[] v3() {
        TestStreams.Uma u = new TestStreams.Uma(2);
        u.zone("gamma").size(10).allocs(17);
        u.zone("beta").size(1000).allocs(150);
        u.zone("alpha").size(100).allocs(1600).frees(500).fails(10).sleeps(4);
        return u.bytes(ByteOrder.LITTLE_ENDIAN);
    }

    @BeforeEach
    void snapshots() throws IOException {
        snap = CliRun.snapshot(tmp.resolve("live"), Map.of("vm.zone_stats", v1()));
        next.add(v2());
        next.add(v3());
        cli.onSleep = () -> {
            try {
                Files.write(snap.resolve("vm.zone_stats"), next.removeFirst());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }

    private List<String> lines(String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "--source";
        all[1] = "dir:" + snap;
        all[2] = "top";
        System.arraycopy(args, 0, all, 3, args.length);
        CliRun.Result r = cli.run(all);
        assertThat(r.err()).isEmpty();
        assertThat(r.code()).isZero();
        return r.out().lines().toList();
    }

    @Test
    void onceShowsRatesOverOneIntervalSortedByBytes() {
        assertThat(lines("--once", "-d", "2")).containsExactly(
                "memstat top - mode rate - sort bytes - every 2s - 2026-01-02 03:04:07Z - dir:" + snap,
                "zones 3/3  used 137KB  free 0B  requests 200.0/s  failures 5.0/s",
                "",
                "NAME   SIZE  LIMIT  USED  FREE  REQ/s  FAIL/s  SLEEP/s  BYTES",
                "alpha   100      0   900     0  200.0     5.0      2.0  90000",
                "beta   1000      0    50     0    0.0     0.0      0.0  50000",
                "gamma    10      0     7     0    0.0     0.0      0.0     70");
    }

    @Test
    void iterationsPrintOneFramePerIntervalSeparatedByABlankLine() {
        List<String> out = lines("-n", "2", "-d", "2");

        assertThat(out).hasSize(15);
        assertThat(out.get(7)).isEmpty();
        assertThat(out.subList(8, 15)).containsExactly(
                "memstat top - mode rate - sort bytes - every 2s - 2026-01-02 03:04:09Z - dir:" + snap,
                "zones 3/3  used 254KB  free 0B  requests 155.0/s  failures 0.0/s",
                "",
                "NAME   SIZE  LIMIT  USED  FREE  REQ/s  FAIL/s  SLEEP/s   BYTES",
                "beta   1000      0   150     0   50.0     0.0      0.0  150000",
                "alpha   100      0  1100     0  100.0     0.0      0.0  110000",
                "gamma    10      0    17     0    5.0     0.0      0.0     170");
    }

    @Test
    void deltaAndSinceStartModesShowWholeCounts() throws IOException {
        assertThat(lines("--once", "-d", "2", "--mode", "delta", "--sort", "name")).contains(
                "NAME   SIZE  LIMIT  USED  FREE  REQ  FAIL  SLEEP  BYTES",
                "alpha   100      0   900     0  400    10      4  90000");
        Files.write(snap.resolve("vm.zone_stats"), v1());
        next.clear();
        next.add(v2());
        next.add(v3());
        assertThat(lines("-n", "2", "-d", "2", "--mode", "since-start", "--sort", "name")).contains(
                "alpha   100      0  1100     0  600    10      4  110000");
    }

    @Test
    void absoluteModeShowsLifetimeTotals() {
        assertThat(lines("--once", "-d", "2", "--mode", "absolute", "--sort", "req")).contains(
                "alpha   100      0   900     0  1400    10      4  90000",
                "beta   1000      0    50     0    50     0      0  50000");
    }

    @Test
    void filterKeepsMatchingZonesAndTotalsCountOnlyThem() {
        List<String> out = lines("--once", "-d", "2", "--filter", "^(alpha|gamma)$");

        assertThat(out.get(0)).startsWith("memstat top - mode rate - sort bytes - filter /^(alpha|gamma)$/ - ");
        assertThat(out.get(1)).startsWith("zones 2/3 ");
        assertThat(out).hasSize(6);
    }

    @Test
    void fullScreenWithoutATerminalIsAUsageError() {
        CliRun.Result r = cli.run("--source", "dir:" + snap, "top");

        assertThat(r.code()).isEqualTo(ExitCode.USAGE);
        assertThat(r.err()).startsWith("top: not a terminal; use --once or -n N");
    }

    @Test
    void badFilterRegexIsAUsageError() {
        CliRun.Result r = cli.run("--source", "dir:" + snap, "top", "--once", "--filter", "(");

        assertThat(r.code()).isEqualTo(ExitCode.USAGE);
        assertThat(r.err()).startsWith("--filter: Unclosed group");
    }
}
