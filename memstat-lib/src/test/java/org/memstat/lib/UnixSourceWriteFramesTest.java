package org.memstat.lib;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.memstat.lib.FakeRegistryServer.bytes;
import static org.memstat.lib.FakeRegistryServer.hex;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.memstat.lib.SysctlException.Errno;

/**
 * WRITE, DESCRIBE and LIST frames of the {@code unix:} source against {@code docs/REGISTRY-PROTOCOL.md}'s examples
 * (requests byte for byte, responses parsed), and against {@link FakeRegistryServer}'s misbehaviours: every
 * truncation and byte mutation of a valid answer ends in a {@link SysctlException} or a result, never anything
 * else, and a write is never sent twice.
 */
class UnixSourceWriteFramesTest {
    /** The doc's LIST response for {@code kern.smp} (request id 4). */
    private static final String DOC_LIST = "00000060 01030000 00000004 00000000 00000002"
            + "0010 6b65726e2e736d702e6d6178637075 73 02 00 0001 49 0016 4d6178696d756d206e756d626572206f6620435055 73"
            + "000e 6b65726e2e736d702e6d61786964 02 00 0001 49 000a 4d617820435055204944";
    /** The doc's DESCRIBE response for {@code vm.zone_stats} (request id 6). */
    private static final String DOC_DESCRIBE = "00000043 01050000 00000006 00000000"
            + "000d 766d2e7a6f6e655f7374617473 05 00 0018 732c73747275637420756d615f747970655f686561646572"
            + "000a 5a6f6e65205374617473";
    /** The doc's WRITE responses (request id 5): success (4 bytes consumed), and EPERM. */
    private static final String DOC_WRITE_OK = "00000010 01040000 00000005 00000000 00000004";
    private static final String DOC_WRITE_EPERM = "00000010 01040000 00000005 00000001 00000000";

    @TempDir
    Path dir;
    private Path socket;
    private FakeRegistryServer server;

    @BeforeEach
    void start() throws Exception {
        socket = dir.resolve("registry.sock");
        server = new FakeRegistryServer(socket);
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    /** A doc response re-addressed to request id 1, the first request of a fresh source. */
    private static byte[] asFirstAnswer(String docHex) {
        byte[] f = hex(docHex);
        ByteBuffer.wrap(f).putInt(RegistryFrames.F_ID, 1);
        return f;
    }

    private UnixSource fresh() {
        return new UnixSource(socket, Duration.ofSeconds(5));
    }

    @Test
    void requestFramesAreTheDocsExamples() {
        assertThat(bytes(RegistryFrames.writeRequest(5, RegistryFrames.name("kern.ipc.nmbclusters"),
                new byte[] {0, 0, 1, 0}))).isEqualTo(hex("00000026 01040000 00000005 0014"
                + "6b65726e2e6970632e6e6d62636c757374657273 00000004 00000100"));
        assertThat(bytes(RegistryFrames.describeRequest(6, RegistryFrames.name("vm.zone_stats"))))
                .isEqualTo(hex("00000017 01050000 00000006 000d 766d2e7a6f6e655f7374617473"));
        assertThat(bytes(RegistryFrames.listRequest(4, RegistryFrames.name("kern.smp"), false)))
                .isEqualTo(hex("00000012 01030000 00000004 0008 6b65726e2e736d70"));
        assertThat(bytes(RegistryFrames.listRequest(4, RegistryFrames.name(""), true)))
                .isEqualTo(hex("0000000a 01030001 00000004 0000"));
    }

    @Test
    void docsResponsesAreUnderstood() throws Exception {
        server.scripted.add(asFirstAnswer(DOC_LIST));
        try (UnixSource s = fresh()) {
            assertThat(s.list("kern.smp", false)).containsExactly(
                    new SysctlEntry("kern.smp.maxcpus", 2, "I", "Maximum number of CPUs", false),
                    new SysctlEntry("kern.smp.maxid", 2, "I", "Max CPU ID", false));
        }
        server.scripted.add(asFirstAnswer(DOC_DESCRIBE));
        try (UnixSource s = fresh()) {
            assertThat(s.describe("vm.zone_stats")).isEqualTo(
                    new SysctlEntry("vm.zone_stats", 5, "s,struct uma_type_header", "Zone Stats", false));
        }
        server.scripted.add(asFirstAnswer(DOC_WRITE_OK));
        try (UnixSource s = fresh()) {
            assertThat(s.write("kern.ipc.nmbclusters", new byte[] {0, 0, 1, 0})).isEqualTo(4);
        }
        server.scripted.add(asFirstAnswer(DOC_WRITE_EPERM));
        try (UnixSource s = fresh()) {
            assertThat(catchThrowableOfType(SysctlException.class,
                    () -> s.write("kern.ipc.nmbclusters", new byte[] {0, 0, 1, 0})).errno()).isEqualTo(Errno.EPERM);
        }
    }

    /** Runs {@code op} on a fresh source against {@code answer} (then the server hangs up); the outcome. */
    private Throwable outcome(byte[] answer, SourceCall op) {
        server.scripted.add(answer);
        try (UnixSource s = fresh()) {
            op.run(s);
            return null;
        } catch (Throwable t) {
            return t;
        } finally {
            server.scripted.clear();
        }
    }

    @FunctionalInterface
    private interface SourceCall {
        void run(UnixSource s) throws Exception;
    }

    private static final List<SourceCall> CALLS = List.of(
            s -> s.list("kern.smp", false),
            s -> s.describe("vm.zone_stats"),
            s -> s.write("kern.ipc.nmbclusters", new byte[] {0, 0, 1, 0}),
            s -> s.order());
    private static final List<String> ANSWERS = List.of(DOC_LIST, DOC_DESCRIBE, DOC_WRITE_OK,
            "00000014 01060000 00000007 00000000 00010400 00010000");

    @Test
    void everyTruncatedAnswerIsAnIoError() {
        server.closeAfterEachAnswer = true;
        for (int c = 0; c < CALLS.size(); c++) {
            byte[] full = asFirstAnswer(ANSWERS.get(c));
            assertThat(outcome(full, CALLS.get(c))).as("the whole answer").isNull();
            for (int cut = 0; cut < full.length; cut++) {
                Throwable t = outcome(Arrays.copyOf(full, cut), CALLS.get(c));
                assertThat(t).as("call %d cut at %d", c, cut).isInstanceOf(SysctlException.class);
                assertThat(((SysctlException) t).errno()).as("call %d cut at %d", c, cut).isEqualTo(Errno.EIO);
            }
        }
    }

    @Test
    void everyMutatedAnswerEndsInAResultOrATypedError() {
        server.closeAfterEachAnswer = true;
        List<String> failures = new ArrayList<>();
        for (int c = 0; c < CALLS.size(); c++) {
            byte[] full = asFirstAnswer(ANSWERS.get(c));
            for (int i = 0; i < full.length; i++) {
                for (int flip : new int[] {0x01, 0x80, 0xFF}) {
                    byte[] m = full.clone();
                    m[i] ^= (byte) flip;
                    Throwable t = outcome(m, CALLS.get(c));
                    if (t != null && !(t instanceof SysctlException)) {
                        failures.add("call " + c + " byte " + i + " ^ " + flip + ": " + t);
                    }
                    // A broken header or length can never pass as an answer.
                    if (i < RegistryFrames.F_ERRNO && t == null) {
                        failures.add("call " + c + " byte " + i + " ^ " + flip + " was accepted");
                    }
                }
            }
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void listWhoseCountOrLengthCannotBeTrueIsRefusedBeforeAllocating() {
        byte[] list = asFirstAnswer(DOC_LIST);
        ByteBuffer.wrap(list).putInt(RegistryFrames.F_RESPONSE_BODY, -1); // 4 billion entries in 84 bytes
        SysctlException e = (SysctlException) outcome(list, s -> s.list("kern.smp", false));
        assertThat(e.getMessage()).contains("LIST count 4294967295 does not fit");
        byte[] huge = hex("01000100 01030000 00000001 00000000");
        SysctlException big = (SysctlException) outcome(huge, s -> s.list("kern.smp", false));
        assertThat(big.getMessage()).contains("response length 16777472 is out of range for op 3");
    }

    @Test
    void writeOverAConnectionTheServerDroppedWhileIdleGoesOutOnceOnAFreshOne() throws Exception {
        server.values.put("a", new byte[] {1, 0, 0, 0});
        try (UnixSource s = fresh()) {
            server.closeAfterNextAnswer.set(true);
            assertThat(s.read("a")).containsExactly(1, 0, 0, 0);
            assertThat(s.write("a", new byte[] {2, 0, 0, 0})).isEqualTo(4);
            assertThat(s.read("a")).containsExactly(2, 0, 0, 0);
        }
        assertThat(ops()).containsExactly(1, 6, 4, 1);
        assertThat(server.connections.get()).isEqualTo(2);
    }

    @Test
    void writeWhoseConnectionDiesAfterSendingIsNotResent() throws Exception {
        server.dropWrites = true;
        server.values.put("a", new byte[] {1, 0, 0, 0});
        try (UnixSource s = fresh()) {
            SysctlException first = catchThrowableOfType(SysctlException.class,
                    () -> s.write("a", new byte[] {2, 0, 0, 0}));
            assertThat(first.errno()).isEqualTo(Errno.EIO);
            assertThat(first.getMessage()).contains("may have been applied");
            assertThat(s.read("a")).containsExactly(1, 0, 0, 0);
            SysctlException second = catchThrowableOfType(SysctlException.class,
                    () -> s.write("a", new byte[] {3, 0, 0, 0}));
            assertThat(second.errno()).isEqualTo(Errno.EIO);
        }
        // Each write went out exactly once; the second over the reused connection after an INFO.
        assertThat(ops()).containsExactly(4, 1, 6, 4);
    }

    private List<Integer> ops() {
        return server.requests.stream().map(r -> r[5] & 0xFF).toList();
    }
}
