package org.memstat.uma.sysctl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ReadOnlyBufferException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.memstat.uma.sysctl.GoldenStreams.MallocType;

/**
 * Stream OIDs written straight into the caller's buffer: the same bytes as the copy path (the socket server's
 * {@code readValue}) and as the golden streams, whatever the buffer's kind, order, position and old contents;
 * too-small buffers still get the truncated prefix, ENOMEM and the size needed.
 */
@Timeout(60)
class DirectStreamReadTest {
    private static final boolean LE = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
    private static final int MAX_CPUS = 64;
    private static final byte JUNK = (byte) 0xA5;

    private final Sysctl sysctl = new Sysctl();
    private final FakeProducers.Zones zones = new FakeProducers.Zones(MAX_CPUS, sparseZones());
    private final FakeProducers.Malloc malloc = new FakeProducers.Malloc(4, List.of(
            new MallocType("devbuf", Arrays.asList(new long[] {4096, 0, 1, 0, 1L << 8}, null, null, null)),
            new MallocType("temp", Arrays.asList(new long[] {32, 16, 2, 1, 2}, new long[] {64, 64, 1, 1, 4},
                    null, null))));
    private final byte[] zoneGolden = GoldenStreams.zoneStream(LE, MAX_CPUS, zones.zones());
    private final byte[] mallocGolden = GoldenStreams.mallocStream(LE, 4, malloc.types());

    DirectStreamReadTest() {
        StandardOids.registerZoneStats(sysctl, zones);
        StandardOids.registerMallocStats(sysctl, malloc, new int[] {16, 32});
    }

    /** The mixed zones, plus one whose only busy CPUs are scattered, as on a machine where few threads ran. */
    private static List<GoldenStreams.Zone> sparseZones() {
        List<GoldenStreams.Zone> list = new ArrayList<>(ZoneStatsStreamTest.mixedZones(MAX_CPUS));
        List<long[]> cpus = new ArrayList<>();
        for (int c = 0; c < MAX_CPUS; c++) {
            cpus.add(c == 3 || c == 40 ? new long[] {c, 1, 2} : new long[] {0, 0, 0});
        }
        list.add(new GoldenStreams.Zone("sparse", 7, 64, 64, 0, 0, 1, 63, 0, 0, 5, 4, 0, 0, 0, cpus));
        return list;
    }

    private byte[] copyPath(String name) {
        byte[][] out = new byte[1][];
        assertThat(sysctl.readValue(name, v -> {
            out[0] = new byte[v.remaining()];
            v.get(v.position(), out[0]);
        })).isZero();
        return out[0];
    }

    private static ByteBuffer junk(ByteBuffer b) {
        ByteBuffer all = b.duplicate().clear();
        for (int i = 0; i < all.capacity(); i++) {
            all.put(i, JUNK);
        }
        return b;
    }

    private static byte[] junkBytes(int n) {
        byte[] out = new byte[n];
        Arrays.fill(out, JUNK);
        return out;
    }

    /** Bytes by absolute index, whatever the buffer's position and limit. */
    private static byte[] bytes(ByteBuffer b, int from, int n) {
        byte[] out = new byte[n];
        b.duplicate().clear().get(from, out);
        return out;
    }

    @Test
    void directAndCopyPathsGiveTheGoldenBytesIntoAnyBuffer() {
        assertThat(copyPath("vm.zone_stats")).isEqualTo(zoneGolden);
        assertThat(copyPath("kern.malloc_stats")).isEqualTo(mallocGolden);
        for (String name : new String[] {"vm.zone_stats", "kern.malloc_stats"}) {
            byte[] golden = name.startsWith("vm") ? zoneGolden : mallocGolden;
            ByteBuffer[] targets = {
                ByteBuffer.allocateDirect(golden.length), ByteBuffer.allocate(golden.length),
                ByteBuffer.allocateDirect(golden.length + 100).order(ByteOrder.BIG_ENDIAN),
                ByteBuffer.allocate(golden.length + 100).order(ByteOrder.LITTLE_ENDIAN)};
            for (ByteBuffer b : targets) {
                junk(b);
                int start = b.capacity() - golden.length > 0 ? 37 : 0;
                b.position(start).limit(b.capacity() - (start == 0 ? 0 : 11));
                for (int round = 0; round < 3; round++) {
                    b.position(start);
                    assertThat(sysctl.read(name, b)).as("%s into %s", name, b)
                            .isEqualTo(new SysctlResult(Errno.OK, golden.length));
                    assertThat(b.position()).isEqualTo(start + golden.length);
                    assertThat(bytes(b, start, golden.length)).as("%s into %s", name, b).isEqualTo(golden);
                }
                assertThat(bytes(b, 0, start)).as("before the position").isEqualTo(junkBytes(start));
                int after = b.capacity() - start - golden.length;
                assertThat(bytes(b, start + golden.length, after)).as("after the value").isEqualTo(junkBytes(after));
            }
        }
    }

    @Test
    void tooSmallBufferGetsTheTruncatedPrefixEnomemAndTheSizeNeeded() {
        for (int room : new int[] {0, 1, 15, 16, 17, 135, 136, zoneGolden.length / 2, zoneGolden.length - 64,
            zoneGolden.length - 1}) {
            ByteBuffer b = junk(ByteBuffer.allocateDirect(room + 8));
            b.position(3).limit(3 + room);
            assertThat(sysctl.read("vm.zone_stats", b)).as("room %d", room)
                    .isEqualTo(new SysctlResult(Errno.ENOMEM, zoneGolden.length));
            assertThat(b.position()).isEqualTo(3 + room);
            assertThat(bytes(b, 3, room)).as("room %d", room).isEqualTo(Arrays.copyOf(zoneGolden, room));
            assertThat(bytes(b, 3 + room, 5)).containsOnly(JUNK);
        }
        ByteBuffer exact = ByteBuffer.allocateDirect(zoneGolden.length);
        assertThat(sysctl.read("vm.zone_stats", exact)).isEqualTo(new SysctlResult(Errno.OK, zoneGolden.length));
    }

    @Test
    void readOnlyBufferIsRefusedAsBefore() {
        ByteBuffer ro = ByteBuffer.allocate(zoneGolden.length).asReadOnlyBuffer();
        assertThatThrownBy(() -> sysctl.read("vm.zone_stats", ro)).isInstanceOf(ReadOnlyBufferException.class);
        assertThat(sysctl.size("vm.zone_stats")).isEqualTo(new SysctlResult(Errno.OK, zoneGolden.length));
    }

    @Test
    void failedDirectAttemptLeavesThePooledWriterUsable() {
        for (int i = 0; i < 20; i++) {
            ByteBuffer small = ByteBuffer.allocateDirect(zoneGolden.length - 1 - i);
            assertThat(sysctl.read("vm.zone_stats", small).errno()).isEqualTo(Errno.ENOMEM);
            ByteBuffer b = ByteBuffer.allocateDirect(zoneGolden.length);
            assertThat(sysctl.read("vm.zone_stats", b).ok()).isTrue();
            assertThat(bytes(b, 0, zoneGolden.length)).isEqualTo(zoneGolden);
            assertThat(copyPath("vm.zone_stats")).isEqualTo(zoneGolden);
        }
    }
}
