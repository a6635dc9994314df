package org.memstat.uma;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ZoneLifecycleTest {
    private final List<String> console = new CopyOnWriteArrayList<>();
    private final Uma uma = Uma.builder().kmemSize(64L << 20).maxCpus(2).console(console::add).build();

    @AfterEach
    void close() {
        uma.close();
    }

    private List<String> userZoneNames() {
        return uma.zones().stream().map(Zone::name).filter(n -> !n.endsWith(" Bucket")).toList();
    }

    @Test
    void enumeratesZonesNewestKegFirstWithSecondariesAfterTheirPrimary() {
        Zone mbuf = uma.zcreate("mbuf", 256, null, null, null, null, 255, Uma.ZONE_MAXBUCKET);
        uma.zcreate("mbuf_cluster", 2048, null, null, null, null, Uma.ALIGN_PTR, 0);
        uma.zsecondCreate("mbuf_packet", null, null, null, null, mbuf);
        uma.zsecondCreate("mbuf_other", null, null, null, null, mbuf);
        uma.zcreate("newest", 64, null, null, null, null, Uma.ALIGN_PTR, 0);
        assertThat(userZoneNames()).containsExactly("newest", "mbuf_cluster", "mbuf", "mbuf_packet", "mbuf_other");
        List<String> all = uma.zones().stream().map(Zone::name).toList();
        assertThat(all.subList(all.size() - 8, all.size())).containsExactly("256 Bucket", "128 Bucket",
                "64 Bucket", "32 Bucket", "16 Bucket", "8 Bucket", "4 Bucket", "2 Bucket");
    }

    @Test
    void secondaryZoneSharesTheKegAndOnlyThePrimaryIsNotFlaggedSecondary() {
        Zone mbuf = uma.zcreate("mbuf", 256, null, null, null, null, 255, 0);
        Zone packet = uma.zsecondCreate("mbuf_packet", null, null, null, null, mbuf);
        assertThat(packet.keg).isSameAs(mbuf.keg);
        assertThat(packet.flags() & Uma.ZONE_SECONDARY).isNotZero();
        long p = packet.alloc(Uma.M_WAITOK);
        long m = mbuf.alloc(Uma.M_WAITOK);
        ZoneStats ps = packet.stats();
        ZoneStats ms = mbuf.stats();
        assertThat(ps.secondary()).isTrue();
        assertThat(ms.secondary()).isFalse();
        assertThat(ps.kegFree()).isEqualTo(ms.kegFree());
        assertThat(ps.size()).isEqualTo(256);
        assertThat(ps.align()).isEqualTo(255);
        packet.free(p);
        mbuf.free(m);
    }

    @Test
    void destroyingAnEmptyZoneIsQuiet() {
        Zone z = uma.zcreate("quiet", 128, null, null, null, null, Uma.ALIGN_PTR, 0);
        long a = z.alloc(Uma.M_WAITOK);
        z.free(a);
        z.destroy();
        assertThat(console).isEmpty();
        assertThat(userZoneNames()).doesNotContain("quiet");
        assertThatThrownBy(() -> z.alloc(Uma.M_WAITOK)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("destroyed");
        assertThatThrownBy(z::destroy).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void destroyingAZoneWithItemsInUseReportsTheLeakAndReleasesTheRest() {
        Zone z = uma.zcreate("leaky", 1024, null, null, null, null, Uma.ALIGN_PTR, 0);
        int ipers = z.keg.ipers;
        long[] items = new long[ipers * 3];
        for (int i = 0; i < items.length; i++) {
            items[i] = z.alloc(Uma.M_WAITOK);
        }
        for (int i = 1; i < items.length; i++) {
            z.free(items[i]);
        }
        long before = uma.pagesInUse();
        z.destroy();
        assertThat(console).containsExactly("Freed UMA keg (leaky) was not empty (1 items).  Lost "
                + z.keg.ppera + " pages of memory.");
        assertThat(uma.pagesInUse()).isLessThan(before);
    }

    @Test
    void zoneNamesMayRepeat() {
        Zone a = uma.zcreate("twin", 64, null, null, null, null, Uma.ALIGN_PTR, 0);
        Zone b = uma.zcreate("twin", 64, null, null, null, null, Uma.ALIGN_PTR, 0);
        assertThat(a).isNotSameAs(b);
        assertThat(userZoneNames()).containsExactly("twin", "twin");
        a.destroy();
        assertThat(userZoneNames()).containsExactly("twin");
        assertThat(uma.zones()).contains(b);
    }

    @Test
    void primaryCannotBeDestroyedBeforeItsSecondaries() {
        Zone mbuf = uma.zcreate("mbuf", 256, null, null, null, null, Uma.ALIGN_PTR, 0);
        Zone packet = uma.zsecondCreate("mbuf_packet", null, null, null, null, mbuf);
        assertThatThrownBy(mbuf::destroy).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("secondary");
        packet.destroy();
        mbuf.destroy();
        assertThat(userZoneNames()).isEmpty();
        assertThat(console).isEmpty();
    }

    @Test
    void refcountedZoneKeepsACountPerItemOutOfBand() {
        Zone z = uma.zcreate("clusters", 2048, null, null, null, null, Uma.ALIGN_PTR, Uma.ZONE_REFCNT);
        long a = z.alloc(Uma.M_WAITOK);
        long b = z.alloc(Uma.M_WAITOK);
        z.refcntSet(a, 1);
        z.refcntSet(b, 7);
        assertThat(z.refcntAdd(a, 1)).isEqualTo(2);
        assertThat(z.refcntAdd(a, -1)).isEqualTo(1);
        assertThat(z.refcntGet(b)).isEqualTo(7);
        z.segment(a).fill((byte) -1);
        assertThat(z.refcntGet(a)).isEqualTo(1);
        Zone plain = uma.zcreate("plain", 64, null, null, null, null, Uma.ALIGN_PTR, 0);
        long p = plain.alloc(Uma.M_WAITOK);
        assertThatThrownBy(() -> plain.refcntGet(p)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> z.refcntGet(p)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void nofreeKegsKeepTheirSlabsThroughReclaim() {
        Zone z = uma.zcreate("nofree", 512, null, null, null, null, Uma.ALIGN_PTR, Uma.ZONE_NOFREE);
        long a = z.alloc(Uma.M_WAITOK);
        z.free(a);
        long pages = z.stats().pages();
        uma.reclaim(Reclaim.DRAIN_CPU);
        assertThat(z.stats().pages()).isEqualTo(pages).isPositive();
        assertThat(z.stats().kegFree()).isEqualTo(z.keg.itemsCarved());
    }
}
