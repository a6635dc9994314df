package org.memstat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteOrder;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.memstat.uma.sysctl.RegistryServer;
import org.memstat.uma.sysctl.Sysctl;

/** Every failure: its exit code, and exactly one line on stderr starting with "memstat: ", no stack trace. */
class ErrorPathTest {
    @TempDir
    Path tmp;

    private final CliRun cli = new CliRun();

    private static void assertOneLine(CliRun.Result r, int code, String line) {
        assertThat(r.code()).isEqualTo(code);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).doesNotContain("\tat ").doesNotContain("Exception");
        assertThat(r.err().lines()).hasSize(1);
        assertThat(r.err().strip()).matches(line);
    }

    private Path zonesOnly(byte[] stream) throws IOException {
        return CliRun.snapshot(tmp.resolve("s"), Map.of("vm.zone_stats", stream));
    }

    @Test
    void unknownOptionIsPicocliUsageErrorTwo() {
        CliRun.Result r = cli.run("--source", "demo", "vmstat", "-q");

        assertThat(r.code()).isEqualTo(ExitCode.USAGE);
        assertThat(r.err()).startsWith("Unknown option: '-q'").contains("Usage: memstat vmstat");
        assertThat(r.err()).doesNotContain("\tat ");
    }

    @Test
    void vmstatWithoutAReportIsAUsageError() {
        CliRun.Result r = cli.run("vmstat");

        assertThat(r.code()).isEqualTo(ExitCode.USAGE);
        assertThat(r.err()).startsWith("vmstat: give -z, -m or both");
    }

    @Test
    void unsupportedLibxoStyleIsAUsageError() {
        CliRun.Result r = cli.run("--libxo", "xml", "vmstat", "-z");

        assertThat(r.code()).isEqualTo(ExitCode.USAGE);
        assertThat(r.err()).startsWith("--libxo: unsupported style or option 'xml'");
    }

    @Test
    void missingSubcommandIsAUsageError() {
        assertThat(cli.run().code()).isEqualTo(ExitCode.USAGE);
    }

    @Test
    void unknownSourceSchemeIsAUsageError() {
        assertOneLine(cli.run("--source", "nope:x", "vmstat", "-z"), ExitCode.USAGE,
                "memstat: unknown source scheme 'nope' in 'nope:x'; expected dir:PATH, unix:PATH, "
                        + "http://HOST:PORT or demo");
    }

    @Test
    void noSourceAndNoDaemonSaysHowToChooseOne() {
        assertOneLine(cli.run("vmstat", "-z"), ExitCode.IO, "memstat: no source: use --source "
                + "dir:PATH\\|unix:PATH\\|http://HOST:PORT\\|demo, set MEMSTAT_SOURCE, or start memstatd");
    }

    @Test
    void environmentVariableChoosesTheSource() throws IOException {
        Path snap = Fixtures.vmstatSnapshot(tmp.resolve("env"), ByteOrder.LITTLE_ENDIAN);
        cli.env.put("MEMSTAT_SOURCE", "dir:" + snap);

        CliRun.Result r = cli.run("vmstat", "-z");

        assertThat(r.code()).isZero();
        assertThat(r.out()).isEqualTo(CliRun.golden("vmstat-z.txt"));
    }

    @Test
    void wrongVersionWordIsExitThree() throws IOException {
        byte[] s = Fixtures.zones(ByteOrder.LITTLE_ENDIAN);
        s[0] = 2;
        // The scalars are saved too: from a stream with a bad header they could not be derived.
        Path snap = CliRun.snapshot(tmp.resolve("v"), Map.of("vm.zone_stats", s, "kern.smp.maxid", "63\n"
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII), "vm.zone_count", "9\n"
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII)));

        assertOneLine(cli.run("--source", "dir:" + snap, "vmstat", "-z"), ExitCode.VERSION,
                "memstat: dir:" + snap + ": vm.zone_stats: Version mismatch: .+");
    }

    @Test
    void truncatedStreamIsExitFourNamingSourceOidAndError() throws IOException {
        byte[] s = Fixtures.zones(ByteOrder.LITTLE_ENDIAN);
        Path snap = zonesOnly(Arrays.copyOf(s, s.length - 10));

        assertOneLine(cli.run("--source", "dir:" + snap, "vmstat", "-z"), ExitCode.DATAERROR,
                "memstat: dir:" + snap + ": vm.zone_stats: Data format error: .+");
    }

    @Test
    void corruptMallocStreamIsExitFour() throws IOException {
        byte[] m = Fixtures.mallocTypes(ByteOrder.LITTLE_ENDIAN);
        m[8] = 7;
        Path snap = CliRun.snapshot(tmp.resolve("m"), Map.of("kern.malloc_stats", m));

        assertOneLine(cli.run("--source", "dir:" + snap, "vmstat", "-m"), ExitCode.DATAERROR,
                "memstat: dir:" + snap + ": kern.malloc_stats: Data format error: .+");
    }

    @Test
    void sfstatOfTheWrongSizeIsExitFourAndPrintsNothing() throws IOException {
        Map<String, byte[]> files = Fixtures.mbufSnapshot(true);
        files.put("kern.ipc.sfstat", new byte[80]);
        Path snap = CliRun.snapshot(tmp.resolve("m"), files);

        assertOneLine(cli.run("--source", "dir:" + snap, "netstat", "-m"), ExitCode.DATAERROR,
                "memstat: dir:" + snap + ": kern.ipc.sfstat: Data format error: value is 80 bytes, struct "
                        + "sfstat is 88");
    }

    @Test
    void snapshotDirectoryThatDoesNotExistIsExitFive() {
        Path missing = tmp.resolve("missing");

        assertOneLine(cli.run("--source", "dir:" + missing, "vmstat", "-z"), ExitCode.IO,
                "memstat: dir:" + missing + ": " + missing + " does not exist");
    }

    @Test
    void snapshotWithoutTheZoneStreamIsExitFive() throws IOException {
        Path snap = CliRun.snapshot(tmp.resolve("m"), Map.of("kern.malloc_stats",
                Fixtures.mallocTypes(ByteOrder.LITTLE_ENDIAN)));

        assertOneLine(cli.run("--source", "dir:" + snap, "vmstat", "-z"), ExitCode.IO,
                "memstat: dir:" + snap + ": kern.smp.maxid: .*ENOENT.*vm.zone_stats.*");
    }

    @Test
    void unreachableDaemonIsExitFive() {
        var closed = CliRun.closedPort();

        assertOneLine(cli.run("--source", "http://127.0.0.1:" + closed.getPort(), "vmstat", "-z"), ExitCode.IO,
                "memstat: http://127.0.0.1:" + closed.getPort() + ": kern.smp.maxid: .*EIO.*");
    }

    @Test
    void registryThatNeverAnswersTimesOutWithExitFive() throws Exception {
        Path sock = tmp.resolve("silent.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(sock));
            Thread holder = Thread.ofVirtual().start(() -> {
                try (SocketChannel held = server.accept()) {
                    // Accept, read nothing, answer nothing: the client must give up on its own deadline.
                    held.configureBlocking(true);
                    Thread.sleep(30_000);
                } catch (IOException | InterruptedException e) {
                    // The test is over.
                }
            });
            try {
                long start = System.nanoTime();
                assertOneLine(cli.run("--source", "unix:" + sock, "vmstat", "-z"), ExitCode.IO,
                        "memstat: unix:" + sock + ": kern.smp.maxid: .*ETIMEDOUT.*");
                assertThat((System.nanoTime() - start) / 1e9).isLessThan(15);
            } finally {
                holder.interrupt();
            }
        }
    }

    @Test
    void registryThatRefusesThePeerIsExitSix() throws IOException {
        Path sock = tmp.resolve("r.sock");
        try (RegistryServer server = RegistryServer.builder(new Sysctl(), sock).peerPolicy(p -> false).start()) {
            assertOneLine(cli.run("--source", "unix:" + server.socketPath(), "vmstat", "-z"), ExitCode.PERMISSION,
                    "memstat: unix:" + sock + ": kern.smp.maxid: Permission denied: EACCES.*");
        }
    }

    @Test
    void writeToASourceWithoutWritesIsExitSix() throws IOException {
        Path snap = Fixtures.vmstatSnapshot(tmp.resolve("s"), ByteOrder.LITTLE_ENDIAN);

        assertOneLine(cli.run("--source", "dir:" + snap, "sysctl", "kern.smp.maxid=3"), ExitCode.PERMISSION,
                "memstat: dir:" + snap + ": this source does not take writes");
    }

    @Test
    void missingMbufZoneIsReportedAsNetstatDoesWithExitSeven() throws IOException {
        Map<String, byte[]> files = Fixtures.mbufSnapshot(false);
        TestStreams.Uma u = new TestStreams.Uma(1);
        u.zone("mbuf").size(256);
        u.zone("mbuf_packet").secondary().size(256);
        u.zone("mbuf_cluster").size(2048);
        files.put("vm.zone_stats", u.bytes(ByteOrder.LITTLE_ENDIAN));
        Path snap = CliRun.snapshot(tmp.resolve("m"), files);

        assertOneLine(cli.run("--source", "dir:" + snap, "netstat", "-m"), ExitCode.MISSING_TYPE,
                "memstat: memstat_mtl_find: zone mbuf_jumbo_page not found");
    }

    @Test
    void missingMbufTagTypeIsReportedAsNetstatDoesWithExitSeven() throws IOException {
        Map<String, byte[]> files = Fixtures.mbufSnapshot(false);
        files.remove("kern.malloc_stats");
        Path snap = CliRun.snapshot(tmp.resolve("m"), files);

        assertOneLine(cli.run("--source", "dir:" + snap, "netstat", "-m"), ExitCode.MISSING_TYPE,
                "memstat: memstat_mtl_find: malloc type mbuf_tag not found");
    }

    @Test
    void unexpectedExceptionIsAnInternalErrorWithoutStackTrace() {
        java.io.StringWriter err = new java.io.StringWriter();
        Cli c = new Cli(new java.io.PrintWriter(new java.io.StringWriter()), java.io.OutputStream.nullOutputStream(),
                new java.io.PrintWriter(err), Map.of(), System::nanoTime, java.time.Instant::now, d -> { },
                CliRun.closedPort(), java.time.Duration.ofMillis(1), false);

        int code = Errors.report(c, new IllegalStateException("boom\nsecond line"));

        assertThat(code).isEqualTo(ExitCode.SOFTWARE);
        assertThat(err.toString()).isEqualTo("memstat: internal error: java.lang.IllegalStateException: boom "
                + "second line\n");
    }

    @Test
    void sysctlOfAnUnknownOidIsExitFiveAndOtherNamesStillPrint() throws IOException {
        Path snap = Fixtures.vmstatSnapshot(tmp.resolve("s"), ByteOrder.LITTLE_ENDIAN);
        Files.write(snap.resolve("kern.smp.maxcpus"), TestStreams.ints(ByteOrder.LITTLE_ENDIAN, 64));

        CliRun.Result r = cli.run("--source", "dir:" + snap, "sysctl", "no.such", "kern.smp.maxcpus");

        assertThat(r.code()).isEqualTo(ExitCode.IO);
        assertThat(r.err()).isEqualTo("memstat: dir:" + snap + ": unknown oid 'no.such'\n");
        assertThat(r.out()).isEqualTo("kern.smp.maxcpus: 64\n");
    }
}
