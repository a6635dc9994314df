package org.memstat.uma.mbuf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.memstat.uma.Uma;
import org.memstat.uma.Zone;
import org.memstat.uma.malloc.Malloc;

/**
 * Shared external storage is freed by its last reference only. Debug mode is on, so a second free of a cluster
 * or of the holder mbuf would throw.
 */
class MbufRefTest {
    private final Uma uma = Uma.builder().kmemSize(64L << 20).maxCpus(2).debug(true).build();
    private final Mbufs mb = Mbufs.create(Malloc.create(uma));

    @AfterEach
    void close() {
        uma.close();
    }

    private long withCluster() {
        long m = mb.m_get(Uma.M_WAITOK, Mbuf.MT_DATA);
        assertThat(mb.m_clget(m, Uma.M_WAITOK)).isTrue();
        return m;
    }

    @Test
    void aSharedClusterOutlivesItsHolderUntilTheLastSharerFreesIt() {
        long m = withCluster();
        mb.setDataOffset(m, 100);
        mb.setLen(m, 500);
        long n = mb.m_refcl(m, Uma.M_WAITOK);
        assertThat(mb.extBuf(n)).isEqualTo(mb.extBuf(m));
        assertThat(mb.extType(n)).isEqualTo(Mbuf.EXT_CLUSTER);
        assertThat(mb.dataOffset(n)).isEqualTo(100);
        assertThat(mb.len(n)).isEqualTo(500);
        assertThat(mb.mtod(n)).isEqualTo(mb.mtod(m));
        assertThat(mb.refCount(m)).isEqualTo(2);
        assertThat(mb.refCount(n)).isEqualTo(2);
        assertThat(mb.clusterZone().getCur()).isEqualTo(1);
        mb.m_free(m);
        // The holder of the count stays allocated while its cluster is shared.
        assertThat(mb.clusterZone().getCur()).isEqualTo(1);
        assertThat(mb.mbufZone().getCur()).isEqualTo(2);
        assertThat(mb.refCount(n)).isEqualTo(1);
        mb.m_free(n);
        assertThat(mb.clusterZone().getCur()).isZero();
        assertThat(mb.mbufZone().getCur()).isZero();
    }

    @Test
    void aSharerFreedFirstLeavesTheClusterToItsHolder() {
        long m = withCluster();
        long n = mb.m_refcl(m, Uma.M_NOWAIT);
        mb.m_free(n);
        assertThat(mb.refCount(m)).isEqualTo(1);
        assertThat(mb.clusterZone().getCur()).isEqualTo(1);
        assertThat(mb.mbufZone().getCur()).isEqualTo(1);
        mb.m_free(m);
        assertThat(mb.clusterZone().getCur()).isZero();
        assertThat(mb.mbufZone().getCur()).isZero();
    }

    @Test
    void aReferenceOfAReferenceCountsOnTheOriginalHolder() {
        long m = withCluster();
        long n = mb.m_refcl(m, Uma.M_WAITOK);
        long o = mb.m_refcl(n, Uma.M_WAITOK);
        long p = mb.m_get(Uma.M_WAITOK, Mbuf.MT_DATA);
        mb.mb_dupcl(p, o);
        assertThat(List.of(mb.refCount(m), mb.refCount(n), mb.refCount(o), mb.refCount(p))).containsOnly(4);
        mb.m_free(m);
        mb.m_free(n);
        mb.m_free(p);
        assertThat(mb.refCount(o)).isEqualTo(1);
        assertThat(mb.mbufZone().getCur()).as("o and the holder m").isEqualTo(2);
        assertThat(mb.clusterZone().getCur()).isEqualTo(1);
        mb.m_free(o);
        assertThat(mb.mbufZone().getCur()).isZero();
        assertThat(mb.clusterZone().getCur()).isZero();
    }

    @Test
    void aSharedPacketGoesBackWholeToThePacketZone() {
        for (boolean holderFirst : new boolean[] {true, false}) {
            long p = mb.m_getcl(Uma.M_WAITOK, Mbuf.MT_DATA, Mbuf.M_PKTHDR);
            long cl = mb.extBuf(p);
            long clusters = mb.clusterZone().getCur();
            long n = mb.m_refcl(p, Uma.M_WAITOK);
            assertThat(mb.extType(n)).isEqualTo(Mbuf.EXT_PACKET);
            mb.m_free(holderFirst ? p : n);
            assertThat(mb.packetZone().getCur()).isEqualTo(1);
            assertThat(mb.mbufZone().getCur()).isEqualTo(holderFirst ? 1 : 0);
            mb.m_free(holderFirst ? n : p);
            assertThat(mb.packetZone().getCur()).isZero();
            assertThat(mb.mbufZone().getCur()).isZero();
            // The cluster stayed attached to its mbuf in the packet zone's cache.
            assertThat(mb.clusterZone().getCur()).isEqualTo(clusters);
            long again = mb.m_getcl(Uma.M_WAITOK, Mbuf.MT_DATA, 0);
            assertThat(again).isEqualTo(p);
            assertThat(mb.extBuf(again)).isEqualTo(cl);
            assertThat(mb.refCount(again)).isEqualTo(1);
            mb.m_free(again);
        }
    }

    @Test
    void sharedJumboClustersGoBackToTheirOwnZone() {
        List<Zone> zones = List.of(mb.jumbopZone(), mb.jumbo9Zone(), mb.jumbo16Zone());
        int[] sizes = {Mbuf.MJUMPAGESIZE, Mbuf.MJUM9BYTES, Mbuf.MJUM16BYTES};
        for (int i = 0; i < sizes.length; i++) {
            long m = mb.m_getjcl(Uma.M_WAITOK, Mbuf.MT_DATA, Mbuf.M_PKTHDR, sizes[i]);
            long n = mb.m_refcl(m, Uma.M_WAITOK);
            mb.m_free(m);
            assertThat(zones.get(i).getCur()).isEqualTo(1);
            mb.m_free(n);
            assertThat(zones.get(i).getCur()).isZero();
            assertThat(mb.mbufZone().getCur()).isZero();
        }
    }

    @Test
    void mbDupclRefusesAnMbufThatAlreadyHasStorage() {
        long m = withCluster();
        long other = withCluster();
        assertThatThrownBy(() -> mb.mb_dupcl(other, m)).isInstanceOf(IllegalArgumentException.class);
        long plain = mb.m_get(Uma.M_WAITOK, Mbuf.MT_DATA);
        assertThatThrownBy(() -> mb.mb_dupcl(m, plain)).isInstanceOf(IllegalArgumentException.class);
        assertThat(mb.refCount(m)).isEqualTo(1);
        mb.m_freem(m);
        mb.m_freem(other);
        mb.m_freem(plain);
        assertThat(mb.clusterZone().getCur()).isZero();
    }

    @Test
    @Timeout(60)
    void concurrentReleasesFreeTheStorageExactlyOnce() throws Exception {
        int threads = 4;
        int refsPerThread = 3;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int round = 0; round < 300; round++) {
                long m = switch (round % 3) {
                    case 0 -> withCluster();
                    case 1 -> mb.m_getcl(Uma.M_WAITOK, Mbuf.MT_DATA, Mbuf.M_PKTHDR);
                    default -> mb.m_getjcl(Uma.M_WAITOK, Mbuf.MT_DATA, 0, Mbuf.MJUM9BYTES);
                };
                List<Long> refs = new ArrayList<>(List.of(m));
                while (refs.size() < threads * refsPerThread) {
                    refs.add(mb.m_refcl(refs.get(refs.size() - 1), Uma.M_WAITOK));
                }
                CyclicBarrier go = new CyclicBarrier(threads);
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    List<Long> mine = refs.subList(t * refsPerThread, (t + 1) * refsPerThread);
                    done.add(pool.submit(() -> {
                        go.await();
                        for (long r : mine) {
                            mb.m_free(r);
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get();
                }
                assertThat(mb.mbufZone().getCur()).as("round %d", round).isZero();
                assertThat(mb.packetZone().getCur()).isZero();
                assertThat(mb.clusterZone().getCur() + mb.jumbo9Zone().getCur())
                        .isEqualTo(mb.packetZone().stats().cacheFree() + mb.packetZone().stats().zoneFree());
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
