package org.memstat.uma.sysctl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import jdk.net.UnixDomainPrincipal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class RegistryServerTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private final Sysctl sysctl = new Sysctl();
    private final AtomicInteger limit = new AtomicInteger(10);
    private final FakeProducers.Zones zones = new FakeProducers.Zones(4, ZoneStatsStreamTest.mixedZones(4));
    private RegistryServer server;

    RegistryServerTest() {
        StandardOids.registerSmp(sysctl, 4);
        StandardOids.registerZoneStats(sysctl, zones);
        sysctl.addInt("kern.ipc.limit", OidType.INT, "IU", "Raise only", limit::get,
                v -> v < limit.get() ? Errno.EINVAL : set(v));
        sysctl.addOpaque("debug.broken", "", "Always fails", sink -> {
            throw new IllegalStateException("secret internal detail");
        }, null);
    }

    private int set(int v) {
        limit.set(v);
        return Errno.OK;
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private Path sock() {
        return dir.resolve("registry.sock");
    }

    private RegistryServer start(RegistryServer.Builder b) throws IOException {
        server = b.start();
        return server;
    }

    private RegistryServer start() throws IOException {
        return start(RegistryServer.builder(sysctl, sock()));
    }

    private static byte[] native4(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(v).array();
    }

    private static int nativeInt(byte[] b) {
        return ByteBuffer.wrap(b).order(ByteOrder.nativeOrder()).getInt();
    }

    /** Bounded wait for a condition the server reaches asynchronously (a connection being reaped). */
    private static void eventually(BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as("condition not reached within %s", WAIT).isNegative();
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    @Test
    void servesAPeerWithTheServersUid() throws IOException {
        start();
        try (TestRegistryClient c = TestRegistryClient.connect(sock())) {
            TestRegistryClient.Response r = c.read("kern.smp.maxcpus", 4);
            assertThat(r.errno()).isZero();
            assertThat(r.version()).isEqualTo(1);
            assertThat(r.size()).isEqualTo(4);
            assertThat(nativeInt(r.value())).isEqualTo(4);

            TestRegistryClient.Response stream = c.read("vm.zone_stats", 1 << 20);
            assertThat(stream.value()).isEqualTo(
                    GoldenStreams.zoneStream(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN, 4, zones.zones()));
        }
    }

    @Test
    void answersPipelinedRequestsInOrder() throws IOException {
        start();
        try (TestRegistryClient c = TestRegistryClient.connect(sock())) {
            c.send(TestRegistryClient.concat(
                    TestRegistryClient.frame(1, TestRegistryClient.SIZE, 0, 7, TestRegistryClient.name("vm.zone_stats")),
                    TestRegistryClient.frame(1, TestRegistryClient.READ, 0, 8, TestRegistryClient.concat(
                            TestRegistryClient.u32(4), TestRegistryClient.name("kern.smp.maxid"))),
                    TestRegistryClient.frame(1, TestRegistryClient.INFO, 0, 9, new byte[0])));
            TestRegistryClient.Response size = c.receive();
            TestRegistryClient.Response read = c.receive();
            TestRegistryClient.Response info = c.receive();
            assertThat(List.of(size.id(), read.id(), info.id())).containsExactly(7, 8, 9);
            assertThat(size.size()).isEqualTo((int) ZoneStatsStream.size(4, 4));
            assertThat(nativeInt(read.value())).isEqualTo(3);
            ByteBuffer i = info.bodyBuffer();
            assertThat(i.get()).isEqualTo((byte) (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? 0 : 1));
            assertThat(i.get()).isZero();
            assertThat(i.getShort()).isEqualTo((short) 1024);
            assertThat(i.getInt()).isEqualTo(65536);
        }
    }

    @Test
    void tooSmallBufferIsEnomemWithTheSizeNeededAndNoValue() throws IOException {
        start();
        try (TestRegistryClient c = TestRegistryClient.connect(sock())) {
            int needed = (int) ZoneStatsStream.size(4, 4);
            TestRegistryClient.Response r = c.read("vm.zone_stats", needed - 1);
            assertThat(r.errno()).isEqualTo(Errno.ENOMEM);
            assertThat(r.body()).hasSize(4);
            assertThat(r.size()).isEqualTo(needed);
            assertThat(c.read("vm.zone_stats", needed).value()).hasSize(needed);
            assertThat(c.read("vm.zone_stats", 0xffffffffL).value()).hasSize(needed);
        }
    }

    @Test
    void carriesEveryLookupErrno() throws IOException {
        start();
        try (TestRegistryClient c = TestRegistryClient.connect(sock())) {
            assertThat(c.read("vm.nope", 64).errno()).isEqualTo(Errno.ENOENT);
            assertThat(c.read("kern.smp.maxid.x", 64).errno()).isEqualTo(Errno.ENOTDIR);
            assertThat(c.read("kern.smp", 64).errno()).isEqualTo(Errno.EISDIR);
            assertThat(c.size("a..b").errno()).isEqualTo(Errno.ENOENT);
            assertThat(c.read("x".repeat(1025), 64)).extracting(r -> r.errno(), r -> r.size())
                    .containsExactly(Errno.ENAMETOOLONG, 0);
            assertThat(c.describe("vm.nope")).extracting(r -> r.errno(), r -> r.body().length)
                    .containsExactly(Errno.ENOENT, 0);
            assertThat(c.list("kern.smp.maxid", false).errno()).isEqualTo(Errno.ENOTDIR);
            assertThat(c.call(99, 0, new byte[] {1, 2, 3}).errno()).isEqualTo(Errno.EOPNOTSUPP);
            TestRegistryClient.Response failed = c.read("debug.broken", 64);
            assertThat(failed.errno()).isEqualTo(Errno.EIO);
            assertThat(failed.body()).containsExactly(0, 0, 0, 0);
            // The connection survived every error above.
            assertThat(c.size("kern.smp.maxid").size()).isEqualTo(4);
        }
    }

    @Test
    void listsAndDescribesWithTypeFormatDescriptionAndWritability() throws IOException {
        start();
        try (TestRegistryClient c = TestRegistryClient.connect(sock())) {
            assertThat(c.list("kern.smp", false).entries()).containsExactly(
                    new OidInfo("kern.smp.maxcpus", OidType.INT, "I", "Maximum number of CPUs", false),
                    new OidInfo("kern.smp.maxid", OidType.INT, "I", "Max CPU ID", false));
            List<OidInfo> all = c.list("", true).entries();
            assertThat(all).extracting(OidInfo::name).containsExactly("debug", "debug.broken", "kern", "kern.ipc",
                    "kern.ipc.limit", "kern.smp", "kern.smp.maxcpus", "kern.smp.maxid", "vm", "vm.uma_count",
                    "vm.zone_count", "vm.zone_stats");
            assertThat(c.describe("kern.ipc.limit").entries()).containsExactly(
                    new OidInfo("kern.ipc.limit", OidType.INT, "IU", "Raise only", true));
        }
    }

    @Test
    void refusesWritesUnlessEnabled() throws IOException {
        start();
        try (TestRegistryClient c = TestRegistryClient.connect(sock())) {
            assertThat(c.write("kern.ipc.limit", native4(50))).extracting(r -> r.errno(), r -> r.size())
                    .containsExactly(Errno.EPERM, 0);
            assertThat(limit.get()).isEqualTo(10);
        }
    }

    @Test
    void writesValidateWhenEnabled() throws IOException {
        start(RegistryServer.builder(sysctl, sock()).allowWrites(true));
        try (TestRegistryClient c = TestRegistryClient.connect(sock())) {
            assertThat(c.info().body()[1]).isEqualTo((byte) 1);
            assertThat(c.write("kern.ipc.limit", native4(5)).errno()).isEqualTo(Errno.EINVAL);
            assertThat(c.write("kern.ipc.limit", new byte[3]).errno()).isEqualTo(Errno.EINVAL);
            assertThat(c.write("kern.smp.maxcpus", native4(8)).errno()).isEqualTo(Errno.EPERM);
            assertThat(limit.get()).isEqualTo(10);
            assertThat(c.write("kern.ipc.limit", native4(50))).extracting(r -> r.errno(), r -> r.size())
                    .containsExactly(0, 4);
            assertThat(limit.get()).isEqualTo(50);
            assertThat(nativeInt(c.read("kern.ipc.limit", 4).value())).isEqualTo(50);
        }
    }

    static Stream<byte[]> malformedFrames() {
        byte[] name = TestRegistryClient.name("kern.smp.maxid");
        return Stream.of(
                TestRegistryClient.frame(1, TestRegistryClient.READ, 0, 1, new byte[] {0, 0}),
                TestRegistryClient.frame(1, TestRegistryClient.SIZE, 0, 1, TestRegistryClient.concat(name, new byte[1])),
                TestRegistryClient.frame(1, TestRegistryClient.SIZE, 0, 1, new byte[] {0, 20, 'k'}),
                TestRegistryClient.frame(1, TestRegistryClient.SIZE, 0x8000, 1, name),
                TestRegistryClient.frame(1, TestRegistryClient.WRITE, 0, 1,
                        TestRegistryClient.concat(name, TestRegistryClient.u32(9), new byte[4])),
                ByteBuffer.allocate(8).putInt(4).putInt(0x01020000).array());
    }

    @Test
    void malformedFrameClosesOnlyThatConnection() throws IOException {
        start();
        try (TestRegistryClient good = TestRegistryClient.connect(sock())) {
            for (byte[] bad : malformedFrames().toList()) {
                try (TestRegistryClient c = TestRegistryClient.connect(sock())) {
                    c.send(bad);
                    assertThat(c.closedByServer(WAIT)).as("closed after malformed frame").isTrue();
                }
                assertThat(good.size("kern.smp.maxid").errno()).isZero();
            }
        }
    }

    @Test
    void oversizedFrameIsRefusedWithoutReadingIt() throws IOException {
        start();
        try (TestRegistryClient c = TestRegistryClient.connect(sock());
             TestRegistryClient other = TestRegistryClient.connect(sock())) {
            c.send(ByteBuffer.allocate(12).putInt(65533).putInt(0x01020000).putInt(1).array());
            assertThat(c.closedByServer(WAIT)).isTrue();
            assertThat(other.size("kern.smp.maxid").size()).isEqualTo(4);
        }
    }

    @Test
    void frameOfExactlyTheMaximumSizeIsServed() throws IOException {
        start();
        try (TestRegistryClient c = TestRegistryClient.connect(sock())) {
            int valueLength = 65532 - 8 - (2 + "kern.ipc.limit".length()) - 4;
            byte[] frame = TestRegistryClient.frame(1, TestRegistryClient.WRITE, 0, 1, TestRegistryClient.concat(
                    TestRegistryClient.name("kern.ipc.limit"), TestRegistryClient.u32(valueLength),
                    new byte[valueLength]));
            assertThat(frame).hasSize(64 * 1024);
            c.send(frame);
            assertThat(c.receive().errno()).isEqualTo(Errno.EPERM);
            assertThat(c.size("kern.smp.maxid").size()).isEqualTo(4);
        }
    }

    @Test
    void unsupportedVersionIsAnsweredThenClosed() throws IOException {
        start();
        try (TestRegistryClient c = TestRegistryClient.connect(sock())) {
            c.send(TestRegistryClient.frame(2, TestRegistryClient.INFO, 0, 5, new byte[0]));
            TestRegistryClient.Response r = c.receive();
            assertThat(r).extracting(x -> x.version(), x -> x.id(), x -> x.errno(), x -> x.body().length)
                    .containsExactly(1, 5, Errno.EPROTONOSUPPORT, 0);
            assertThat(c.closedByServer(WAIT)).isTrue();
        }
    }

    @Test
    void idleClientDoesNotBlockOthersAndIsDroppedAfterTheTimeout() throws IOException {
        start(RegistryServer.builder(sysctl, sock()).idleTimeout(Duration.ofMillis(300)));
        try (TestRegistryClient stuck = TestRegistryClient.connect(sock());
             TestRegistryClient silent = TestRegistryClient.connect(sock())) {
            stuck.send(Arrays.copyOf(TestRegistryClient.frame(1, TestRegistryClient.SIZE, 0, 1,
                    TestRegistryClient.name("kern.smp.maxid")), 9));
            try (TestRegistryClient c = TestRegistryClient.connect(sock())) {
                for (int i = 0; i < 20; i++) {
                    assertThat(c.size("vm.zone_stats").errno()).isZero();
                }
            }
            assertThat(stuck.closedByServer(WAIT)).as("half a frame, then nothing").isTrue();
            assertThat(silent.closedByServer(WAIT)).as("connected, never sent").isTrue();
        }
        eventually(() -> server.connectionCount() == 0);
    }

    @Test
    void boundsTheNumberOfConnections() throws IOException {
        start(RegistryServer.builder(sysctl, sock()).maxConnections(2));
        TestRegistryClient a = TestRegistryClient.connect(sock());
        try (TestRegistryClient b = TestRegistryClient.connect(sock())) {
            assertThat(a.size("kern.smp.maxid").errno()).isZero();
            assertThat(b.size("kern.smp.maxid").errno()).isZero();
            try (TestRegistryClient c = TestRegistryClient.connect(sock())) {
                assertThat(c.closedByServer(WAIT)).as("third connection").isTrue();
            }
            a.close();
            eventually(() -> server.connectionCount() == 1);
            try (TestRegistryClient d = TestRegistryClient.connect(sock())) {
                assertThat(d.size("kern.smp.maxid").errno()).isZero();
            }
            assertThat(b.size("kern.smp.maxid").errno()).isZero();
        } finally {
            a.close();
        }
    }

    @Test
    void refusedPeerGetsEaccesAndIsClosed() throws IOException {
        AtomicReference<UnixDomainPrincipal> seen = new AtomicReference<>();
        start(RegistryServer.builder(sysctl, sock()).peerPolicy(p -> {
            seen.set(p);
            return false;
        }));
        try (TestRegistryClient c = TestRegistryClient.connect(sock())) {
            TestRegistryClient.Response r = c.read("kern.smp.maxcpus", 4);
            assertThat(r.errno()).isEqualTo(Errno.EACCES);
            assertThat(r.body()).isEmpty();
            assertThat(c.closedByServer(WAIT)).isTrue();
        }
        assertThat(seen.get().user()).isEqualTo(Files.getOwner(dir));
    }

    @Test
    void peerPolicySeesTheRealCredentials() throws IOException {
        var me = Files.getOwner(dir);
        start(RegistryServer.builder(sysctl, sock()).peerPolicy(p -> p.user().equals(me)));
        try (TestRegistryClient c = TestRegistryClient.connect(sock())) {
            assertThat(c.size("kern.smp.maxid").errno()).isZero();
        }
    }

    @Test
    void socketFileIsPrivateAndRemovedOnClose() throws IOException {
        start();
        assertThat(Files.getPosixFilePermissions(sock(), LinkOption.NOFOLLOW_LINKS))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        int mode = (Integer) Files.getAttribute(sock(), "unix:mode", LinkOption.NOFOLLOW_LINKS);
        assertThat(mode & 0170000).as("a socket").isEqualTo(0140000);
        try (Stream<Path> entries = Files.list(dir)) {
            assertThat(entries.toList()).as("no temporary directory left").containsExactly(sock());
        }
        server.close();
        assertThat(sock()).doesNotExist();
        assertThatThrownBy(() -> TestRegistryClient.connect(sock())).isInstanceOf(IOException.class);
        server.close();
    }

    @Test
    void allowedGroupGetsAGroupAccessibleSocket() throws IOException {
        GroupPrincipal group = Files.readAttributes(dir, PosixFileAttributes.class).group();
        start(RegistryServer.builder(sysctl, sock()).allowGroup(group));
        assertThat(Files.getPosixFilePermissions(sock(), LinkOption.NOFOLLOW_LINKS))
                .isEqualTo(PosixFilePermissions.fromString("rw-rw----"));
        assertThat(Files.readAttributes(sock(), PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS).group())
                .isEqualTo(group);
        try (TestRegistryClient c = TestRegistryClient.connect(sock())) {
            assertThat(c.size("kern.smp.maxid").errno()).isZero();
        }
    }

    @Test
    void replacesAStaleSocketFile() throws IOException {
        try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            dead.bind(UnixDomainSocketAddress.of(sock()));
        }
        assertThat(sock()).exists();
        start();
        try (TestRegistryClient c = TestRegistryClient.connect(sock())) {
            assertThat(c.size("kern.smp.maxid").errno()).isZero();
        }
    }

    @Test
    void refusesToStartOverALiveServerOrANonSocket() throws IOException {
        start();
        assertThatThrownBy(() -> RegistryServer.builder(sysctl, sock()).start())
                .isInstanceOf(FileAlreadyExistsException.class).hasMessageContaining("listening");
        try (TestRegistryClient c = TestRegistryClient.connect(sock())) {
            assertThat(c.size("kern.smp.maxid").errno()).isZero();
        }
        Path file = dir.resolve("not-a-socket");
        Files.writeString(file, "keep me");
        assertThatThrownBy(() -> RegistryServer.builder(sysctl, file).start())
                .isInstanceOf(FileAlreadyExistsException.class).hasMessageContaining("not a socket");
        assertThat(Files.readString(file)).isEqualTo("keep me");
    }

    @Test
    void tooLongSocketPathFailsClearlyAndLeavesNothingBehind() throws IOException {
        Path deep = Files.createDirectories(dir.resolve("d".repeat(Math.max(1, 90 - dir.toString().length()))));
        assertThatThrownBy(() -> RegistryServer.builder(sysctl, deep.resolve("x".repeat(60))).start())
                .isInstanceOf(IOException.class).hasMessageContaining("Unix sockets allow 107");
        // Fits itself, but the temporary name next to it does not.
        int room = 107 - deep.toString().length() - 1;
        assertThatThrownBy(() -> RegistryServer.builder(sysctl, deep.resolve("y".repeat(room))).start())
                .isInstanceOf(IOException.class).hasMessageContaining("temporary binding name");
        try (Stream<Path> entries = Files.list(deep)) {
            assertThat(entries.toList()).isEmpty();
        }
    }

    @Test
    void closeDoesNotRemoveASocketFileThatIsNoLongerOurs() throws IOException {
        start();
        Files.delete(sock());
        try (ServerSocketChannel other = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            other.bind(UnixDomainSocketAddress.of(sock()));
            server.close();
            assertThat(sock()).exists();
            try (SocketChannel ch = TestRegistryClient.rawChannel(sock())) {
                assertThat(ch.isConnected()).isTrue();
            }
        }
    }
}
