package org.memstat.uma;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ReclaimTest {
    private final Uma uma = Uma.builder().kmemSize(128L << 20).maxCpus(2).build();

    @AfterEach
    void close() {
        uma.close();
    }

    private static long[] allocMany(Zone z, int n) {
        long[] items = new long[n];
        for (int i = 0; i < n; i++) {
            items[i] = z.alloc(Uma.M_WAITOK);
        }
        return items;
    }

    @Test
    void drainMovesTheDepotBackToTheKegAndFreesEmptySlabs() {
        Zone z = uma.zcreate("drain", 256, null, null, null, null, Uma.ALIGN_PTR, 0);
        long[] items = allocMany(z, 5000);
        for (long item : items) {
            z.free(item);
        }
        ZoneStats before = z.stats();
        assertThat(before.zoneFree()).isPositive();
        z.reclaim(Reclaim.DRAIN);
        ZoneStats after = z.stats();
        assertThat(after.zoneFree()).isZero();
        assertThat(after.cacheFree()).isEqualTo(before.cacheFree());
        assertThat(after.pages()).isLessThan(before.pages());
        z.reclaim(Reclaim.DRAIN_CPU);
        assertThat(z.stats().pages()).isZero();
        assertThat(z.stats().cacheFree()).isZero();
    }

    @Test
    void trimFreesOnlyWhatTheDepotDidNotNeedSinceTheLastTrim() {
        Zone z = uma.zcreate("trim", 256, null, null, null, null, Uma.ALIGN_PTR, 0);
        for (long item : allocMany(z, 4000)) {
            z.free(item);
        }
        long full = z.stats().zoneFree();
        assertThat(full).isPositive();
        z.reclaim(Reclaim.TRIM);
        // No interval measured yet: the first trim only starts the working-set estimate.
        assertThat(z.stats().zoneFree()).isEqualTo(full);
        // Draw about half of the depot, give it back, and trim: only what stayed idle goes.
        long[] again = allocMany(z, (int) (full / 2));
        long lowWater = z.stats().zoneFree();
        for (long item : again) {
            z.free(item);
        }
        z.reclaim(Reclaim.TRIM);
        long kept = z.stats().zoneFree();
        assertThat(kept).isLessThan(full).isGreaterThanOrEqualTo(full - lowWater - Bucket.select(256));
        // Nothing was drawn since: the next trim frees the rest.
        z.reclaim(Reclaim.TRIM);
        assertThat(z.stats().zoneFree()).isZero();
    }

    @Test
    void aThreadThatDiesLeavesNoItemsStranded() throws Exception {
        Zone z = uma.zcreate("dying", 512, null, null, null, null, Uma.ALIGN_PTR, 0);
        Thread t = Thread.ofPlatform().start(() -> {
            long[] items = allocMany(z, 300);
            for (long item : items) {
                z.free(item);
            }
        });
        t.join();
        ZoneStats s = z.stats();
        assertThat(s.cacheFree()).isPositive();
        assertThat(s.totalAllocs()).isEqualTo(300);
        z.reclaim(Reclaim.TRIM);
        ZoneStats after = z.stats();
        assertThat(after.cacheFree()).isZero();
        assertThat(after.totalAllocs()).isEqualTo(300);
        assertThat(after.totalFrees()).isEqualTo(300);
        uma.reclaim(Reclaim.DRAIN);
        assertThat(z.stats().pages()).isZero();
    }

    @Test
    void liveThreadsDrainTheirCachesToTheKegAtTheirNextCallAfterDrainCpu() throws Exception {
        Zone z = uma.zcreate("live", 128, null, null, null, null, Uma.ALIGN_PTR, 0);
        try (ExecutorService ex = Executors.newSingleThreadExecutor()) {
            ex.submit(() -> {
                for (long item : allocMany(z, 100)) {
                    z.free(item);
                }
            }).get();
            long cached = z.stats().cacheFree();
            assertThat(cached).isPositive();
            z.reclaim(Reclaim.DRAIN_CPU);
            assertThat(z.pending).hasSize(1);
            assertThat(z.stats().cacheFree()).as("still counted while pending").isEqualTo(cached);
            long kegFreeBefore = z.stats().kegFree();
            // The worker's next call misses its cache on the fast path and drains it to the keg itself.
            ex.submit(() -> z.free(z.alloc(Uma.M_NOWAIT | Uma.M_NOVM))).get();
            assertThat(z.pending).isEmpty();
            ZoneStats s = z.stats();
            assertThat(s.used()).isZero();
            assertThat(s.kegFree() + s.cacheFree()).isEqualTo(kegFreeBefore + cached);
            assertThat(s.cacheFree() + s.zoneFree() + s.kegFree()).isEqualTo(z.keg.itemsCarved());
        }
    }

    @Test
    void crossThreadFreesKeepCountsExact() throws Exception {
        Zone z = uma.zcreate("xfree", 256, null, null, null, null, Uma.ALIGN_PTR, 0);
        long[] items = allocMany(z, 10_000);
        Thread consumer = Thread.ofPlatform().start(() -> {
            for (long item : items) {
                z.free(item);
            }
        });
        consumer.join();
        ZoneStats s = z.stats();
        assertThat(s.totalAllocs()).isEqualTo(10_000);
        assertThat(s.totalFrees()).isEqualTo(10_000);
        assertThat(s.used()).isZero();
        assertThat(s.cacheFree() + s.zoneFree() + s.kegFree()).isEqualTo(z.keg.itemsCarved());
    }

    @Test
    void virtualThreadsShareLockedSlotsAndKeepCountsExact() throws Exception {
        Zone z = uma.zcreate("virtual", 64, null, null, null, null, Uma.ALIGN_PTR, 0);
        try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < 1000; t++) {
                fs.add(ex.submit(() -> {
                    long[] items = allocMany(z, 50);
                    for (long item : items) {
                        z.segment(item).fill((byte) 1);
                        z.free(item);
                    }
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        }
        ZoneStats s = z.stats();
        assertThat(s.totalAllocs()).isEqualTo(50_000);
        assertThat(s.totalFrees()).isEqualTo(50_000);
        assertThat(s.used()).isZero();
        int owned = 0;
        for (ZoneCache c : z.caches) {
            if (c != null) {
                owned++;
            }
        }
        assertThat(owned).as("virtual threads get no cache of their own").isZero();
    }

    @Test
    void contendedZoneLockGrowsTheBucketSize() throws Exception {
        Zone z = uma.zcreate("grow", 256, null, null, null, null, Uma.ALIGN_PTR, 0);
        int initial = z.bucketSize;
        CountDownLatch emptied = new CountDownLatch(1);
        CountDownLatch go = new CountDownLatch(1);
        Thread t = Thread.ofPlatform().start(() -> {
            // Claim a cache, then empty its buckets so the next allocation must take the zone lock.
            z.alloc(Uma.M_WAITOK);
            long cached = z.stats().cacheFree();
            for (long i = 0; i < cached; i++) {
                z.alloc(Uma.M_WAITOK);
            }
            emptied.countDown();
            try {
                go.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            z.alloc(Uma.M_WAITOK);
        });
        emptied.await();
        z.lock.lock();
        try {
            go.countDown();
            while (!z.lock.hasQueuedThread(t)) {
                Thread.onSpinWait();
            }
        } finally {
            z.lock.unlock();
        }
        t.join();
        assertThat(z.bucketSize).isEqualTo(initial + 1);
    }

    @Test
    void maxbucketZonesStartWithTheLargestBuckets() {
        Zone z = uma.zcreate("max", 256, null, null, null, null, Uma.ALIGN_PTR, Uma.ZONE_MAXBUCKET);
        assertThat(z.bucketSize).isEqualTo(Bucket.MAX);
        long a = z.alloc(Uma.M_WAITOK);
        assertThat(z.stats().cacheFree()).isEqualTo(Bucket.MAX - 1);
        z.free(a);
    }

    @Test
    void vmZonesTakeBucketsOnlyFromCachedBucketMemory() {
        Zone vm = uma.zcreate("vmzone", 256, null, null, null, null, Uma.ALIGN_PTR, Uma.ZONE_VM);
        // No bucket memory is cached yet, so the VM zone works item by item from its keg.
        long a = vm.alloc(Uma.M_WAITOK);
        assertThat(a).isNotZero();
        assertThat(vm.stats().cacheFree()).isZero();
        // Another zone's traffic leaves free bucket memory in the bucket keg; now the VM zone may cache.
        Zone other = uma.zcreate("other", 256, null, null, null, null, Uma.ALIGN_PTR, 0);
        long b = other.alloc(Uma.M_WAITOK);
        other.free(b);
        other.reclaim(Reclaim.DRAIN_CPU);
        long c = vm.alloc(Uma.M_WAITOK);
        assertThat(vm.stats().cacheFree()).isPositive();
        vm.free(a);
        vm.free(c);
    }
}
