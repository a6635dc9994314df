package org.memstat.uma;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ZoneAllocTest {
    private final Uma uma = Uma.builder().kmemSize(64L << 20).maxCpus(4).build();

    @AfterEach
    void close() {
        uma.close();
    }

    @Test
    void allocatesDistinctAlignedItemsThatHoldData() {
        Zone z = uma.zcreate("items", 100, null, null, null, null, Uma.ALIGN_CACHE, 0);
        assertThat(z.rsize()).isEqualTo(128);
        Set<Long> seen = new HashSet<>();
        long[] items = new long[1000];
        for (int i = 0; i < items.length; i++) {
            items[i] = z.alloc(Uma.M_WAITOK);
            assertThat(items[i] & 63).isZero();
            assertThat(seen.add(items[i])).isTrue();
            z.segment(items[i]).set(ValueLayout.JAVA_LONG, 0, i);
        }
        for (int i = 0; i < items.length; i++) {
            assertThat(z.segment(items[i]).get(ValueLayout.JAVA_LONG, 0)).isEqualTo(i);
        }
        for (long item : items) {
            z.free(item);
        }
        ZoneStats s = z.stats();
        assertThat(s.totalAllocs()).isEqualTo(1000);
        assertThat(s.totalFrees()).isEqualTo(1000);
        assertThat(s.used()).isZero();
    }

    @Test
    void reusesTheLastFreedItemFirst() {
        Zone z = uma.zcreate("lifo", 256, null, null, null, null, Uma.ALIGN_PTR, 0);
        long a = z.alloc(Uma.M_WAITOK);
        z.free(a);
        assertThat(z.alloc(Uma.M_WAITOK)).isEqualTo(a);
    }

    @Test
    void freeOfZeroDoesNothing() {
        Zone z = uma.zcreate("null", 64, null, null, null, null, Uma.ALIGN_PTR, 0);
        z.free(0);
        assertThat(z.stats().totalFrees()).isZero();
    }

    @Test
    void zeroesItemsWhenAskedWithMZero() {
        Zone z = uma.zcreate("zero", 256, null, null, null, null, Uma.ALIGN_PTR, 0);
        long a = z.alloc(Uma.M_WAITOK);
        z.segment(a).fill((byte) 0x5a);
        z.free(a);
        long b = z.alloc(Uma.M_WAITOK | Uma.M_ZERO);
        assertThat(b).isEqualTo(a);
        MemorySegment seg = z.segment(b);
        for (int i = 0; i < 256; i++) {
            assertThat(seg.get(ValueLayout.JAVA_BYTE, i)).isZero();
        }
    }

    @Test
    void segmentIsBoundedToTheItemSize() {
        Zone z = uma.zcreate("bounded", 48, null, null, null, null, Uma.ALIGN_PTR, 0);
        long a = z.alloc(Uma.M_WAITOK);
        MemorySegment seg = z.segment(a);
        assertThat(seg.byteSize()).isEqualTo(48);
        assertThatThrownBy(() -> seg.get(ValueLayout.JAVA_LONG, 48)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> z.segment(12345L)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void roundsTheItemSizeUpToTheAlignmentMask() {
        assertThat(uma.zcreate("c", 1, null, null, null, null, Uma.ALIGN_CHAR, 0).rsize()).isEqualTo(1);
        assertThat(uma.zcreate("i", 5, null, null, null, null, Uma.ALIGN_INT, 0).rsize()).isEqualTo(8);
        assertThat(uma.zcreate("p", 9, null, null, null, null, Uma.ALIGN_PTR, 0).rsize()).isEqualTo(16);
        assertThatThrownBy(() -> uma.zcreate("bad", 8, null, null, null, null, 6, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> uma.zcreate("bad", 0, null, null, null, null, Uma.ALIGN_PTR, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void choosesSlabsWithLowWasteAndReportsEfficiency() {
        assertThat(uma.zcreate("256", 256, null, null, null, null, Uma.ALIGN_PTR, 0).efficiency()).isEqualTo(100);
        Zone nine = uma.zcreate("9k", 9216, null, null, null, null, Uma.ALIGN_PTR, 0);
        assertThat(nine.keg.ppera).isEqualTo(9);
        assertThat(nine.efficiency()).isEqualTo(100);
        Zone odd = uma.zcreate("odd", 3000, null, null, null, null, Uma.ALIGN_PTR, 0);
        assertThat(odd.efficiency()).isGreaterThanOrEqualTo(90);
    }

    @Test
    void keepsNoBytesInBandAndUnderTwoPercentOfSlabMetadataFor256ByteItems() {
        Zone z = uma.zcreate("meta", 256, null, null, null, null, Uma.ALIGN_PTR, 0);
        // The slabs' metadata alone: samples (a stack each, SamplingTest) would be counted too.
        z.sampler.setRate(0);
        assertThat(z.rsize()).as("no header in the item").isEqualTo(256);
        assertThat(z.keg.ipers * z.rsize()).as("no tail waste").isEqualTo(z.keg.ppera * uma.pageSize());
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long[] items = new long[100_000];
        items[0] = z.alloc(Uma.M_WAITOK);
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 1; i < items.length; i++) {
            items[i] = z.alloc(Uma.M_WAITOK);
        }
        long heap = threads.getCurrentThreadAllocatedBytes() - before;
        long slabBytes = z.stats().pages() * uma.pageSize();
        // Everything the slabs cost on the heap (Slab objects, bitsets, page-table leaves) against their pages.
        assertThat((double) heap / slabBytes).isLessThanOrEqualTo(0.02);
        for (long item : items) {
            z.free(item);
        }
    }

    @Test
    void reportsKegAndCacheStateInStats() {
        Zone z = uma.zcreate("stats", 256, null, null, null, null, Uma.ALIGN_PTR, 0);
        long a = z.alloc(Uma.M_WAITOK);
        ZoneStats s = z.stats();
        assertThat(s.name()).isEqualTo("stats");
        assertThat(s.size()).isEqualTo(256);
        assertThat(s.rsize()).isEqualTo(256);
        assertThat(s.align()).isEqualTo(Uma.ALIGN_PTR);
        assertThat(s.perCpu()).hasSize(4);
        assertThat(s.used()).isEqualTo(1);
        long carved = z.keg.itemsCarved();
        assertThat(s.used() + s.cacheFree() + s.zoneFree() + s.kegFree()).isEqualTo(carved);
        assertThat(s.pages()).isEqualTo((long) z.keg.ppera * (carved / z.keg.ipers));
        z.free(a);
    }
}
