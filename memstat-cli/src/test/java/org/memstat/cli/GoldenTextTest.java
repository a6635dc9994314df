package org.memstat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * vmstat -z, vmstat -m and netstat -m against golden text worked out by hand from the reference formats
 * ({@code golden/*.notes.md} show the arithmetic), on streams built by the test-side encoder.
 */
class GoldenTextTest {
    @TempDir
    Path tmp;

    private final CliRun cli = new CliRun();

    @Test
    void vmstatZonesMatchFreeBsdByteForByte() throws IOException {
        Path snap = Fixtures.vmstatSnapshot(tmp.resolve("snap"), ByteOrder.LITTLE_ENDIAN);

        CliRun.Result r = cli.run("--source", "dir:" + snap, "vmstat", "-z");

        assertThat(r.err()).isEmpty();
        assertThat(r.code()).isZero();
        assertThat(r.out()).isEqualTo(CliRun.golden("vmstat-z.txt"));
    }

    @Test
    void bigEndianSnapshotPrintsTheSameZones() throws IOException {
        Path snap = Fixtures.vmstatSnapshot(tmp.resolve("be"), ByteOrder.BIG_ENDIAN);

        CliRun.Result r = cli.run("--source", "dir:" + snap, "vmstat", "-z");

        assertThat(r.out()).isEqualTo(CliRun.golden("vmstat-z.txt"));
    }

    @Test
    void vmstatMallocTypesMatchFreeBsdByteForByte() throws IOException {
        Path snap = Fixtures.vmstatSnapshot(tmp.resolve("snap"), ByteOrder.LITTLE_ENDIAN);

        CliRun.Result r = cli.run("--source", "dir:" + snap, "vmstat", "-m");

        assertThat(r.err()).isEmpty();
        assertThat(r.code()).isZero();
        assertThat(r.out()).isEqualTo(CliRun.golden("vmstat-m.txt"));
    }

    @Test
    void vmstatWithBothFlagsPrintsMallocTypesFirst() throws IOException {
        Path snap = Fixtures.vmstatSnapshot(tmp.resolve("snap"), ByteOrder.LITTLE_ENDIAN);

        CliRun.Result r = cli.run("--source", "dir:" + snap, "vmstat", "-z", "-m");

        assertThat(r.out()).isEqualTo(CliRun.golden("vmstat-m.txt") + CliRun.golden("vmstat-z.txt"));
    }

    @Test
    void netstatReproducesTheReferenceWorkedExample() throws IOException {
        Path snap = CliRun.snapshot(tmp.resolve("mbuf"), Fixtures.mbufSnapshot(false));

        CliRun.Result r = cli.run("--source", "dir:" + snap, "netstat", "-m");

        assertThat(r.err()).isEmpty();
        assertThat(r.code()).isZero();
        assertThat(r.out()).isEqualTo(CliRun.golden("netstat-m.txt"));
    }

    @Test
    void netstatAddsSfbufAndSendfileLinesWhenTheSourceHasThem() throws IOException {
        Path snap = CliRun.snapshot(tmp.resolve("mbuf"), Fixtures.mbufSnapshot(true));

        CliRun.Result r = cli.run("--source", "dir:" + snap, "netstat", "-m");

        assertThat(r.err()).isEmpty();
        assertThat(r.out()).isEqualTo(CliRun.golden("netstat-m-full.txt"));
    }

    @Test
    void netstatSkipsTheSfbufLineWhenOneOfItsThreeOidsIsMissing() throws IOException {
        var files = Fixtures.mbufSnapshot(true);
        files.remove("kern.ipc.nsfbufspeak");
        Path snap = CliRun.snapshot(tmp.resolve("mbuf"), files);

        CliRun.Result r = cli.run("--source", "dir:" + snap, "netstat", "-m");

        String expected = CliRun.golden("netstat-m-full.txt").replace(
                "12/40/6656 sfbufs in use (current/peak/max)\n", "");
        assertThat(r.out()).isEqualTo(expected);
    }
}
