package org.memstat.uma.sysctl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.memstat.uma.sysctl.GoldenStreams.Zone;

/**
 * The writer's sparse per-CPU records ({@code cpuAt}) and its caller-buffer target: golden bytes over a dirty
 * buffer, and a clean stop (nothing written past the limit) when the stream does not fit.
 */
class StreamTargetTest {
    private static final byte JUNK = (byte) 0xC3;

    /** Drives the writer with cpuAt for the non-null CPUs only, as the allocator does for the slots it has. */
    private static void driveSparse(ZoneStatsStream.Writer w, int maxCpus, List<Zone> zones) {
        w.begin(maxCpus);
        for (Zone z : zones) {
            w.zone(z.name(), (int) z.align(), (int) z.size(), (int) z.rsize(), z.maxPages(), z.limit(), z.pages(),
                    z.kegFree(), z.zoneFree(), z.flags() == 1, z.allocs(), z.frees(), z.fails(), z.sleeps(),
                    z.xdomain());
            for (int c = 0; c < maxCpus; c++) {
                long[] v = z.cpus().get(c);
                if (v != null) {
                    w.cpuAt(c, v[0], v[1], v[2]);
                }
            }
            w.zeroCpus();
        }
    }

    private static ByteBuffer junk(int capacity) {
        ByteBuffer b = ByteBuffer.allocateDirect(capacity);
        for (int i = 0; i < capacity; i++) {
            b.put(i, JUNK);
        }
        return b;
    }

    @ParameterizedTest(name = "maxcpus {0}")
    @ValueSource(ints = {1, 2, 64, 65})
    void sparseRecordsMatchTheGoldenStreamInOwnAndCallerBuffers(int maxCpus) {
        List<Zone> zones = ZoneStatsStreamTest.mixedZones(maxCpus);
        byte[] golden = GoldenStreams.zoneStream(true, maxCpus, zones);
        ZoneStatsStream.Writer w = new ZoneStatsStream.Writer(ByteOrder.LITTLE_ENDIAN);
        driveSparse(w, maxCpus, zones);
        w.finish();
        assertThat(w.toByteArray()).isEqualTo(golden);

        ByteBuffer dst = junk(golden.length + 40).position(17);
        w.stream().target(dst);
        driveSparse(w, maxCpus, zones);
        assertThat(w.stream().complete()).isEqualTo(golden.length);
        byte[] got = new byte[golden.length];
        dst.get(17, got);
        assertThat(got).isEqualTo(golden);
        assertThat(dst.position()).isEqualTo(17);
        for (int i = 0; i < 17; i++) {
            assertThat(dst.get(i)).isEqualTo(JUNK);
        }
        for (int i = 17 + golden.length; i < dst.capacity(); i++) {
            assertThat(dst.get(i)).isEqualTo(JUNK);
        }
        assertThatThrownBy(w::finish).isInstanceOf(IllegalStateException.class);

        w.stream().target(null);
        driveSparse(w, maxCpus, zones);
        w.finish();
        assertThat(w.toByteArray()).isEqualTo(golden);
    }

    @Test
    void callerBufferTooSmallStopsTheStreamWithoutWritingPastTheLimit() {
        List<Zone> zones = ZoneStatsStreamTest.mixedZones(4);
        int size = GoldenStreams.zoneStream(true, 4, zones).length;
        for (int room : new int[] {0, 15, 16, 17, size - 1}) {
            ByteBuffer dst = junk(room + 32).limit(room);
            ZoneStatsStream.Writer w = new ZoneStatsStream.Writer();
            w.stream().target(dst);
            assertThatThrownBy(() -> driveSparse(w, 4, zones)).as("room %d", room)
                    .isSameAs(RecordStream.OVERFLOW);
            byte[] past = new byte[dst.capacity() - room];
            dst.duplicate().clear().get(room, past);
            assertThat(past).as("room %d: bytes past the limit", room).containsOnly(JUNK);
            ByteBuffer announced = junk(room + 32).limit(room);
            w.stream().target(announced);
            assertThatThrownBy(() -> w.begin(4, zones.size())).isSameAs(RecordStream.OVERFLOW);
        }
        ZoneStatsStream.Writer w = new ZoneStatsStream.Writer();
        w.stream().target(junk(size));
        driveSparse(w, 4, zones);
        assertThat(w.stream().complete()).isEqualTo(size);
    }

    @Test
    void cpuAtRejectsCpusOutOfOrderOrRange() {
        ZoneStatsStream.Writer w = new ZoneStatsStream.Writer();
        w.begin(4, 2);
        assertThatThrownBy(() -> w.cpuAt(0, 1, 1, 1)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("before zone");
        zone(w).cpuAt(2, 1, 1, 1);
        assertThatThrownBy(() -> w.cpuAt(2, 1, 1, 1)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("next free cpu is 3");
        assertThatThrownBy(() -> w.cpuAt(1, 1, 1, 1)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> w.cpuAt(4, 1, 1, 1)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("maxCpus=4");
        assertThatThrownBy(() -> zone(w)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("3 of 4 cpu()");
        w.cpu(0, 0, 9);
        zone(w).cpu(1, 1, 1).cpuAt(3, 1, 1, 1);
        assertThatThrownBy(() -> w.cpu(1, 1, 1)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("more than maxCpus=4");
        ByteBuffer s = w.finish().order(ByteOrder.nativeOrder());
        int record = 120 + 4 * 64;
        assertThat(s.getLong(16 + 120 + 3 * 64 + 16)).isEqualTo(9);
        assertThat(s.getLong(16 + record + 120 + 64)).isZero();
        assertThat(s.getLong(16 + record + 120 + 2 * 64)).isZero();
        assertThat(s.getLong(16 + record + 120 + 3 * 64)).isEqualTo(1);
    }

    private static ZoneStatsStream.Writer zone(ZoneStatsStream.Writer w) {
        return w.zone("z", 0, 0, 0, 0, 0, 0, 0, 0, false, 0, 0, 0, 0, 0);
    }
}
