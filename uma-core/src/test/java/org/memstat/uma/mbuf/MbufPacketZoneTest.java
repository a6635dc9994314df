package org.memstat.uma.mbuf;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.memstat.uma.Reclaim;
import org.memstat.uma.Uma;
import org.memstat.uma.Zone;
import org.memstat.uma.ZoneStats;
import org.memstat.uma.malloc.Malloc;
import org.memstat.uma.malloc.MallocTypeStats;

/** The mbuf_packet zone and what netstat -m reads from it (reference §5.2, §6.3). */
class MbufPacketZoneTest {
    private final List<String> console = new CopyOnWriteArrayList<>();
    private Uma uma;
    private Malloc malloc;
    private Mbufs mb;

    private void start(int nmbclusters) {
        uma = Uma.builder().kmemSize(64L << 20).maxCpus(1).console(console::add)
                .warningInterval(Duration.ofHours(1)).build();
        malloc = Malloc.create(uma);
        mb = Mbufs.create(malloc, new MbufTunables.Boot(0, nmbclusters, 0, 0, 0, 0));
    }

    @AfterEach
    void close() {
        uma.close();
    }

    private long withCluster() {
        long m = mb.m_get(Uma.M_NOWAIT, Mbuf.MT_DATA);
        assertThat(mb.m_clget(m, Uma.M_NOWAIT)).isTrue();
        return m;
    }

    @Test
    void aPacketImportFailsCleanlyWhenTheClusterZoneIsAtItsLimit() {
        start(4);
        assertThat(mb.clusterZone().getMax()).isEqualTo(4);
        List<Long> held = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            held.add(withCluster());
        }
        assertThat(mb.m_getcl(Uma.M_NOWAIT, Mbuf.MT_DATA, Mbuf.M_PKTHDR)).isZero();
        ZoneStats p = mb.packetZone().stats();
        // The bucket import fails, then the single-item retry: both count, as in FreeBSD.
        assertThat(p.fails()).isEqualTo(2);
        assertThat(p.used()).isZero();
        assertThat(p.cacheFree() + p.zoneFree()).isZero();
        assertThat(mb.clusterZone().stats().fails()).isPositive();
        assertThat(mb.mbufZone().getCur()).isEqualTo(4);
        assertThat(mb.clusterZone().getCur()).isEqualTo(4);
        assertThat(console).contains("[zone: mbuf_cluster] kern.ipc.nmbclusters limit reached");
        // Every mbuf the import took went back to the keg: freeing one cluster is enough for a packet.
        mb.m_free(held.remove(0));
        long pkt = mb.m_getcl(Uma.M_NOWAIT, Mbuf.MT_DATA, Mbuf.M_PKTHDR);
        assertThat(mb.extType(pkt)).isEqualTo(Mbuf.EXT_PACKET);
        mb.m_free(pkt);
        held.forEach(mb::m_free);
        // Draining the packet zone hands its clusters to the cluster zone's caches, so drain twice.
        uma.reclaim(Reclaim.DRAIN_CPU);
        uma.reclaim(Reclaim.DRAIN_CPU);
        assertThat(uma.pagesInUse()).isZero();
    }

    @Test
    @Timeout(30)
    void mClgetDrainsThePacketZoneAndRetriesWhenNowaitFindsNoCluster() throws InterruptedException {
        start(8);
        // A thread's packet import takes all 8 clusters into its cache; it frees its packet and exits, so the
        // clusters are parked in the packet zone (a dead thread's cache goes to the depot on any reclaim).
        Thread worker = Thread.ofPlatform().start(() -> mb.m_free(mb.m_getcl(Uma.M_NOWAIT, Mbuf.MT_DATA, 0)));
        worker.join();
        assertThat(mb.clusterZone().getCur()).isEqualTo(8);
        assertThat(mb.packetZone().stats().cacheFree()).isEqualTo(8);
        long clusterFails = mb.clusterZone().stats().fails();
        long m = mb.m_get(Uma.M_NOWAIT, Mbuf.MT_DATA);
        assertThat(mb.m_clget(m, Uma.M_NOWAIT)).isTrue();
        assertThat(mb.clusterZone().stats().fails()).as("the first try failed").isEqualTo(clusterFails + 1);
        ZoneStats p = mb.packetZone().stats();
        assertThat(p.cacheFree() + p.zoneFree()).isZero();
        assertThat(mb.clusterZone().getCur()).isEqualTo(1);
        mb.m_free(m);
    }

    @Test
    @Timeout(30)
    void mGetclWithWaitokSleepsInThePacketInitUntilAClusterIsFreed() throws InterruptedException {
        start(4);
        List<Long> held = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            held.add(withCluster());
        }
        AtomicLong got = new AtomicLong();
        Thread waiter = Thread.ofPlatform().start(() -> got.set(mb.m_getcl(Uma.M_WAITOK, Mbuf.MT_DATA,
                Mbuf.M_PKTHDR)));
        while (mb.clusterZone().stats().sleeps() == 0) {
            Thread.onSpinWait();
        }
        mb.m_free(held.remove(0));
        waiter.join();
        long m = got.get();
        assertThat(m).isNotZero();
        assertThat(mb.flags(m)).isEqualTo(Mbuf.M_PKTHDR | Mbuf.M_EXT);
        // mb_zinit_pack passed M_WAITOK on to the cluster zone and slept there: a real packet, no failure.
        assertThat(mb.extType(m)).isEqualTo(Mbuf.EXT_PACKET);
        assertThat(mb.packetZone().stats().fails()).isZero();
        mb.m_free(m);
        held.forEach(mb::m_free);
        // The packet went back to its zone with its cluster; draining the zone gives the cluster back too.
        mb.packetZone().reclaim(Reclaim.DRAIN_CPU);
        assertThat(mb.clusterZone().getCur()).isZero();
    }

    @Test
    void netstatFiguresAddUpAcrossAMixedWorkload() {
        start(0);
        SplittableRandom rnd = new SplittableRandom(7);
        List<Long> plain = new ArrayList<>();
        List<Long> packets = new ArrayList<>();
        List<Long> clusters = new ArrayList<>();
        List<Long> jumbos = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            List<List<Long>> all = List.of(plain, packets, clusters, jumbos);
            List<Long> victim = all.get(rnd.nextInt(4));
            if (!victim.isEmpty() && rnd.nextInt(5) < 2) {
                mb.m_free(victim.remove(rnd.nextInt(victim.size())));
                continue;
            }
            switch (rnd.nextInt(4)) {
                case 0 -> plain.add(mb.m_gethdr(Uma.M_NOWAIT, Mbuf.MT_DATA));
                case 1 -> packets.add(mb.m_getcl(Uma.M_NOWAIT, Mbuf.MT_DATA, Mbuf.M_PKTHDR));
                case 2 -> clusters.add(withCluster());
                default -> jumbos.add(mb.m_getjcl(Uma.M_NOWAIT, Mbuf.MT_DATA, 0, Mbuf.MJUMPAGESIZE));
            }
            if (rnd.nextInt(50) == 0 && !plain.isEmpty()) {
                long m = plain.get(rnd.nextInt(plain.size()));
                mb.tags().m_tag_prepend(m, mb.tags().m_tag_get(1, rnd.nextInt(200), Uma.M_NOWAIT));
            }
        }
        Figures mbuf = Figures.of(mb.mbufZone());
        Figures pack = Figures.of(mb.packetZone());
        Figures clust = Figures.of(mb.clusterZone());
        Figures jumbop = Figures.of(mb.jumbopZone());
        long tagBytes = malloc.stats().stream().filter(s -> s.name().equals("mbuf_tag"))
                .mapToLong(MallocTypeStats::bytes).sum();
        assertThat(tagBytes).isPositive();
        // Line 1: mbufs in use = mbuf.count + packet.count.
        assertThat(mbuf.count + pack.count).isEqualTo(plain.size() + packets.size() + clusters.size() + jumbos.size());
        // Line 2: the cluster zone counts the clusters parked in cached packets, so "current" subtracts them.
        assertThat(clust.count).isEqualTo(pack.count + pack.free + clusters.size());
        assertThat(clust.count - pack.free).isEqualTo(packets.size() + clusters.size());
        // Line 3 and 4.
        assertThat(pack.count).isEqualTo(packets.size());
        assertThat(jumbop.count).isEqualTo(jumbos.size());
        assertThat(clust.limit).isEqualTo(mb.tunables().nmbclusters());
        // Line 7, current: what the zones report equals the bytes this test holds.
        long inUse = mbuf.count * 256 + pack.count * 256 + pack.count * 2048
                + (clust.count - pack.count - pack.free) * 2048 + tagBytes + jumbop.count * 4096;
        long held = (plain.size() + packets.size() + clusters.size() + jumbos.size()) * 256L
                + (packets.size() + clusters.size()) * 2048L + jumbos.size() * 4096L + tagBytes;
        assertThat(inUse).isEqualTo(held);
        for (List<Long> l : List.of(plain, packets, clusters, jumbos)) {
            l.forEach(mb::m_free);
        }
        assertThat(malloc.stats().stream().filter(s -> s.name().equals("mbuf_tag")).mapToLong(MallocTypeStats::bytes)
                .sum()).isZero();
        assertThat(Figures.of(mb.clusterZone()).count).isEqualTo(Figures.of(mb.packetZone()).free);
    }

    /** libmemstat's derived figures for one zone (reference §3.4). */
    private record Figures(long count, long free, long limit) {
        static Figures of(Zone z) {
            ZoneStats s = z.stats();
            long free = s.cacheFree() + s.zoneFree() + (s.secondary() ? 0 : s.kegFree());
            return new Figures(s.totalAllocs() - s.totalFrees(), free, s.limit());
        }
    }
}
