package org.memstat.uma.sysctl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.memstat.uma.sysctl.MbufLimitOids.Knob.NMBCLUSTERS;
import static org.memstat.uma.sysctl.MbufLimitOids.Knob.NMBJUMBO16;
import static org.memstat.uma.sysctl.MbufLimitOids.Knob.NMBJUMBO9;
import static org.memstat.uma.sysctl.MbufLimitOids.Knob.NMBJUMBOP;
import static org.memstat.uma.sysctl.MbufLimitOids.Knob.NMBUFS;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MbufLimitOidsTest {
    private final List<String> applied = new ArrayList<>();
    private final MbufLimitOids tunables = new MbufLimitOids(1000, 2000, 300, 200, 100, (knob, v) -> {
        applied.add(knob + "=" + v);
        return v;
    });
    private final Sysctl sysctl = new Sysctl();

    MbufLimitOidsTest() {
        StandardOids.registerMbufLimitOids(sysctl, tunables);
    }

    @Test
    void registersFiveWritableUnsignedIntOids() {
        for (MbufLimitOids.Knob k : MbufLimitOids.Knob.values()) {
            OidInfo info = sysctl.describe(k.oidName()).orElseThrow();
            assertThat(info).extracting(OidInfo::type, OidInfo::format, OidInfo::writable)
                    .containsExactly(OidType.INT, "IU", true);
            assertThat(info.description()).isNotEmpty();
        }
        ByteBuffer b = ByteBuffer.allocate(4);
        assertThat(sysctl.read("kern.ipc.nmbjumbo9", b).ok()).isTrue();
        assertThat(b.flip().order(java.nio.ByteOrder.nativeOrder()).getInt()).isEqualTo(200);
    }

    @Test
    void raisesALimitAndCallsTheApplier() {
        assertThat(sysctl.write("kern.ipc.nmbufs", SysctlTest.native4(5000))).isEqualTo(new SysctlResult(0, 4));
        assertThat(tunables.get(NMBUFS)).isEqualTo(5000);
        assertThat(sysctl.write("kern.ipc.nmbclusters", SysctlTest.native4(1500)).ok()).isTrue();
        assertThat(tunables.get(NMBCLUSTERS)).isEqualTo(1500);
        assertThat(applied).containsExactly("NMBUFS=5000", "NMBCLUSTERS=1500");
    }

    @Test
    void decreaseIsEinvalAndChangesNothing() {
        for (MbufLimitOids.Knob k : MbufLimitOids.Knob.values()) {
            int before = tunables.get(k);
            assertThat(sysctl.write(k.oidName(), SysctlTest.native4(before - 1)).errno()).isEqualTo(Errno.EINVAL);
            assertThat(tunables.set(k, 0)).isEqualTo(Errno.EINVAL);
            assertThat(tunables.get(k)).isEqualTo(before);
        }
        // "IU" 0xffffffff is -1 as an int: a decrease, not 4 billion.
        assertThat(tunables.set(NMBUFS, -1)).isEqualTo(Errno.EINVAL);
        assertThat(applied).isEmpty();
    }

    @Test
    void sameValueSucceedsWithoutApplying() {
        assertThat(sysctl.write("kern.ipc.nmbclusters", SysctlTest.native4(1000)).ok()).isTrue();
        assertThat(applied).isEmpty();
    }

    @Test
    void clusterLimitMayNotPushTheClusterSumPastNmbufs() {
        // sum = 1000 + 300 + 200 + 100 = 1600, nmbufs = 2000: 400 of room.
        assertThat(tunables.set(NMBJUMBOP, 701)).isEqualTo(Errno.EINVAL);
        assertThat(tunables.set(NMBJUMBO16, 501)).isEqualTo(Errno.EINVAL);
        assertThat(applied).isEmpty();
        assertThat(tunables.set(NMBJUMBO9, 600)).isZero();
        assertThat(tunables.set(NMBCLUSTERS, 1001)).isEqualTo(Errno.EINVAL);
        assertThat(tunables.set(NMBUFS, 2001)).isZero();
        assertThat(tunables.set(NMBCLUSTERS, 1001)).isZero();
        assertThat(applied).containsExactly("NMBJUMBO9=600", "NMBUFS=2001", "NMBCLUSTERS=1001");
    }

    @Test
    void storesTheLimitTheApplierReports() {
        MbufLimitOids rounding = new MbufLimitOids(10, 100, 0, 0, 0, (k, v) -> (v + 7) / 8 * 8);
        assertThat(rounding.set(NMBCLUSTERS, 13)).isZero();
        assertThat(rounding.get(NMBCLUSTERS)).isEqualTo(16);
    }

    @Test
    void defaultsFollowTunableMbinit() {
        long maxMbufMem = 1L << 30;
        MbufLimitOids d = MbufLimitOids.defaults(maxMbufMem, (k, v) -> v);
        assertThat(d.get(NMBCLUSTERS)).isEqualTo((int) (maxMbufMem / 2048 / 4));
        assertThat(d.get(NMBJUMBOP)).isEqualTo((int) (maxMbufMem / 4096 / 4));
        assertThat(d.get(NMBJUMBO9)).isEqualTo((int) (maxMbufMem / 9216 / 6));
        assertThat(d.get(NMBJUMBO16)).isEqualTo((int) (maxMbufMem / 16384 / 6));
        assertThat(d.get(NMBUFS)).isEqualTo((int) (maxMbufMem / 256 / 5));
        // A tiny pool: the cluster sum dominates maxmbufmem / MSIZE / 5.
        MbufLimitOids small = MbufLimitOids.defaults(1L << 20, (k, v) -> v);
        int sum = small.get(NMBCLUSTERS) + small.get(NMBJUMBOP) + small.get(NMBJUMBO9) + small.get(NMBJUMBO16);
        assertThat(small.get(NMBUFS)).isEqualTo(Math.max((1 << 20) / 256 / 5, sum));
    }

    @Test
    void rejectsInconsistentStartingValues() {
        assertThatThrownBy(() -> new MbufLimitOids(10, 5, 0, 0, 0, (k, v) -> v))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MbufLimitOids(-1, 5, 0, 0, 0, (k, v) -> v))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
