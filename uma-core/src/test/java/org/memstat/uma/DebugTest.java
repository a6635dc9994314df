package org.memstat.uma;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Misuse is caught every time in debug mode (UMA's INVARIANTS checks). */
class DebugTest {
    private static final int TRIALS = 1000;
    private final Uma uma = Uma.builder().kmemSize(64L << 20).maxCpus(2).debug(true).build();
    private final SplittableRandom rnd = new SplittableRandom(20261125);

    @AfterEach
    void close() {
        uma.close();
    }

    private List<Long> live(Zone z, int n) {
        List<Long> items = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            items.add(z.alloc(Uma.M_WAITOK));
        }
        return items;
    }

    @Test
    void detectsEveryDoubleFree() {
        Zone z = uma.zcreate("dbl", 96, null, null, null, null, Uma.ALIGN_PTR, 0);
        List<Long> items = live(z, 500);
        for (int t = 0; t < TRIALS; t++) {
            long victim = items.get(rnd.nextInt(items.size()));
            z.free(victim);
            assertThatThrownBy(() -> z.free(victim)).isInstanceOf(UmaCorruptionException.class)
                    .hasMessageStartingWith("Duplicate free of 0x" + Long.toHexString(victim) + " from zone dbl: slab ")
                    .hasMessageContaining("item index ").hasMessageContaining("offset 0");
            assertThat(z.alloc(Uma.M_WAITOK)).isEqualTo(victim);
        }
    }

    @Test
    void detectsEveryUnalignedFreeAndNamesTheOffset() {
        Zone z = uma.zcreate("unal", 200, null, null, null, null, Uma.ALIGN_PTR, 0);
        List<Long> items = live(z, 300);
        for (int t = 0; t < TRIALS; t++) {
            long item = items.get(rnd.nextInt(items.size()));
            int off = 1 + rnd.nextInt(z.rsize() - 1);
            assertThatThrownBy(() -> z.free(item + off)).isInstanceOf(UmaCorruptionException.class)
                    .hasMessageStartingWith("Unaligned free of 0x" + Long.toHexString(item + off))
                    .hasMessageEndingWith("offset " + off);
        }
        for (long item : items) {
            z.free(item);
        }
        assertThat(z.stats().used()).isZero();
    }

    @Test
    void detectsEveryForeignPointer() {
        Zone z = uma.zcreate("mine", 128, null, null, null, null, Uma.ALIGN_PTR, 0);
        Zone other = uma.zcreate("theirs", 128, null, null, null, null, Uma.ALIGN_PTR, 0);
        List<Long> mine = live(z, 100);
        List<Long> theirs = live(other, 300);
        for (int t = 0; t < TRIALS; t++) {
            long foreign = switch (rnd.nextInt(3)) {
                case 0 -> theirs.get(rnd.nextInt(theirs.size()));
                case 1 -> rnd.nextLong(1, 1L << 40);
                default -> uma.memory().address() + uma.kmemSize() - 4096 + 8L * rnd.nextInt(512);
            };
            assertThatThrownBy(() -> z.free(foreign)).isInstanceOf(UmaCorruptionException.class)
                    .hasMessageStartingWith("Invalid free of 0x" + Long.toHexString(foreign) + " from zone mine");
        }
        mine.forEach(z::free);
        theirs.forEach(other::free);
        assertThat(z.stats().used()).isZero();
        assertThat(other.stats().used()).isZero();
    }

    @Test
    void detectsEveryWriteAfterFreeAtTheNextAllocationOfThatItem() {
        Zone z = uma.zcreate("uaf", 160, null, null, null, null, Uma.ALIGN_PTR, 0);
        List<Long> items = live(z, 200);
        for (int t = 0; t < TRIALS; t++) {
            int idx = rnd.nextInt(items.size());
            long victim = items.get(idx);
            z.free(victim);
            int off = 4 * rnd.nextInt(160 / 4);
            z.segment(victim).set(ValueLayout.JAVA_INT_UNALIGNED, off, rnd.nextInt(1, Integer.MAX_VALUE));
            assertThatThrownBy(() -> z.alloc(Uma.M_WAITOK)).isInstanceOf(UmaCorruptionException.class)
                    .hasMessageStartingWith("Memory modified after free 0x" + Long.toHexString(victim))
                    .hasMessageContaining("zone uaf")
                    .hasMessageContaining("offset " + off);
            // The corrupt item was taken out of circulation; replace it to keep the pool steady.
            items.set(idx, z.alloc(Uma.M_WAITOK));
        }
    }

    @Test
    void detectsWriteAfterFreeWhenTheSlabGoesBackToThePageSource() {
        Zone z = uma.zcreate("late", 512, null, null, null, null, Uma.ALIGN_PTR, 0);
        long a = z.alloc(Uma.M_WAITOK);
        z.free(a);
        z.segment(a).set(ValueLayout.JAVA_INT_UNALIGNED, 64, 7);
        assertThatThrownBy(() -> z.reclaim(Reclaim.DRAIN_CPU)).isInstanceOf(UmaCorruptionException.class)
                .hasMessageContaining("zone late").hasMessageContaining("offset 64");
    }

    @Test
    void freshAndFreedItemsHoldTheTrashPattern() {
        Zone z = uma.zcreate("junk", 64, null, null, null, null, Uma.ALIGN_PTR, 0);
        long a = z.alloc(Uma.M_WAITOK);
        assertThat(z.segment(a).get(ValueLayout.JAVA_INT_UNALIGNED, 0)).isEqualTo(0xdeadc0de);
        z.free(a);
        assertThat(z.segment(a).get(ValueLayout.JAVA_INT_UNALIGNED, 60)).isEqualTo(0xdeadc0de);
    }

    @Test
    void secondaryZonesReturnItemsToATrashedKegRefilled() {
        Zone mbuf = uma.zcreate("mbuf", 256, null, null, null, null, Uma.ALIGN_PTR, 0);
        Zone packet = uma.zsecondCreate("mbuf_packet", null, null, (item, size, flags) -> {
            uma.memory().set(ValueLayout.JAVA_LONG_UNALIGNED, item - uma.memory().address(), 42L);
            return 0;
        }, null, mbuf);
        long p = packet.alloc(Uma.M_WAITOK);
        packet.free(p);
        packet.reclaim(Reclaim.DRAIN_CPU);
        // The packet zone's init wrote into the item; back in the keg it must be junk again for mbuf's check.
        List<Long> all = live(mbuf, 200);
        assertThat(all).contains(p);
        all.forEach(mbuf::free);
    }

    @Test
    void debugModeCountsLikeNormalMode() {
        Zone z = uma.zcreate("counts", 64, (item, size, arg, flags) -> 0, (item, size, arg) -> { }, null, null,
                Uma.ALIGN_PTR, 0);
        List<Long> items = live(z, 1000);
        items.forEach(z::free);
        ZoneStats s = z.stats();
        assertThat(s.totalAllocs()).isEqualTo(1000);
        assertThat(s.totalFrees()).isEqualTo(1000);
    }
}
