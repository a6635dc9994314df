package org.memstat.uma.mbuf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.memstat.uma.Uma;
import org.memstat.uma.malloc.Malloc;

/** kern.ipc.nmb* as current tunable_mbinit and the sysctl_nmb* handlers (reference §6.5). */
class MbufTunablesTest {
    private final List<String> console = new CopyOnWriteArrayList<>();
    private final List<Uma> umas = new ArrayList<>();

    @AfterEach
    void close() {
        umas.forEach(Uma::close);
    }

    private Mbufs mbufs(long kmem, MbufTunables.Boot boot) {
        Uma uma = Uma.builder().kmemSize(kmem).maxCpus(2).console(console::add)
                .warningInterval(Duration.ofHours(1)).build();
        umas.add(uma);
        return Mbufs.create(Malloc.create(uma), boot);
    }

    @Test
    void defaultsFor64MiBOfKmemFollowTunableMbinit() {
        MbufTunables t = mbufs(64L << 20, MbufTunables.Boot.DEFAULTS).tunables();
        // realmem = 67108864, maxmbufmem = realmem / 2 = 33554432
        assertThat(t.realmem()).isEqualTo(67108864L);
        assertThat(t.maxmbufmem()).isEqualTo(33554432L);
        assertThat(t.nmbclusters()).isEqualTo(4096);  // 33554432 / 2048 / 4
        assertThat(t.nmbjumbop()).isEqualTo(2048);    // 33554432 / 4096 / 4
        assertThat(t.nmbjumbo9()).isEqualTo(606);     // 33554432 / 9216 = 3640; 3640 / 6 = 606
        assertThat(t.nmbjumbo16()).isEqualTo(341);    // 33554432 / 16384 = 2048; 2048 / 6 = 341
        assertThat(t.nmbufs()).isEqualTo(26214);      // 0 < 7091 (sum), so max(33554432 / 256 / 5, 7091)
    }

    @Test
    void defaultsFor1GiBOfKmemFollowTunableMbinitAndBecomeTheZoneLimits() {
        Mbufs mb = mbufs(1L << 30, MbufTunables.Boot.DEFAULTS);
        MbufTunables t = mb.tunables();
        // maxmbufmem = 536870912
        assertThat(t.nmbclusters()).isEqualTo(65536);  // 536870912 / 2048 / 4
        assertThat(t.nmbjumbop()).isEqualTo(32768);    // 536870912 / 4096 / 4
        assertThat(t.nmbjumbo9()).isEqualTo(9709);     // 536870912 / 9216 = 58254; 58254 / 6 = 9709
        assertThat(t.nmbjumbo16()).isEqualTo(5461);    // 536870912 / 16384 = 32768; 32768 / 6 = 5461
        assertThat(t.nmbufs()).isEqualTo(419430);      // 536870912 / 256 / 5 = 419430 > sum 113474
        assertThat(mb.mbufZone().getMax()).isEqualTo(419430);
        assertThat(mb.clusterZone().getMax()).isEqualTo(65536);
        assertThat(mb.jumbopZone().getMax()).isEqualTo(32768);
        assertThat(mb.jumbo9Zone().getMax()).isEqualTo(9709);
        assertThat(mb.jumbo16Zone().getMax()).isEqualTo(5461);
        assertThat(mb.packetZone().getMax()).isZero();
    }

    @Test
    void bootValuesOverrideDefaultsAndNmbufsIsRaisedToTheClusterSum() {
        // maxmbufmem is capped at realmem / 4 * 3 = 50331648, so clusters = 50331648 / 2048 / 4 = 6144.
        MbufTunables capped = mbufs(64L << 20, new MbufTunables.Boot(1L << 40, 0, 0, 0, 0, 0)).tunables();
        assertThat(capped.maxmbufmem()).isEqualTo(50331648L);
        assertThat(capped.nmbclusters()).isEqualTo(6144);
        // nmbufs 10 is below 100000 + 2048 + 606 + 341 = 102995, which beats 33554432 / 256 / 5 = 26214.
        MbufTunables raised = mbufs(64L << 20, new MbufTunables.Boot(0, 100_000, 0, 0, 0, 10)).tunables();
        assertThat(raised.nmbclusters()).isEqualTo(100_000);
        assertThat(raised.nmbufs()).isEqualTo(102_995);
        MbufTunables kept = mbufs(64L << 20, new MbufTunables.Boot(0, 0, 7, 8, 9, 50_000)).tunables();
        assertThat(List.of(kept.nmbjumbop(), kept.nmbjumbo9(), kept.nmbjumbo16(), kept.nmbufs()))
                .containsExactly(7, 8, 9, 50_000);
        assertThatThrownBy(() -> new MbufTunables.Boot(0, -1, 0, 0, 0, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void limitsCanOnlyBeRaisedAndARejectedChangeLeavesEverythingAsItWas() {
        Mbufs mb = mbufs(64L << 20, MbufTunables.Boot.DEFAULTS);
        MbufTunables t = mb.tunables();
        assertThat(t.setNmbclusters(4096)).isZero();
        assertThat(t.setNmbclusters(4095)).isEqualTo(MbufTunables.EINVAL);
        assertThat(t.setNmbclusters(-1)).isEqualTo(MbufTunables.EINVAL);
        assertThat(t.nmbclusters()).isEqualTo(4096);
        assertThat(mb.clusterZone().getMax()).isEqualTo(4096);
        assertThat(t.setNmbclusters(5000)).isZero();
        assertThat(t.nmbclusters()).isEqualTo(5000);
        assertThat(mb.clusterZone().getMax()).isEqualTo(5000);
        // nmbufs (26214) must stay >= clusters + jumbop + jumbo9 + jumbo16 = x + 2048 + 606 + 341.
        assertThat(t.setNmbclusters(26214 - 2995 + 1)).isEqualTo(MbufTunables.EINVAL);
        assertThat(t.setNmbclusters(26214 - 2995)).isZero();
        assertThat(t.setNmbjumbop(2049)).isEqualTo(MbufTunables.EINVAL);
        assertThat(t.nmbjumbop()).isEqualTo(2048);
        assertThat(t.setNmbufs(26213)).isEqualTo(MbufTunables.EINVAL);
        assertThat(t.setNmbufs(30000)).isZero();
        assertThat(mb.mbufZone().getMax()).isEqualTo(30000);
        assertThat(t.setNmbjumbop(3000)).isZero();
        assertThat(t.setNmbjumbo9(700)).isZero();
        assertThat(t.setNmbjumbo16(400)).isZero();
        assertThat(t.setNmbjumbo9(699)).isEqualTo(MbufTunables.EINVAL);
        assertThat(t.setNmbjumbo16(399)).isEqualTo(MbufTunables.EINVAL);
        assertThat(List.of(mb.jumbopZone().getMax(), mb.jumbo9Zone().getMax(), mb.jumbo16Zone().getMax()))
                .containsExactly(3000, 700, 400);
        assertThat(t.setNmbjumbo16(30000)).isEqualTo(MbufTunables.EINVAL);
        assertThat(mb.jumbo16Zone().getMax()).isEqualTo(400);
    }

    @Test
    void aRaisedLimitTakesEffectAtOnceAndTheLimitWarningNamesTheTunable() {
        Mbufs mb = mbufs(64L << 20, new MbufTunables.Boot(0, 0, 0, 0, 2, 0));
        long a = mb.m_getjcl(Uma.M_NOWAIT, Mbuf.MT_DATA, 0, Mbuf.MJUM16BYTES);
        long b = mb.m_getjcl(Uma.M_NOWAIT, Mbuf.MT_DATA, 0, Mbuf.MJUM16BYTES);
        assertThat(mb.m_getjcl(Uma.M_NOWAIT, Mbuf.MT_DATA, 0, Mbuf.MJUM16BYTES)).isZero();
        assertThat(mb.jumbo16Zone().stats().fails()).isEqualTo(1);
        assertThat(mb.mbufZone().getCur()).as("the mbuf of the failed request was freed").isEqualTo(2);
        assertThat(console).containsExactly("[zone: mbuf_jumbo_16k] kern.ipc.nmbjumbo16 limit reached");
        assertThat(mb.tunables().setNmbjumbo16(3)).isZero();
        long c = mb.m_getjcl(Uma.M_NOWAIT, Mbuf.MT_DATA, 0, Mbuf.MJUM16BYTES);
        assertThat(c).isNotZero();
        mb.m_freem(a);
        mb.m_freem(b);
        mb.m_freem(c);
    }

    @Test
    void concurrentRaisesEndAtTheLargestValue() throws InterruptedException {
        Mbufs mb = mbufs(64L << 20, MbufTunables.Boot.DEFAULTS);
        MbufTunables t = mb.tunables();
        List<Thread> threads = new ArrayList<>();
        AtomicInteger wrong = new AtomicInteger();
        for (int i = 0; i < 4; i++) {
            int base = i;
            threads.add(Thread.ofPlatform().start(() -> {
                for (int v = 4096 + base; v < 8000; v += 4) {
                    int rc = t.setNmbclusters(v);
                    // A rejected raise means another thread got further already.
                    if (rc != 0 && (rc != MbufTunables.EINVAL || t.nmbclusters() <= v)) {
                        wrong.incrementAndGet();
                    }
                }
            }));
        }
        for (Thread th : threads) {
            th.join();
        }
        assertThat(wrong.get()).isZero();
        assertThat(t.nmbclusters()).isEqualTo(7999);
        assertThat(mb.clusterZone().getMax()).isEqualTo(t.nmbclusters());
    }
}
