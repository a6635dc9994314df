package org.memstat.uma.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.memstat.uma.Uma;
import org.memstat.uma.malloc.Malloc;
import org.memstat.uma.mbuf.Mbufs;

/** The demo's connection table on a clock of its own: it grows for a lifetime, then levels off. */
class ConnectionTableTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void growsForOneLifetimeThenLevelsOffAndGivesEverythingBack() {
        try (Uma uma = Uma.builder().kmemSize(64L << 20).maxCpus(2).trimInterval(Duration.ZERO).build()) {
            Mbufs mbufs = Mbufs.create(Malloc.create(uma));
            ConnectionTable table = new ConnectionTable(mbufs, 10, 30 * SECOND, 0);
            int[] sizes = new int[121];
            for (int s = 0; s <= 120; s++) {
                table.tick(s * SECOND);
                sizes[s] = table.size();
            }
            assertThat(sizes[10]).isEqualTo(100);
            assertThat(sizes[29]).isEqualTo(290);
            for (int s = 30; s <= 120; s++) {
                assertThat(sizes[s]).as("second %d", s).isBetween(290, 301);
            }
            assertThat(mbufs.clusterZone().stats().used()).isEqualTo(table.size());
            table.closeAll();
            assertThat(mbufs.clusterZone().stats().used()).isZero();
        }
    }

    @Test
    void aStalledClockOpensABoundedNumberAtOnce() {
        try (Uma uma = Uma.builder().kmemSize(64L << 20).maxCpus(2).trimInterval(Duration.ZERO).build()) {
            ConnectionTable table = new ConnectionTable(Mbufs.create(Malloc.create(uma)), 1000, 3600 * SECOND, 0);
            table.tick(60 * SECOND);
            assertThat(table.size()).isEqualTo(100);
            table.closeAll();
        }
    }

    @Test
    void theDemoSamplesItsClustersAndTheTableIsTheirHolder() {
        try (Uma uma = Uma.builder().kmemSize(128L << 20).maxCpus(2).trimInterval(Duration.ZERO).build()) {
            DemoWorkload demo = DemoWorkload.create(uma);
            assertThat(demo.mbufs().clusterZone().sampleRate()).isEqualTo(DemoWorkload.CLUSTER_SAMPLE_RATE);
            demo.mbufs().clusterZone().setSampleRate(1);
            ConnectionTable table = new ConnectionTable(demo.mbufs(), 10, 30 * SECOND, 0);
            table.tick(5 * SECOND);
            ByteBuffer b = ByteBuffer.allocate(1 << 20);
            assertThat(uma.sysctl().read("vm.zone_samples", b).ok()).isTrue();
            String text = new String(b.array(), 0, b.position(), java.nio.charset.StandardCharsets.ISO_8859_1);
            assertThat(text).contains(ConnectionTable.class.getName()).contains("open");
            table.closeAll();
        }
    }
}
