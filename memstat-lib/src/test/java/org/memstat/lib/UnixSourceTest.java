package org.memstat.lib;

import static java.nio.ByteOrder.BIG_ENDIAN;
import static java.nio.ByteOrder.LITTLE_ENDIAN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.memstat.lib.FakeRegistryServer.bytes;
import static org.memstat.lib.FakeRegistryServer.hex;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.memstat.lib.SysctlException.Errno;
import org.memstat.lib.StreamEncoder.Zone;

/** The {@code unix:} source against {@link FakeRegistryServer}, and the frames against the protocol doc. */
class UnixSourceTest {
    @TempDir
    Path dir;
    private FakeRegistryServer server;
    private UnixSource source;

    @BeforeEach
    void start() throws Exception {
        Path socket = dir.resolve("registry.sock");
        server = new FakeRegistryServer(socket);
        source = new UnixSource(socket, Duration.ofSeconds(5));
    }

    @AfterEach
    void stop() throws Exception {
        source.close();
        server.close();
    }

    @Test
    void requestFramesAreTheDocsExamples() {
        assertThat(bytes(RegistryFrames.readRequest(1, 4, RegistryFrames.name("kern.smp.maxcpus"))))
                .isEqualTo(hex("0000001e 01010000 00000001 00000004 0010 6b65726e2e736d702e6d6178637075 73"));
        assertThat(bytes(RegistryFrames.readRequest(2, 16, RegistryFrames.name("vm.zone_stats"))))
                .isEqualTo(hex("0000001b 01010000 00000002 00000010 000d 766d2e7a6f6e655f7374617473"));
        assertThat(bytes(RegistryFrames.infoRequest(7))).isEqualTo(hex("00000008 01060000 00000007"));
    }

    @Test
    void docsResponsesAreUnderstood() throws Exception {
        // READ kern.smp.maxcpus (64, native LE), then the ENOMEM answer for vm.zone_stats (768 needed).
        server.scripted.add(hex("00000014 01010000 00000001 00000000 00000004 40000000"));
        server.scripted.add(hex("00000010 01010000 00000002 0000000c 00000300"));
        server.values.put("vm.zone_stats", new byte[768]);
        assertThat(source.read("kern.smp.maxcpus")).containsExactly(0x40, 0, 0, 0);
        assertThat(source.read("vm.zone_stats")).hasSize(768);
        // The retry offered the needed size plus slack.
        assertThat(ByteBuffer.wrap(server.requests.get(2)).getInt(12)).isEqualTo(768 + 96 + 4096);
    }

    @Test
    void refreshesThroughTheSocketInTheServersByteOrder() throws Exception {
        server.order = 1;
        server.values.putAll(TestSources.kernel(BIG_ENDIAN, GoldenStreams.generate("be-2cpu").get("vm.zone_stats"),
                GoldenStreams.generate("be-2cpu").get("kern.malloc_stats")));
        MemoryTypeList list = new MemoryTypeList();
        list.refreshAll(source);
        list.refreshAll(source);
        assertThat(list.find(Allocator.UMA, "mbuf_packet").orElseThrow().free()).isEqualTo(64 + 32 + 100);
        assertThat(source.readInt("kern.smp.maxid")).isEqualTo(1);
        assertThat(server.connections.get()).as("one reused connection").isEqualTo(1);
    }

    @Test
    void valueLargerThanTheFirstOfferIsFetchedAtTheSizeNeededAndRemembered() throws Exception {
        Zone[] zones = new Zone[200];
        for (int i = 0; i < zones.length; i++) {
            zones[i] = new Zone("z" + i);
        }
        byte[] big = StreamEncoder.uma(LITTLE_ENDIAN, 4, List.of(zones));
        assertThat(big.length).isGreaterThan(64 << 10);
        server.values.put("vm.zone_stats", big);
        assertThat(source.read("vm.zone_stats")).isEqualTo(big);
        assertThat(source.read("vm.zone_stats")).isEqualTo(big);
        assertThat(server.requests).hasSize(3);
    }

    @Test
    void valueThatKeepsGrowingEndsAsNoMemoryAfterEightAttempts() {
        server.values.putAll(TestSources.kernel(LITTLE_ENDIAN,
                StreamEncoder.uma(LITTLE_ENDIAN, 1, List.of(new Zone("a"))), null));
        server.growing.put("vm.zone_stats", true);
        SysctlException e = catchThrowableOfType(SysctlException.class, () -> source.read("vm.zone_stats"));
        assertThat(e.errno()).isEqualTo(Errno.ENOMEM);
        MemstatException m = catchThrowableOfType(MemstatException.class,
                () -> new MemoryTypeList().refreshUma(source));
        assertThat(m.error()).isEqualTo(MemstatError.NOMEMORY);
    }

    @Test
    void refusedPeerIsAPermissionError() {
        server.deny = true;
        SysctlException e = catchThrowableOfType(SysctlException.class, () -> source.read("kern.smp.maxid"));
        assertThat(e.errno()).isEqualTo(Errno.EACCES);
        MemstatException m = catchThrowableOfType(MemstatException.class,
                () -> new MemoryTypeList().refreshUma(source));
        assertThat(m.error()).isEqualTo(MemstatError.PERMISSION);
        assertThat(m.getMessage()).startsWith("Permission denied: EACCES").contains("unix:");
    }

    @Test
    void unknownOidIsMissing() {
        assertThat(catchThrowableOfType(SysctlException.class, () -> source.read("no.such")).errno())
                .isEqualTo(Errno.ENOENT);
    }

    @Test
    void scalarOfAnotherSizeIsInvalid() {
        server.values.put("vm.kmem_size", new byte[8]);
        assertThat(catchThrowableOfType(SysctlException.class, () -> source.readInt("vm.kmem_size")).errno())
                .isEqualTo(Errno.EINVAL);
    }

    @Test
    void serverThatStallsTimesOut() {
        server.stall = true;
        UnixSource impatient = new UnixSource(dir.resolve("registry.sock"), Duration.ofMillis(300));
        try {
            assertThat(catchThrowableOfType(SysctlException.class, () -> impatient.read("vm.zone_stats")).errno())
                    .isEqualTo(Errno.ETIMEDOUT);
        } finally {
            impatient.close();
        }
    }

    @Test
    void answerToAnotherRequestIsMalformedAndTheNextReadReconnects() throws Exception {
        server.values.put("kern.smp.maxid", new byte[] {1, 0, 0, 0});
        server.scripted.add(FakeRegistryServer.frame(1, 99, 0, hex("00000004 01000000")));
        SysctlException e = catchThrowableOfType(SysctlException.class, () -> source.read("kern.smp.maxid"));
        assertThat(e.errno()).isEqualTo(Errno.EIO);
        assertThat(e.getMessage()).contains("malformed response").contains("id 99");
        assertThat(source.read("kern.smp.maxid")).containsExactly(1, 0, 0, 0);
        assertThat(server.connections.get()).isEqualTo(2);
    }

    @Test
    void answerLongerThanTheOfferIsRefusedBeforeItsValueIsRead() throws Exception {
        server.values.put("kern.smp.maxid", new byte[] {1, 0, 0, 0});
        assertThat(source.readInt("kern.smp.maxid")).isEqualTo(1); // requests 1 (INFO) and 2 (READ)
        // Request 3 offers 4 bytes; the answer claims 5.
        server.scripted.add(FakeRegistryServer.frame(1, 3, 0, hex("00000005 0102030405")));
        SysctlException e = catchThrowableOfType(SysctlException.class, () -> source.readInt("kern.smp.maxid"));
        assertThat(e.errno()).isEqualTo(Errno.EIO);
        assertThat(e.getMessage()).contains("response length 21 is out of range for op 1");
        // Request 4 offers 64 KiB; the answer claims a 2 GiB frame and is refused on its length word alone.
        server.scripted.add(hex("7fffffff 01010000 00000004 00000000 7ffffff0"));
        SysctlException big = catchThrowableOfType(SysctlException.class, () -> source.read("kern.smp.maxid"));
        assertThat(big.getMessage()).contains("response length 2147483647 is out of range");
        assertThat(source.read("kern.smp.maxid")).containsExactly(1, 0, 0, 0);
    }

    @Test
    void connectionClosedByTheServerWhileIdleIsReopened() throws Exception {
        server.closeAfterEachAnswer = true;
        server.values.put("a", new byte[] {7});
        assertThat(source.read("a")).containsExactly(7);
        assertThat(source.read("a")).containsExactly(7);
        assertThat(server.connections.get()).isEqualTo(2);
    }

    @Test
    void missingSocketAndOverlongNamesFailBeforeConnecting() {
        UnixSource nowhere = new UnixSource(dir.resolve("none.sock"), Duration.ofSeconds(1));
        assertThat(catchThrowableOfType(SysctlException.class, () -> nowhere.read("a")).errno())
                .isEqualTo(Errno.ENOENT);
        String longName = "x".repeat(1025);
        assertThat(catchThrowableOfType(SysctlException.class, () -> source.read(longName)).errno())
                .isEqualTo(Errno.ENAMETOOLONG);
        assertThat(RegistryFrames.name("é")).isEqualTo("é".getBytes(StandardCharsets.UTF_8));
    }
}
