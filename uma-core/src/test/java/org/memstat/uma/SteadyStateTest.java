package org.memstat.uma;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Memory goes back by itself and caches stay bounded: the trim tick ({@link Uma#tick()}, driven directly so
 * nothing depends on timing, and once through the real thread with a short interval), the idle hand-over of
 * parked threads' caches, and the bound on cached items per zone.
 */
class SteadyStateTest {
    private static final int ITEM = 256;

    private static Uma quiet(long kmem, int cpus) {
        return Uma.builder().kmemSize(kmem).maxCpus(cpus).trimInterval(Duration.ZERO).build();
    }

    private static long[] allocMany(Zone z, int n) {
        long[] items = new long[n];
        for (int i = 0; i < n; i++) {
            items[i] = z.alloc(Uma.M_WAITOK);
        }
        return items;
    }

    private static void freeAll(Zone z, long[] items) {
        for (long item : items) {
            z.free(item);
        }
    }

    /** Starts {@code n} platform threads that run {@code work}, then park until {@code release} opens. */
    private static List<Thread> parked(int n, Runnable work, CountDownLatch ready, CountDownLatch release) {
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            threads.add(Thread.ofPlatform().start(() -> {
                work.run();
                ready.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        return threads;
    }

    @Test
    void aFreedBurstGoesBackWithinThreeTicksWithoutAnyCall() {
        try (Uma uma = quiet(256L << 20, 2)) {
            Zone z = uma.zcreate("burst", ITEM, null, null, null, null, Uma.ALIGN_PTR, 0);
            long baseline = uma.pagesInUse();
            freeAll(z, allocMany(z, 200_000));
            long burst = uma.pagesInUse() - baseline;
            assertThat(burst).isGreaterThan(200_000L * ITEM / uma.pageSize());
            for (int tick = 0; tick < 3; tick++) {
                uma.tick();
            }
            assertThat(uma.pagesInUse() - baseline).as("pages above the baseline after three ticks")
                    .isLessThan(burst / 10);
            assertThat(z.stats().used()).isZero();
        }
    }

    @Test
    @Timeout(30)
    void theTrimThreadGivesABurstBackOnItsOwn() {
        try (Uma uma = Uma.builder().kmemSize(128L << 20).maxCpus(2).trimInterval(Duration.ofMillis(20)).build()) {
            Zone z = uma.zcreate("burst", ITEM, null, null, null, null, Uma.ALIGN_PTR, 0);
            long baseline = uma.pagesInUse();
            freeAll(z, allocMany(z, 100_000));
            long burst = uma.pagesInUse() - baseline;
            // Waiting for a condition the trim thread brings about, not for a time: the bound is a timeout only.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (uma.pagesInUse() - baseline >= burst / 10 && System.nanoTime() < deadline) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
            }
            assertThat(uma.pagesInUse() - baseline).isLessThan(burst / 10);
        }
    }

    @Test
    void theTrimThreadIsADaemonAndStopsAtClose() {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        Uma uma = Uma.builder().kmemSize(16L << 20).trimInterval(Duration.ofMillis(10)).build();
        List<Thread> mine = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("uma-timeout") && !before.contains(t)).toList();
        assertThat(mine).hasSize(1);
        assertThat(mine.get(0).isDaemon()).isTrue();
        uma.close();
        assertThat(mine.get(0).isAlive()).as("close() stops and joins it").isFalse();
        try (Uma off = Uma.builder().kmemSize(16L << 20).trimInterval(Duration.ZERO).build()) {
            assertThat(off.isClosed()).isFalse();
            assertThat(Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().equals("uma-timeout") && !before.contains(t))).isEmpty();
        }
    }

    @Test
    void aParkedThreadsCacheIsHandedOverAtTheSecondIdleTick() throws Exception {
        try (Uma uma = quiet(64L << 20, 2)) {
            Zone z = uma.zcreate("idle", ITEM, null, null, null, null, Uma.ALIGN_PTR, 0);
            CountDownLatch ready = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            List<Thread> t = parked(1, () -> freeAll(z, allocMany(z, 500)), ready, release);
            ready.await();
            assertThat(z.stats().cacheFree()).isPositive();
            long allocs = z.stats().totalAllocs();
            uma.tick();
            assertThat(z.stats().cacheFree()).as("one idle tick: only noted").isPositive();
            uma.tick();
            assertThat(z.stats().cacheFree()).as("idle for a whole interval: handed over").isZero();
            assertThat(t.get(0).isAlive()).isTrue();
            assertThat(z.stats().totalAllocs()).isEqualTo(allocs);
            release.countDown();
            t.get(0).join();
            // A busy thread keeps its cache through any number of ticks.
            long[] held = allocMany(z, 100);
            uma.tick();
            z.free(z.alloc(Uma.M_WAITOK));
            uma.tick();
            assertThat(z.stats().cacheFree()).isPositive();
            freeAll(z, held);
            assertThat(z.stats().used()).isZero();
        }
    }

    @Test
    @Timeout(60)
    void parkedThreadsStrandNoMemoryAnotherZoneNeeds() throws Exception {
        long kmem = 48L << 20;
        try (Uma uma = quiet(kmem, 2)) {
            List<Zone> zones = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                zones.add(uma.zcreate("z" + i, 256 << (i % 4), null, null, null, null, Uma.ALIGN_PTR, 0));
            }
            CountDownLatch ready = new CountDownLatch(256);
            CountDownLatch release = new CountDownLatch(1);
            List<Thread> threads = parked(256, () -> {
                for (Zone z : zones) {
                    freeAll(z, allocMany(z, 40));
                }
            }, ready, release);
            ready.await();
            Zone pages = uma.zcreate("page", 4096, null, null, null, null, Uma.ALIGN_PTR, 0);
            List<Long> got = new ArrayList<>();
            long item;
            while ((item = pages.alloc(Uma.M_NOWAIT)) != 0) {
                got.add(item);
            }
            // Running out drains the depots and revokes every cache not in use, parked owners' included.
            assertThat(threads).allMatch(Thread::isAlive);
            assertThat((long) got.size() * 4096).as("bytes the 4 KiB zone got of %d", kmem)
                    .isGreaterThan(kmem * 9 / 10);
            for (Zone z : zones) {
                assertThat(z.stats().cacheFree() + z.stats().zoneFree()).as(z.name()).isZero();
            }
            // And an M_WAITOK allocation does not wait forever: a free lets it through.
            pages.free(got.remove(got.size() - 1));
            assertThat(pages.alloc(Uma.M_WAITOK)).isNotZero();
            release.countDown();
            for (Thread t : threads) {
                t.join();
            }
        }
    }

    @Test
    void cachedFreeItemsPerZoneAreBoundedByTheCpuCountNotTheThreadCount() throws Exception {
        int cpus = 2;
        for (int threads : new int[] {2, 64}) {
            try (Uma uma = quiet(256L << 20, cpus)) {
                Zone z = uma.zcreate("bound", ITEM, null, null, null, null, Uma.ALIGN_PTR, 0);
                CountDownLatch ready = new CountDownLatch(threads);
                CountDownLatch release = new CountDownLatch(1);
                List<Thread> ts = parked(threads, () -> freeAll(z, allocMany(z, 300)), ready, release);
                ready.await();
                // Leased caches (maxCpus) and shared caches (maxCpus) hold at most two buckets each.
                long bound = 4L * cpus * z.sizing.max();
                assertThat(z.stats().cacheFree()).as("%d threads", threads).isLessThanOrEqualTo(bound);
                release.countDown();
                for (Thread t : ts) {
                    t.join();
                }
            }
        }
    }

    @Test
    void contentionGrowthOfTheBucketSizeDecaysAtTicks() {
        try (Uma uma = quiet(64L << 20, 2)) {
            Zone z = uma.zcreate("decay", ITEM, null, null, null, null, Uma.ALIGN_PTR, 0);
            freeAll(z, allocMany(z, 2000));
            int floor = Bucket.select(ITEM);
            assertThat(z.sizing.current()).as("slow start reached the floor").isEqualTo(floor);
            for (int i = 0; i < 50; i++) {
                z.sizing.contended();
            }
            assertThat(z.sizing.current()).isEqualTo(floor + 50);
            for (int i = 0; i < 8; i++) {
                uma.tick();
            }
            assertThat(z.sizing.current()).isEqualTo(floor);
        }
    }

    @Test
    void aFreshZoneImportsOnlyWhatItsFirstAllocationNeeds() {
        try (Uma uma = quiet(64L << 20, 2)) {
            Zone z = uma.zcreate("fresh", ITEM, null, null, null, null, Uma.ALIGN_PTR, 0);
            long a = z.alloc(Uma.M_WAITOK);
            assertThat(z.stats().cacheFree()).isZero();
            assertThat(z.keg.pages()).isEqualTo(z.keg.ppera);
            z.free(a);
        }
    }
}
