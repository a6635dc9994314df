package org.memstat.uma.sysctl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class SysctlTest {
    private final Sysctl sysctl = new Sysctl();
    private final AtomicInteger limit = new AtomicInteger(100);

    SysctlTest() {
        sysctl.addInt("kern.smp.maxcpus", "Maximum number of CPUs", () -> 0x01020304);
        sysctl.addInt("kern.ipc.limit", OidType.UINT, "IU", "A raise-only limit", limit::get,
                v -> v < limit.get() ? Errno.EINVAL : set(limit, v));
        sysctl.addLong("vm.kmem_size", OidType.ULONG, "LU", "Size", () -> 0x0102030405060708L, null);
        sysctl.addString("kern.ostype", "Operating system type", () -> "FreeBSD", null);
        sysctl.addOpaque("vm.blob", "S,blob", "Bytes", sink -> sink.accept(ByteBuffer.wrap(new byte[] {1, 2, 3})),
                null);
    }

    private static int set(AtomicInteger target, int v) {
        target.set(v);
        return Errno.OK;
    }

    private static ByteBuffer buffer(int size) {
        return ByteBuffer.allocate(size);
    }

    @Test
    void readsIntInNativeOrderWhateverTheBufferOrder() {
        for (ByteOrder order : new ByteOrder[] {ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN}) {
            ByteBuffer b = buffer(8).order(order);
            b.position(2);
            assertThat(sysctl.read("kern.smp.maxcpus", b)).isEqualTo(new SysctlResult(0, 4));
            assertThat(b.position()).isEqualTo(6);
            assertThat(ByteBuffer.wrap(b.array(), 2, 4).order(ByteOrder.nativeOrder()).getInt()).isEqualTo(0x01020304);
        }
    }

    @Test
    void readsLongStringAndOpaqueValues() {
        ByteBuffer b = buffer(8);
        assertThat(sysctl.read("vm.kmem_size", b).ok()).isTrue();
        assertThat(b.flip().order(ByteOrder.nativeOrder()).getLong()).isEqualTo(0x0102030405060708L);

        ByteBuffer s = buffer(16);
        assertThat(sysctl.read("kern.ostype", s)).isEqualTo(new SysctlResult(0, 8));
        assertThat(new String(s.array(), 0, 8, StandardCharsets.UTF_8)).isEqualTo("FreeBSD\0");

        ByteBuffer o = buffer(3);
        assertThat(sysctl.read("vm.blob", o)).isEqualTo(new SysctlResult(0, 3));
        assertThat(o.array()).containsExactly(1, 2, 3);
    }

    @Test
    void sizeQueryReportsTheSizeAndWritesNothing() {
        assertThat(sysctl.read("kern.smp.maxcpus", null)).isEqualTo(new SysctlResult(0, 4));
        assertThat(sysctl.size("vm.kmem_size")).isEqualTo(new SysctlResult(0, 8));
        assertThat(sysctl.size("kern.ostype")).isEqualTo(new SysctlResult(0, 8));
        assertThat(sysctl.size("vm.blob")).isEqualTo(new SysctlResult(0, 3));
    }

    @Test
    void tooSmallBufferGetsTheTruncatedPrefixAndEnomemWithTheSizeNeeded() {
        ByteBuffer b = buffer(7);
        assertThat(sysctl.read("vm.kmem_size", b)).isEqualTo(new SysctlResult(Errno.ENOMEM, 8));
        assertThat(b.position()).isEqualTo(7);
        ByteBuffer whole = buffer(8);
        assertThat(sysctl.read("vm.kmem_size", whole).ok()).isTrue();
        assertThat(b.array()).isEqualTo(java.util.Arrays.copyOf(whole.array(), 7));
        assertThat(sysctl.read("kern.ostype", buffer(7))).isEqualTo(new SysctlResult(Errno.ENOMEM, 8));
        assertThat(sysctl.read("vm.blob", buffer(0))).isEqualTo(new SysctlResult(Errno.ENOMEM, 3));
        assertThat(sysctl.read("vm.kmem_size", buffer(8)).ok()).isTrue();
    }

    @Test
    void unknownAndMalformedNamesAreEnoent() {
        for (String name : new String[] {"kern.nope", "nope", "kern..smp", ".kern", "kern.", "k\u00e9rn", "a b",
                "kern.smp.maxcpus\u0000"}) {
            assertThat(sysctl.read(name, buffer(8)).errno()).as(name).isEqualTo(Errno.ENOENT);
            assertThat(sysctl.write(name, buffer(4)).errno()).as(name).isEqualTo(Errno.ENOENT);
            assertThat(sysctl.list(name, false, new ArrayList<>())).as(name).isEqualTo(Errno.ENOENT);
            assertThat(sysctl.describe(name)).as(name).isEmpty();
        }
    }

    @Test
    void overlongNameIsEnametoolong() {
        String name = "a".repeat(Sysctl.MAX_NAME_LENGTH + 1);
        assertThat(sysctl.read(name, null)).isEqualTo(new SysctlResult(Errno.ENAMETOOLONG, 0));
        assertThat(sysctl.write(name, buffer(4)).errno()).isEqualTo(Errno.ENAMETOOLONG);
        assertThat(sysctl.list(name, true, new ArrayList<>())).isEqualTo(Errno.ENAMETOOLONG);
    }

    @Test
    void nameThroughALeafIsEnotdir() {
        assertThat(sysctl.read("kern.smp.maxcpus.x", buffer(8)).errno()).isEqualTo(Errno.ENOTDIR);
        assertThat(sysctl.write("kern.ostype.a.b", buffer(4)).errno()).isEqualTo(Errno.ENOTDIR);
        assertThat(sysctl.list("kern.ostype", false, new ArrayList<>())).isEqualTo(Errno.ENOTDIR);
    }

    @Test
    void readingOrWritingANodeIsEisdir() {
        assertThat(sysctl.read("kern.smp", buffer(8)).errno()).isEqualTo(Errno.EISDIR);
        assertThat(sysctl.size("")).isEqualTo(new SysctlResult(Errno.EISDIR, 0));
        assertThat(sysctl.write("kern", buffer(4)).errno()).isEqualTo(Errno.EISDIR);
    }

    @Test
    void writingAReadOnlyOidIsEperm() {
        assertThat(sysctl.write("kern.smp.maxcpus", native4(7))).isEqualTo(new SysctlResult(Errno.EPERM, 0));
        assertThat(sysctl.write("kern.ostype", ByteBuffer.wrap("x".getBytes(StandardCharsets.UTF_8))).errno())
                .isEqualTo(Errno.EPERM);
        assertThat(sysctl.write("vm.blob", buffer(1)).errno()).isEqualTo(Errno.EPERM);
    }

    @Test
    void writeOfTheWrongSizeIsEinvalAndChangesNothing() {
        for (int size : new int[] {0, 3, 5, 8}) {
            ByteBuffer b = buffer(size);
            assertThat(sysctl.write("kern.ipc.limit", b)).isEqualTo(new SysctlResult(Errno.EINVAL, 0));
            assertThat(b.position()).isZero();
        }
        assertThat(limit.get()).isEqualTo(100);
    }

    @Test
    void rejectedWriteIsEinvalAndAcceptedWriteApplies() {
        assertThat(sysctl.write("kern.ipc.limit", native4(99))).isEqualTo(new SysctlResult(Errno.EINVAL, 0));
        assertThat(limit.get()).isEqualTo(100);
        ByteBuffer b = native4(200);
        assertThat(sysctl.write("kern.ipc.limit", b)).isEqualTo(new SysctlResult(Errno.OK, 4));
        assertThat(b.hasRemaining()).isFalse();
        assertThat(limit.get()).isEqualTo(200);
        ByteBuffer out = buffer(4);
        sysctl.read("kern.ipc.limit", out);
        assertThat(out.flip().order(ByteOrder.nativeOrder()).getInt()).isEqualTo(200);
    }

    @Test
    void writesDecodeNativeOrderWhateverTheBufferOrder() {
        ByteBuffer nativeBytes = native4(0x01000000);
        ByteBuffer asOtherOrder = ByteBuffer.wrap(nativeBytes.array())
                .order(ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
        assertThat(sysctl.write("kern.ipc.limit", asOtherOrder).ok()).isTrue();
        assertThat(limit.get()).isEqualTo(0x01000000);
    }

    @Test
    void stringAndLongWritesGoThroughTheirHandlers() {
        AtomicReference<String> s = new AtomicReference<>("old");
        AtomicLong l = new AtomicLong();
        sysctl.addString("kern.hostname", "Host name", s::get, v -> v.isEmpty() ? Errno.EINVAL : ok(() -> s.set(v)));
        sysctl.addLong("vm.knob", OidType.LONG, "L", "A long", l::get, v -> ok(() -> l.set(v)));

        assertThat(sysctl.write("kern.hostname", utf8("h\u00f6st\0ignored")).ok()).isTrue();
        assertThat(s.get()).isEqualTo("h\u00f6st");
        assertThat(sysctl.write("kern.hostname", ByteBuffer.wrap(new byte[] {(byte) 0xff, (byte) 0xfe})).errno())
                .isEqualTo(Errno.EINVAL);
        assertThat(sysctl.write("kern.hostname", utf8("")).errno()).isEqualTo(Errno.EINVAL);
        assertThat(s.get()).isEqualTo("h\u00f6st");

        ByteBuffer eight = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putLong(0, -5L);
        assertThat(sysctl.write("vm.knob", eight)).isEqualTo(new SysctlResult(0, 8));
        assertThat(l.get()).isEqualTo(-5L);
        assertThat(sysctl.write("vm.knob", native4(1)).errno()).isEqualTo(Errno.EINVAL);
    }

    @Test
    void opaqueReaderThatNeverCallsTheSinkGivesAnEmptyValue() {
        sysctl.addOpaque("vm.empty", "", "Nothing", sink -> { }, null);
        assertThat(sysctl.size("vm.empty")).isEqualTo(new SysctlResult(0, 0));
        sysctl.addOpaque("vm.twice", "", "Broken", sink -> {
            sink.accept(ByteBuffer.allocate(1));
            sink.accept(ByteBuffer.allocate(1));
        }, null);
        assertThatThrownBy(() -> sysctl.size("vm.twice")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void listsChildrenInNameOrderAndDescendantsDepthFirst() {
        Sysctl s = new Sysctl();
        for (String name : new String[] {"vm.zone_stats", "kern.smp.maxid", "kern.ipc.nmbufs", "kern.smp.maxcpus",
                "kern.ipc.nmbclusters", "vm.zone_count", "kern.malloc_count"}) {
            s.addInt(name, "d", () -> 0);
        }
        List<OidInfo> top = new ArrayList<>();
        assertThat(s.list("", false, top)).isZero();
        assertThat(top).extracting(OidInfo::name).containsExactly("kern", "vm");
        assertThat(top).allMatch(OidInfo::isNode);

        List<OidInfo> all = new ArrayList<>();
        assertThat(s.list("", true, all)).isZero();
        assertThat(all).extracting(OidInfo::name).containsExactly("kern", "kern.ipc", "kern.ipc.nmbclusters",
                "kern.ipc.nmbufs", "kern.malloc_count", "kern.smp", "kern.smp.maxcpus", "kern.smp.maxid", "vm",
                "vm.zone_count", "vm.zone_stats");

        List<OidInfo> smp = new ArrayList<>();
        assertThat(s.list("kern.smp", false, smp)).isZero();
        assertThat(smp).extracting(OidInfo::name).containsExactly("kern.smp.maxcpus", "kern.smp.maxid");
    }

    @Test
    void describesTypeFormatDescriptionAndWritability() {
        assertThat(sysctl.describe("kern.ipc.limit")).contains(
                new OidInfo("kern.ipc.limit", OidType.UINT, "IU", "A raise-only limit", true));
        assertThat(sysctl.describe("kern.smp.maxcpus")).contains(
                new OidInfo("kern.smp.maxcpus", OidType.INT, "I", "Maximum number of CPUs", false));
        assertThat(sysctl.describe("kern.ostype").orElseThrow().format()).isEqualTo("A");
        assertThat(sysctl.describe("vm.blob").orElseThrow().type()).isEqualTo(OidType.OPAQUE);
        assertThat(sysctl.describe("kern")).contains(new OidInfo("kern", OidType.NODE, "", "", false));
        sysctl.addNode("kern", "High kernel");
        assertThat(sysctl.describe("kern").orElseThrow().description()).isEqualTo("High kernel");
    }

    @Test
    void registrationMistakesThrow() {
        assertThatThrownBy(() -> sysctl.addInt("kern.smp.maxcpus", "again", () -> 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already registered");
        assertThatThrownBy(() -> sysctl.addInt("kern.smp.maxcpus.sub", "below a leaf", () -> 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is a leaf");
        assertThatThrownBy(() -> sysctl.addInt("kern.smp", "a node", () -> 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> sysctl.addNode("kern.ostype", "a leaf"))
                .isInstanceOf(IllegalArgumentException.class);
        sysctl.addNode("kern.smp", "SMP");
        assertThatThrownBy(() -> sysctl.addNode("kern.smp", "twice")).isInstanceOf(IllegalArgumentException.class);
        for (String bad : new String[] {"", "a..b", "a.", ".a", "sp ace", "\u00e9", "x".repeat(1025)}) {
            assertThatThrownBy(() -> sysctl.addInt(bad, "d", () -> 1)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> sysctl.addInt("a.b", OidType.LONG, "L", "d", () -> 1, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> sysctl.addLong("a.b", OidType.INT, "I", "d", () -> 1, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> sysctl.addInt("a.b", "x".repeat(Sysctl.MAX_DESCRIPTION_LENGTH + 1), () -> 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(sysctl.describe("a.b")).isEmpty();
    }

    @Test
    void readersDoNotWaitForAWriteInProgress() throws Exception {
        CountDownLatch inHandler = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        sysctl.addInt("kern.slow", OidType.INT, "I", "Slow writer", () -> 1, v -> {
            inHandler.countDown();
            await(release);
            return Errno.OK;
        });
        // Own threads: the common pool has a single worker on a 2-core machine.
        ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
        CompletableFuture<SysctlResult> writer = CompletableFuture.supplyAsync(
                () -> sysctl.write("kern.slow", native4(2)), threads);
        assertThat(inHandler.await(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<SysctlResult> reader = CompletableFuture.supplyAsync(
                () -> sysctl.read("kern.slow", buffer(4)), threads);
        assertThat(reader.get(10, TimeUnit.SECONDS).ok()).isTrue();
        assertThat(writer).isNotDone();
        release.countDown();
        assertThat(writer.get(10, TimeUnit.SECONDS).ok()).isTrue();
        threads.close();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int ok(Runnable r) {
        r.run();
        return Errno.OK;
    }

    private static ByteBuffer utf8(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    static ByteBuffer native4(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(0, v);
    }
}
