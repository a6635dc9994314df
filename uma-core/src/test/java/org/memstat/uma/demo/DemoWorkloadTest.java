package org.memstat.uma.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.memstat.uma.Uma;
import org.memstat.uma.Zone;
import org.memstat.uma.ZoneStats;
import org.memstat.uma.malloc.MallocTypeStats;

class DemoWorkloadTest {

    @Test
    void aShortRunLeavesMovingNumbersInEveryLayer() {
        try (Uma uma = Uma.builder().kmemSize(128L << 20).maxCpus(2).build()) {
            DemoWorkload demo = DemoWorkload.create(uma).runFor(Duration.ofMillis(300));
            List<String> names = uma.zones().stream().map(Zone::name).toList();
            assertThat(names).contains("mbuf", "mbuf_packet", "mbuf_cluster", "mbuf_jumbo_page", "mbuf_jumbo_9k",
                    "mbuf_jumbo_16k", "malloc-16", "malloc-65536", "demo_session", "demo_route");
            ZoneStats packets = demo.mbufs().packetZone().stats();
            assertThat(packets.totalAllocs()).isPositive();
            assertThat(packets.used()).isPositive();
            assertThat(demo.mbufs().clusterZone().stats().limit()).isEqualTo(DemoWorkload.DEMO_NMBCLUSTERS);
            List<MallocTypeStats> types = demo.malloc().stats();
            assertThat(types).extracting(MallocTypeStats::name).contains("mbuf_tag", "demo_conn", "demo_buf");
            assertThat(types.stream().filter(t -> t.name().equals("demo_conn")).findFirst().orElseThrow()
                    .numallocs()).isPositive();
            for (String oid : List.of("vm.zone_stats", "kern.malloc_stats", "kern.ipc.nmbclusters",
                    "vm.malloc.zone_sizes")) {
                assertThat(uma.sysctl().size(oid).ok()).as(oid).isTrue();
            }
            ByteBuffer b = ByteBuffer.allocate(uma.sysctl().size("kern.malloc_stats").size());
            assertThat(uma.sysctl().read("kern.malloc_stats", b).ok()).isTrue();
        }
    }

    @Test
    @Timeout(60)
    void backgroundThreadsStopAndGiveEverythingBack() {
        try (Uma uma = Uma.builder().kmemSize(128L << 20).maxCpus(2).build()) {
            DemoWorkload demo = DemoWorkload.create(uma).start(2);
            Zone packet = demo.mbufs().packetZone();
            while (packet.stats().totalAllocs() < 10_000) {
                Thread.onSpinWait();
            }
            demo.close();
            // Clusters stay attached to the mbufs cached in mbuf_packet (netstat -m subtracts them): exactly those.
            ZoneStats p = packet.stats();
            assertThat(demo.mbufs().clusterZone().stats().used()).isEqualTo(p.cacheFree() + p.zoneFree());
            uma.reclaim(org.memstat.uma.Reclaim.DRAIN_CPU);
            for (Zone z : uma.zones()) {
                assertThat(z.stats().used()).as(z.name()).isZero();
            }
            for (MallocTypeStats t : demo.malloc().stats()) {
                assertThat(t.count()).as(t.name()).isZero();
            }
        }
    }
}
