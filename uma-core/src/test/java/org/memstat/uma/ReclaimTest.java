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
    void trimKeepsTheWorkingSetEstimateAndReleasesTheRest() {
        Zone z = uma.zcreate("trim", 256, null, null, null, null, Uma.ALIGN_PTR, 0);
        for (long item : allocMany(z, 4000)) {
            z.free(item);
        }
        assertThat(z.stats().zoneFree()).isPositive();
        // The depot only grew: no batch was ever drawn from it, so the very first trim releases all of it.
        z.reclaim(Reclaim.TRIM);
        assertThat(z.stats().zoneFree()).isZero();
        for (long item : allocMany(z, 4000)) {
            z.free(item);
        }
        long full = z.stats().zoneFree();
        // Draw about half of the depot and give it back: a batch of that size is the working set.
        long[] again = allocMany(z, (int) (full / 2));
        long drawn = full - z.stats().zoneFree();
        for (long item : again) {
            z.free(item);
        }
        z.reclaim(Reclaim.TRIM);
        long kept = z.stats().zoneFree();
        int bucket = Bucket.select(256);
        assertThat(kept).isBetween(drawn - bucket, drawn + bucket);
        // Unused since, the estimate decays by a quarter per trim, and the depot with it, down to nothing.
        z.reclaim(Reclaim.TRIM);
        assertThat(z.stats().zoneFree()).isBetween(kept * 3 / 4 - bucket, kept * 3 / 4 + bucket);
        for (int i = 0; i < 40; i++) {
            z.reclaim(Reclaim.TRIM);
        }
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
    void drainCpuTakesTheBucketsOfIdleLiveThreadsAtOnce() throws Exception {
        Zone z = uma.zcreate("live", 128, null, null, null, null, Uma.ALIGN_PTR, 0);
        try (ExecutorService ex = Executors.newSingleThreadExecutor()) {
            ex.submit(() -> {
                for (long item : allocMany(z, 100)) {
                    z.free(item);
                }
            }).get();
            long cached = z.stats().cacheFree();
            assertThat(cached).isPositive();
            long allocs = z.stats().totalAllocs();
            z.reclaim(Reclaim.DRAIN_CPU);
            // The worker is parked in its executor: its buckets were taken without its help.
            assertThat(z.stats().cacheFree()).isZero();
            assertThat(z.stats().zoneFree()).isZero();
            assertThat(z.stats().totalAllocs()).as("its counts stay").isEqualTo(allocs);
            // Its next call finds its view closed, takes the slow path and carries on with fresh buckets.
            ex.submit(() -> z.free(z.alloc(Uma.M_WAITOK))).get();
            ZoneStats s = z.stats();
            assertThat(s.used()).isZero();
            assertThat(s.totalAllocs()).isEqualTo(allocs + 1);
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
        CountDownLatch emptied = new CountDownLatch(1);
        CountDownLatch go = new CountDownLatch(1);
        Thread t = Thread.ofPlatform().start(() -> {
            // Finish the slow start and fill the depot, then empty this thread's buckets, so the next allocation
            // must take a full bucket from the depot (its lock) and nothing else can change the bucket size.
            for (long item : allocMany(z, 2000)) {
                z.free(item);
            }
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
        int initial = z.sizing.current();
        z.depot.lock.lock();
        try {
            go.countDown();
            while (!z.depot.lock.hasQueuedThread(t)) {
                Thread.onSpinWait();
            }
        } finally {
            z.depot.lock.unlock();
        }
        t.join();
        assertThat(z.sizing.current()).isEqualTo(initial + 1);
    }

    @Test
    void maxbucketZonesStartWithTheLargestBuckets() {
        Zone z = uma.zcreate("max", 256, null, null, null, null, Uma.ALIGN_PTR, Uma.ZONE_MAXBUCKET);
        assertThat(z.sizing.current()).isEqualTo(Bucket.MAX);
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
        // Served through a per-thread cache this time: counted by the cache, not by the zone's item path.
        assertThat(vm.stats().allocs()).isEqualTo(1);
        assertThat(vm.stats().totalAllocs()).isEqualTo(2);
        vm.free(a);
        vm.free(c);
    }
}
