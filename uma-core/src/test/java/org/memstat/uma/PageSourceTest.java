package org.memstat.uma;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class PageSourceTest {

    @Test
    void runningOutOfPagesFailsNowaitAllocationsWithoutAnException() {
        try (Uma uma = Uma.builder().kmemSize(1L << 20).maxCpus(1).build()) {
            Zone z = uma.zcreate("big", 16384, null, null, null, null, Uma.ALIGN_PTR, 0);
            List<Long> items = new ArrayList<>();
            long item;
            while ((item = z.alloc(Uma.M_NOWAIT)) != 0) {
                items.add(item);
            }
            assertThat(items.size()).isBetween(50, 64);
            // The bucket import fails, then the single-item retry: FreeBSD counts both.
            assertThat(z.stats().fails()).isEqualTo(2);
            for (long i : items) {
                z.free(i);
            }
            assertThat(z.alloc(Uma.M_NOWAIT)).isNotZero();
        }
    }

    @Test
    @Timeout(20)
    void waitokReclaimsCachedMemoryAndThenWaitsForPages() throws Exception {
        try (Uma uma = Uma.builder().kmemSize(1L << 20).maxCpus(1).build()) {
            Zone a = uma.zcreate("a", 16384, null, null, null, null, Uma.ALIGN_PTR, 0);
            Zone b = uma.zcreate("b", 16384, null, null, null, null, Uma.ALIGN_PTR, 0);
            List<Long> held = new ArrayList<>();
            long item;
            while ((item = a.alloc(Uma.M_NOWAIT)) != 0) {
                held.add(item);
            }
            // Half go back into a's caches and depot: b's M_WAITOK allocation must reclaim them.
            for (int i = 0; i < held.size() / 2; i++) {
                a.free(held.remove(held.size() - 1));
            }
            assertThat(b.alloc(Uma.M_WAITOK)).isNotZero();
            // Now exhaust again and wait: a free from another thread must wake us.
            while ((item = b.alloc(Uma.M_NOWAIT)) != 0) {
                held.add(-item);
            }
            AtomicLong got = new AtomicLong();
            CountDownLatch done = new CountDownLatch(1);
            Thread t = Thread.ofPlatform().start(() -> {
                got.set(b.alloc(Uma.M_WAITOK));
                done.countDown();
            });
            assertThat(done.await(200, TimeUnit.MILLISECONDS)).isFalse();
            for (long h : held) {
                if (h > 0) {
                    a.free(h);
                }
            }
            a.reclaim(Reclaim.DRAIN_CPU);
            assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
            t.join();
            assertThat(got.get()).isNotZero();
        }
    }

    @Test
    void novmAllocationsNeverAskThePageSource() {
        try (Uma uma = Uma.builder().kmemSize(8L << 20).maxCpus(1).build()) {
            Zone z = uma.zcreate("novm", 512, null, null, null, null, Uma.ALIGN_PTR, 0);
            assertThat(z.alloc(Uma.M_NOWAIT | Uma.M_NOVM)).isZero();
            assertThat(z.stats().pages()).isZero();
            long a = z.alloc(Uma.M_WAITOK);
            long b = z.alloc(Uma.M_WAITOK);
            z.free(a);
            // Caches go back to the keg; the slab stays because b still lives in it.
            z.reclaim(Reclaim.DRAIN_CPU);
            assertThat(z.stats().kegFree()).isPositive();
            assertThat(z.alloc(Uma.M_NOWAIT | Uma.M_NOVM)).isNotZero();
            z.free(b);
        }
    }

    @Test
    void everyPageGoesBackAfterDrainAndDestroy() {
        try (Uma uma = Uma.builder().kmemSize(32L << 20).maxCpus(2).build()) {
            long baseline = uma.pagesInUse();
            Zone z = uma.zcreate("churn", 300, null, null, null, null, Uma.ALIGN_PTR, 0);
            List<Long> items = new ArrayList<>();
            for (int i = 0; i < 20_000; i++) {
                items.add(z.alloc(Uma.M_WAITOK));
            }
            assertThat(uma.pagesInUse()).isGreaterThan(baseline);
            items.forEach(z::free);
            z.destroy();
            uma.reclaim(Reclaim.DRAIN_CPU);
            assertThat(uma.pagesInUse()).isEqualTo(baseline);
        }
    }

    @Test
    void reserveIsKeptForUseReserveAllocations() {
        try (Uma uma = Uma.builder().kmemSize(8L << 20).maxCpus(1).build()) {
            Zone z = uma.zcreate("reserved", 4096, null, null, null, null, Uma.ALIGN_PTR, Uma.ZONE_NOFREE);
            z.setMax(0);
            long a = z.alloc(Uma.M_WAITOK);
            z.free(a);
            z.reclaim(Reclaim.DRAIN_CPU);
            z.reserve((int) z.stats().kegFree());
            assertThat(z.alloc(Uma.M_NOWAIT | Uma.M_NOVM)).isZero();
            assertThat(z.alloc(Uma.M_NOWAIT | Uma.M_NOVM | Uma.M_USE_RESERVE)).isNotZero();
        }
    }

    @Test
    void kmemAllocHandsOutZeroedWholePagesAndTakesThemBack() {
        try (Uma uma = Uma.builder().kmemSize(1L << 20).maxCpus(1).build()) {
            long before = uma.pagesInUse();
            long a = uma.kmemAlloc(10_000, Uma.M_WAITOK);
            assertThat(a % uma.pageSize()).isZero();
            assertThat(uma.pagesInUse()).isEqualTo(before + 3);
            java.lang.foreign.MemorySegment seg = uma.memory().asSlice(a - uma.memory().address(), 3 * 4096);
            for (long off = 0; off < seg.byteSize(); off += 8) {
                assertThat(seg.get(java.lang.foreign.ValueLayout.JAVA_LONG, off)).isZero();
            }
            seg.fill((byte) 7);
            uma.kmemFree(a, 10_000);
            assertThat(uma.pagesInUse()).isEqualTo(before);
            long b = uma.kmemAlloc(4096, Uma.M_WAITOK);
            assertThat(uma.memory().get(java.lang.foreign.ValueLayout.JAVA_LONG, b - uma.memory().address()))
                    .as("pages come back zeroed").isZero();
            uma.kmemFree(b, 4096);
            assertThat(uma.kmemAlloc(2L << 20, Uma.M_NOWAIT)).isZero();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> uma.kmemAlloc(2L << 20, Uma.M_WAITOK))
                    .isInstanceOf(IllegalArgumentException.class);
            Zone z = uma.zcreate("slabs", 64, null, null, null, null, Uma.ALIGN_PTR, 0);
            long item = z.alloc(Uma.M_WAITOK);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> uma.kmemFree(item & ~4095L, 4096))
                    .isInstanceOf(IllegalArgumentException.class);
            z.free(item);
        }
    }

    @Test
    void freedSlabsGoBackToTheKernelOneCallPerRunOfAdjacentPages() {
        try (Uma uma = Uma.builder().kmemSize(256L << 20).maxCpus(1).trimInterval(java.time.Duration.ZERO)
                .build()) {
            Zone z = uma.zcreate("batch", 2048, null, null, null, null, Uma.ALIGN_PTR, 0);
            long[] items = new long[50_000];
            for (int i = 0; i < items.length; i++) {
                items[i] = z.alloc(Uma.M_WAITOK);
            }
            long slabs = z.keg.pages() / z.keg.ppera;
            for (long item : items) {
                z.free(item);
            }
            long before = uma.pages.discards();
            uma.reclaim(Reclaim.DRAIN_CPU);
            assertThat(z.keg.pages()).isZero();
            // Tens of thousands of slabs, carved from one stretch of address space: a handful of madvise calls
            // (one per run of adjacent slabs; the bucket zones' slabs add a few), not one per slab.
            assertThat(slabs).isGreaterThan(10_000);
            assertThat(uma.pages.discards() - before).isLessThanOrEqualTo(10);
        }
    }
}
