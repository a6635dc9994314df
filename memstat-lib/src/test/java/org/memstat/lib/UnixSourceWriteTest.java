package org.memstat.lib;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.memstat.lib.SysctlException.Errno;
import org.memstat.uma.sysctl.OidType;
import org.memstat.uma.sysctl.RegistryServer;
import org.memstat.uma.sysctl.Sysctl;

/**
 * The write, describe and list side of the {@code unix:} source against uma-core's real {@link RegistryServer}:
 * the other, independently written end of the protocol.
 */
class UnixSourceWriteTest {
    @TempDir
    Path dir;

    private final AtomicInteger value = new AtomicInteger(100);
    private final AtomicLong big = new AtomicLong(1L << 40);
    private final AtomicReference<String> text = new AtomicReference<>("old");
    private RegistryServer server;
    private WritableSysctlSource source;

    /** {@code test.value} (increase-only int), {@code test.big} (long), {@code test.text}, {@code test.ro}. */
    private Sysctl registry() {
        Sysctl s = new Sysctl();
        s.addInt("test.value", OidType.INT, "I", "an increase-only int", value::get, v -> {
            if (v < value.get()) {
                return org.memstat.uma.sysctl.Errno.EINVAL;
            }
            value.set(v);
            return org.memstat.uma.sysctl.Errno.OK;
        });
        s.addLong("test.big", OidType.LONG, "L", "a long", big::get, v -> {
            big.set(v);
            return org.memstat.uma.sysctl.Errno.OK;
        });
        s.addString("test.text", "a string", text::get, v -> {
            text.set(v);
            return org.memstat.uma.sysctl.Errno.OK;
        });
        s.addInt("test.ro", "a read-only int", () -> 7);
        return s;
    }

    private WritableSysctlSource start(boolean writes) throws IOException {
        server = RegistryServer.builder(registry(), dir.resolve("r.sock")).allowWrites(writes).start();
        SysctlSource s = SysctlSource.parse("unix:" + server.socketPath());
        assertThat(s).isInstanceOf(WritableSysctlSource.class);
        source = (WritableSysctlSource) s;
        return source;
    }

    @AfterEach
    void stop() {
        if (source != null) {
            source.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private static byte[] nativeInt(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(v).array();
    }

    private static Errno errnoOf(ThrowingCall call) {
        return catchThrowableOfType(SysctlException.class, call::run).errno();
    }

    @FunctionalInterface
    private interface ThrowingCall {
        void run() throws Exception;
    }

    @Test
    void writtenValuesAreVisibleOnTheNextRead() throws Exception {
        WritableSysctlSource s = start(true);
        assertThat(s.readInt("test.value")).isEqualTo(100);

        assertThat(s.write("test.value", nativeInt(250))).isEqualTo(4);
        assertThat(s.readInt("test.value")).isEqualTo(250);
        assertThat(value.get()).isEqualTo(250);

        byte[] longValue = ByteBuffer.allocate(8).order(s.order()).putLong(-3).array();
        assertThat(s.write("test.big", longValue)).isEqualTo(8);
        assertThat(s.read("test.big")).isEqualTo(longValue);

        s.write("test.text", "new text".getBytes(StandardCharsets.UTF_8));
        assertThat(text.get()).isEqualTo("new text");
        assertThat(s.read("test.text")).isEqualTo("new text\0".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readOnlyOidIsPermissionDeniedAndSaysSo() throws Exception {
        WritableSysctlSource s = start(true);
        SysctlException e = catchThrowableOfType(SysctlException.class, () -> s.write("test.ro", nativeInt(8)));
        assertThat(e.errno()).isEqualTo(Errno.EPERM);
        assertThat(e.getMessage()).isEqualTo("test.ro: EPERM the OID is not writable on the registry server at "
                + server.socketPath());
        assertThat(s.readInt("test.ro")).isEqualTo(7);
    }

    @Test
    void rejectedValueAndWrongLengthAreInvalidAndChangeNothing() throws Exception {
        WritableSysctlSource s = start(true);
        assertThat(errnoOf(() -> s.write("test.value", nativeInt(5)))).as("decrease").isEqualTo(Errno.EINVAL);
        assertThat(errnoOf(() -> s.write("test.value", new byte[8]))).as("8 bytes to an int")
                .isEqualTo(Errno.EINVAL);
        assertThat(errnoOf(() -> s.write("test.big", new byte[4]))).as("4 bytes to a long")
                .isEqualTo(Errno.EINVAL);
        assertThat(value.get()).isEqualTo(100);
        assertThat(big.get()).isEqualTo(1L << 40);
        // The connection survives refusals.
        assertThat(s.write("test.value", nativeInt(101))).isEqualTo(4);
        assertThat(value.get()).isEqualTo(101);
    }

    @Test
    void serverWithoutWritesRefusesEveryWriteWithPermissionDenied() throws Exception {
        WritableSysctlSource s = start(false);
        SysctlException e = catchThrowableOfType(SysctlException.class,
                () -> s.write("test.value", nativeInt(500)));
        assertThat(e.errno()).isEqualTo(Errno.EPERM);
        assertThat(e.reason()).isEqualTo("EPERM writes are disabled on the registry server at "
                + server.socketPath());
        assertThat(value.get()).isEqualTo(100);
        assertThat(s.readInt("test.value")).isEqualTo(100);
    }

    @Test
    void unknownNodeAndOverlongNamesAreRefusedWithTheirErrno() throws Exception {
        WritableSysctlSource s = start(true);
        assertThat(errnoOf(() -> s.write("test.nothing", nativeInt(1)))).isEqualTo(Errno.ENOENT);
        assertThat(errnoOf(() -> s.write("test", nativeInt(1)))).isEqualTo(Errno.EISDIR);
        assertThat(errnoOf(() -> s.write("x".repeat(1025), nativeInt(1)))).isEqualTo(Errno.ENAMETOOLONG);
        assertThat(errnoOf(() -> s.write("test.text", new byte[64 << 10]))).as("larger than a request frame")
                .isEqualTo(Errno.EINVAL);
        assertThat(text.get()).isEqualTo("old");
    }

    @Test
    void describesAndListsWhatTheRegistryHolds() throws Exception {
        WritableSysctlSource s = start(false);
        SysctlEntry v = s.describe("test.value");
        assertThat(v).isEqualTo(new SysctlEntry("test.value", 2, "I", "an increase-only int", true));
        assertThat(v.numericSize()).isEqualTo(4);
        assertThat(s.describe("test.big").numericSize()).isEqualTo(8);
        assertThat(s.describe("test.text").numericSize()).isZero();
        assertThat(s.describe("test.ro").writable()).isFalse();
        assertThat(s.describe("test").isNode()).isTrue();

        assertThat(s.list("test", false)).extracting(SysctlEntry::name)
                .containsExactly("test.big", "test.ro", "test.text", "test.value");
        assertThat(s.list("", true)).extracting(SysctlEntry::name)
                .containsSubsequence("test", "test.big", "test.ro", "test.text", "test.value");
        assertThat(errnoOf(() -> s.describe("test.none"))).isEqualTo(Errno.ENOENT);
        assertThat(errnoOf(() -> s.list("test.value", true))).isEqualTo(Errno.ENOTDIR);
        assertThat(s.order()).isEqualTo(ByteOrder.nativeOrder());
    }
}
