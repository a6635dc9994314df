package org.memstat.uma.mbuf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.ValueLayout;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.memstat.uma.Uma;
import org.memstat.uma.Zone;
import org.memstat.uma.ZoneStats;
import org.memstat.uma.malloc.Malloc;

class MbufAllocTest {
    private final Uma uma = Uma.builder().kmemSize(64L << 20).maxCpus(2).build();
    private final Malloc malloc = Malloc.create(uma);
    private final Mbufs mb = Mbufs.create(malloc);

    @AfterEach
    void close() {
        uma.close();
    }

    @Test
    void createsTheZonesInMbufInitOrderWithFreeBsdsGeometry() {
        List<String> names = uma.zones().stream().map(Zone::name).filter(n -> n.startsWith("mbuf")).toList();
        // Newest keg first; the secondary mbuf_packet follows its primary mbuf.
        assertThat(names).containsExactly("mbuf_jumbo_16k", "mbuf_jumbo_9k", "mbuf_jumbo_page", "mbuf_cluster",
                "mbuf", "mbuf_packet");
        ZoneStats m = mb.mbufZone().stats();
        assertThat(m.size()).isEqualTo(256);
        assertThat(m.align()).isEqualTo(255);
        assertThat(mb.mbufZone().flags() & Uma.ZONE_MAXBUCKET).isNotZero();
        assertThat(mb.packetZone().flags() & Uma.ZONE_SECONDARY).isNotZero();
        assertThat(mb.packetZone().size()).isEqualTo(256);
        assertThat(mb.clusterZone().stats().align()).isEqualTo(Uma.ALIGN_PTR);
        assertThat(List.of(mb.clusterZone().size(), mb.jumbopZone().size(), mb.jumbo9Zone().size(),
                mb.jumbo16Zone().size())).containsExactly(2048, 4096, 9216, 16384);
        assertThat(malloc.types()).extracting(t -> t.name()).containsExactly("mbuf_tag");
        assertThat(Mbuf.MLEN).isEqualTo(224);
        assertThat(Mbuf.MHLEN).isEqualTo(208);
        assertThatThrownBy(() -> Mbufs.create(malloc)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void mGetGivesAnEmptyMbufWithInternalStorage() {
        long m = mb.m_get(Uma.M_WAITOK, Mbuf.MT_DATA);
        assertThat(m & 255).isZero();
        assertThat(mb.flags(m)).isZero();
        assertThat(mb.type(m)).isEqualTo(Mbuf.MT_DATA);
        assertThat(mb.len(m)).isZero();
        assertThat(mb.next(m)).isZero();
        assertThat(mb.nextPkt(m)).isZero();
        assertThat(mb.mtod(m)).isEqualTo(m + 32);
        assertThat(mb.leadingSpace(m)).isZero();
        assertThat(mb.trailingSpace(m)).isEqualTo(Mbuf.MLEN);
        assertThat(mb.data(m).byteSize()).isZero();
        assertThat(mb.buffer(m).byteSize()).isEqualTo(Mbuf.MLEN);
        assertThat(mb.extType(m)).isZero();
        mb.buffer(m).set(ValueLayout.JAVA_LONG, 0, 0x1122334455667788L);
        mb.setLen(m, 8);
        assertThat(mb.data(m).get(ValueLayout.JAVA_LONG, 0)).isEqualTo(0x1122334455667788L);
        assertThat(mb.trailingSpace(m)).isEqualTo(Mbuf.MLEN - 8);
        assertThatThrownBy(() -> mb.setLen(m, Mbuf.MLEN + 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> mb.pktLen(m)).isInstanceOf(IllegalArgumentException.class);
        mb.setDataOffset(m, 100);
        assertThat(mb.leadingSpace(m)).isEqualTo(100 - 32);
        assertThatThrownBy(() -> mb.setDataOffset(m, 31)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> mb.setDataOffset(m, 249)).isInstanceOf(IllegalArgumentException.class);
        assertThat(mb.mbufZone().getCur()).isEqualTo(1);
        assertThat(mb.m_free(m)).isZero();
        assertThat(mb.mbufZone().getCur()).isZero();
    }

    @Test
    void mGethdrHasAPacketHeaderAndLessRoom() {
        long m = mb.m_gethdr(Uma.M_NOWAIT, Mbuf.MT_HEADER);
        assertThat(mb.flags(m)).isEqualTo(Mbuf.M_PKTHDR);
        assertThat(mb.mtod(m)).isEqualTo(m + 48);
        assertThat(mb.trailingSpace(m)).isEqualTo(Mbuf.MHLEN);
        assertThat(mb.pktLen(m)).isZero();
        mb.setPktLen(m, 1500);
        assertThat(mb.pktLen(m)).isEqualTo(1500);
        assertThat(mb.tags().m_tag_first(m)).isZero();
        mb.m_free(m);
    }

    @Test
    void mGetclComesFromThePacketZoneWithItsClusterAttached() {
        long m = mb.m_getcl(Uma.M_NOWAIT, Mbuf.MT_DATA, Mbuf.M_PKTHDR);
        assertThat(mb.flags(m)).isEqualTo(Mbuf.M_PKTHDR | Mbuf.M_EXT);
        assertThat(mb.extType(m)).isEqualTo(Mbuf.EXT_PACKET);
        assertThat(mb.extSize(m)).isEqualTo(Mbuf.MCLBYTES);
        assertThat(mb.refCount(m)).isEqualTo(1);
        assertThat(mb.mtod(m)).isEqualTo(mb.extBuf(m));
        assertThat(mb.trailingSpace(m)).isEqualTo(2048);
        mb.buffer(m).fill((byte) 0x77);
        mb.setLen(m, 2048);
        assertThat(mb.data(m).byteSize()).isEqualTo(2048);
        assertThat(mb.packetZone().getCur()).isEqualTo(1);
        assertThat(mb.mbufZone().getCur()).isZero();
        long plain = mb.m_getcl(Uma.M_WAITOK, Mbuf.MT_DATA, 0);
        assertThat(mb.flags(plain)).isEqualTo(Mbuf.M_EXT);
        assertThat(mb.extType(plain)).isEqualTo(Mbuf.EXT_PACKET);
        mb.m_free(m);
        mb.m_free(plain);
        assertThat(mb.packetZone().getCur()).isZero();
        // The clusters stay with their mbufs in the packet zone's caches.
        ZoneStats p = mb.packetZone().stats();
        assertThat(mb.clusterZone().getCur()).isEqualTo(p.cacheFree() + p.zoneFree()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void mClgetAttachesAClusterOnceOnly() {
        long m = mb.m_gethdr(Uma.M_WAITOK, Mbuf.MT_DATA);
        assertThat(mb.m_clget(m, Uma.M_NOWAIT)).isTrue();
        assertThat(mb.flags(m)).isEqualTo(Mbuf.M_PKTHDR | Mbuf.M_EXT);
        assertThat(mb.extType(m)).isEqualTo(Mbuf.EXT_CLUSTER);
        assertThat(mb.dataOffset(m)).isZero();
        assertThat(mb.refCount(m)).isEqualTo(1);
        assertThat(mb.clusterZone().getCur()).isEqualTo(1);
        assertThatThrownBy(() -> mb.m_clget(m, Uma.M_NOWAIT)).isInstanceOf(IllegalArgumentException.class);
        assertThat(mb.clusterZone().getCur()).isEqualTo(1);
        mb.m_free(m);
        assertThat(mb.clusterZone().getCur()).isZero();
        assertThat(mb.mbufZone().getCur()).isZero();
    }

    @Test
    void mGetjclServesEveryJumboSizeFromItsZone() {
        int[][] cases = {{Mbuf.MJUMPAGESIZE, Mbuf.EXT_JUMBOP}, {Mbuf.MJUM9BYTES, Mbuf.EXT_JUMBO9},
            {Mbuf.MJUM16BYTES, Mbuf.EXT_JUMBO16}};
        List<Zone> zones = List.of(mb.jumbopZone(), mb.jumbo9Zone(), mb.jumbo16Zone());
        for (int i = 0; i < cases.length; i++) {
            long m = mb.m_getjcl(Uma.M_NOWAIT, Mbuf.MT_DATA, Mbuf.M_PKTHDR, cases[i][0]);
            assertThat(mb.extType(m)).isEqualTo(cases[i][1]);
            assertThat(mb.extSize(m)).isEqualTo(cases[i][0]);
            assertThat(mb.trailingSpace(m)).isEqualTo(cases[i][0]);
            assertThat(mb.flags(m)).isEqualTo(Mbuf.M_PKTHDR | Mbuf.M_EXT);
            assertThat(zones.get(i).getCur()).isEqualTo(1);
            assertThat(mb.mbufZone().getCur()).isEqualTo(1);
            mb.m_free(m);
            assertThat(zones.get(i).getCur()).isZero();
        }
        long cl = mb.m_getjcl(Uma.M_NOWAIT, Mbuf.MT_DATA, 0, Mbuf.MCLBYTES);
        assertThat(mb.extType(cl)).isEqualTo(Mbuf.EXT_PACKET);
        mb.m_free(cl);
        assertThatThrownBy(() -> mb.m_getjcl(Uma.M_NOWAIT, Mbuf.MT_DATA, 0, 8192))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(mb.mbufZone().getCur()).isZero();
        long m = mb.m_get(Uma.M_WAITOK, Mbuf.MT_DATA);
        assertThat(mb.m_cljget(m, Uma.M_WAITOK, Mbuf.MJUM9BYTES)).isTrue();
        assertThat(mb.extType(m)).isEqualTo(Mbuf.EXT_JUMBO9);
        mb.m_free(m);
        assertThat(mb.jumbo9Zone().getCur()).isZero();
    }

    @Test
    void mGet2PicksTheSmallestStorageThatFits() {
        assertThat(extTypeThenFree(mb.m_get2(Mbuf.MLEN, Uma.M_NOWAIT, Mbuf.MT_DATA, 0))).isZero();
        assertThat(extTypeThenFree(mb.m_get2(Mbuf.MLEN + 1, Uma.M_NOWAIT, Mbuf.MT_DATA, 0)))
                .isEqualTo(Mbuf.EXT_PACKET);
        assertThat(extTypeThenFree(mb.m_get2(Mbuf.MHLEN, Uma.M_NOWAIT, Mbuf.MT_DATA, Mbuf.M_PKTHDR))).isZero();
        assertThat(extTypeThenFree(mb.m_get2(Mbuf.MHLEN + 1, Uma.M_NOWAIT, Mbuf.MT_DATA, Mbuf.M_PKTHDR)))
                .isEqualTo(Mbuf.EXT_PACKET);
        assertThat(extTypeThenFree(mb.m_get2(2048, Uma.M_NOWAIT, Mbuf.MT_DATA, 0))).isEqualTo(Mbuf.EXT_PACKET);
        assertThat(extTypeThenFree(mb.m_get2(2049, Uma.M_NOWAIT, Mbuf.MT_DATA, 0))).isEqualTo(Mbuf.EXT_JUMBOP);
        assertThat(extTypeThenFree(mb.m_get2(4096, Uma.M_NOWAIT, Mbuf.MT_DATA, 0))).isEqualTo(Mbuf.EXT_JUMBOP);
        assertThat(mb.m_get2(4097, Uma.M_NOWAIT, Mbuf.MT_DATA, 0)).isZero();
        assertThat(mb.mbufZone().getCur() + mb.packetZone().getCur() + mb.jumbopZone().getCur()).isZero();
    }

    @Test
    void mFreeReturnsTheNextMbufAndMFreemFreesAWholeChain() {
        long head = mb.m_gethdr(Uma.M_WAITOK, Mbuf.MT_DATA);
        long second = mb.m_getcl(Uma.M_WAITOK, Mbuf.MT_DATA, 0);
        long third = mb.m_getjcl(Uma.M_WAITOK, Mbuf.MT_DATA, 0, Mbuf.MJUM16BYTES);
        long fourth = mb.m_get(Uma.M_WAITOK, Mbuf.MT_DATA);
        mb.setNext(head, second);
        mb.setNext(second, third);
        mb.setNext(third, fourth);
        mb.setLen(head, 100);
        mb.setLen(second, 2000);
        mb.setLen(third, 9000);
        mb.setLen(fourth, 24);
        assertThat(mb.m_length(head)).isEqualTo(100 + 2000 + 9000 + 24);
        assertThat(mb.m_free(head)).isEqualTo(second);
        assertThat(mb.mbufZone().getCur()).isEqualTo(2);
        long other = mb.m_get(Uma.M_WAITOK, Mbuf.MT_DATA);
        mb.setNextPkt(other, second);
        assertThat(mb.nextPkt(other)).isEqualTo(second);
        mb.m_freem(second);
        mb.m_freem(0);
        assertThat(mb.mbufZone().getCur()).isEqualTo(1);
        assertThat(mb.packetZone().getCur()).isZero();
        assertThat(mb.jumbo16Zone().getCur()).isZero();
        mb.m_free(other);
        assertThat(mb.mbufZone().getCur()).isZero();
    }

    @Test
    void tagsAreMallocedAsMbufTagAndFreedWithTheirPacket() {
        MbufTags tags = mb.tags();
        long m = mb.m_gethdr(Uma.M_WAITOK, Mbuf.MT_DATA);
        long a = tags.m_tag_get(7, 4, Uma.M_WAITOK);
        long b = tags.m_tag_alloc(0xc0ffee, 9, 100, Uma.M_NOWAIT);
        tags.data(a).set(ValueLayout.JAVA_INT, 0, 1234);
        tags.m_tag_prepend(m, a);
        tags.m_tag_prepend(m, b);
        assertThat(tags.m_tag_first(m)).isEqualTo(b);
        assertThat(tags.m_tag_next(b)).isEqualTo(a);
        assertThat(tags.m_tag_locate(m, 0, 7, 0)).isEqualTo(a);
        assertThat(tags.m_tag_locate(m, 0xc0ffee, 9, 0)).isEqualTo(b);
        assertThat(tags.m_tag_locate(m, 0, 9, 0)).isZero();
        assertThat(tags.type(a)).isEqualTo(7);
        assertThat(tags.len(b)).isEqualTo(100);
        assertThat(tags.cookie(b)).isEqualTo(0xc0ffee);
        assertThat(tags.data(a).get(ValueLayout.JAVA_INT, 0)).isEqualTo(1234);
        // 16 + 4 bytes come from malloc-32, 16 + 100 from malloc-128 (netstat -m's "mbuf_tag" bytes).
        assertThat(malloc.stats().get(0).bytes()).isEqualTo(32 + 128);
        tags.m_tag_delete(m, b);
        assertThat(tags.m_tag_first(m)).isEqualTo(a);
        assertThat(malloc.stats().get(0).bytes()).isEqualTo(32);
        long plain = mb.m_get(Uma.M_WAITOK, Mbuf.MT_DATA);
        long c = tags.m_tag_get(1, 0, Uma.M_WAITOK);
        assertThatThrownBy(() -> tags.m_tag_prepend(plain, c)).isInstanceOf(IllegalArgumentException.class);
        tags.m_tag_free(c);
        mb.m_free(plain);
        mb.m_free(m);
        assertThat(malloc.stats().get(0).bytes()).isZero();
        assertThat(malloc.stats().get(0).numfrees()).isEqualTo(3);
    }

    @Test
    void rejectsBadHowTypeFlagsAndSizes() {
        assertThatThrownBy(() -> mb.m_get(0, Mbuf.MT_DATA)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> mb.m_get(Uma.M_WAITOK | Uma.M_ZERO, Mbuf.MT_DATA))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> mb.m_gethdr(Uma.M_WAITOK, 256)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> mb.m_getcl(Uma.M_WAITOK, Mbuf.MT_DATA, Mbuf.M_EXT))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> mb.tags().m_tag_get(1, 70000, Uma.M_WAITOK))
                .isInstanceOf(IllegalArgumentException.class);
        long m = mb.m_get(Uma.M_WAITOK, Mbuf.MT_DATA);
        assertThatThrownBy(() -> mb.m_refcl(m, Uma.M_WAITOK)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> mb.refCount(m)).isInstanceOf(IllegalArgumentException.class);
        mb.m_free(m);
        assertThat(mb.mbufZone().getCur()).isZero();
        Malloc other = Malloc.create(Uma.builder().kmemSize(1L << 20).build());
        other.define("mbuf_tag");
        assertThatThrownBy(() -> Mbufs.create(other)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("malloc type mbuf_tag is already defined");
        assertThat(other.uma().zones()).extracting(Zone::name).noneMatch(n -> n.startsWith("mbuf"));
        other.uma().close();
    }

    private int extTypeThenFree(long m) {
        assertThat(m).isNotZero();
        int t = mb.extType(m);
        mb.m_free(m);
        return t;
    }
}
