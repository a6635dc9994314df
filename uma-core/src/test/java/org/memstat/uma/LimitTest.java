package org.memstat.uma;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class LimitTest {
    private final List<String> console = new CopyOnWriteArrayList<>();
    private final Uma uma = Uma.builder().kmemSize(64L << 20).maxCpus(2).console(console::add)
            .warningInterval(Duration.ofHours(1)).build();

    @AfterEach
    void close() {
        uma.close();
    }

    @Test
    void nowaitFailsAtTheLimitAndCountsTheFailure() {
        Zone z = uma.zcreate("limited", 256, null, null, null, null, Uma.ALIGN_PTR, 0);
        assertThat(z.setMax(10)).isEqualTo(10);
        assertThat(z.getMax()).isEqualTo(10);
        long[] items = new long[10];
        for (int i = 0; i < 10; i++) {
            items[i] = z.alloc(Uma.M_NOWAIT);
            assertThat(items[i]).isNotZero();
        }
        assertThat(z.alloc(Uma.M_NOWAIT)).isZero();
        assertThat(z.alloc(Uma.M_NOWAIT)).isZero();
        ZoneStats s = z.stats();
        assertThat(s.fails()).isEqualTo(2);
        assertThat(s.limit()).isEqualTo(10);
        assertThat(z.getCur()).isEqualTo(10);
        z.free(items[0]);
        assertThat(z.alloc(Uma.M_NOWAIT)).isNotZero();
    }

    @Test
    void limitCountsItemsHeldInCachesSoNoMoreThanTheLimitIsEverCarvedIntoTheZone() {
        Zone z = uma.zcreate("cached", 64, null, null, null, null, Uma.ALIGN_PTR, 0);
        z.setMax(100);
        long[] items = new long[100];
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 100; i++) {
                items[i] = z.alloc(Uma.M_NOWAIT);
                assertThat(items[i]).isNotZero();
            }
            assertThat(z.alloc(Uma.M_NOWAIT)).isZero();
            for (long item : items) {
                z.free(item);
            }
        }
        assertThat(z.limit.items()).isLessThanOrEqualTo(100);
    }

    @Test
    @Timeout(20)
    void waitokSleepsAtTheLimitUntilAnotherThreadFrees() throws Exception {
        Zone z = uma.zcreate("sleepy", 128, null, null, null, null, Uma.ALIGN_PTR, 0);
        z.setMax(4);
        long[] items = new long[4];
        for (int i = 0; i < 4; i++) {
            items[i] = z.alloc(Uma.M_WAITOK);
        }
        AtomicLong got = new AtomicLong();
        CountDownLatch done = new CountDownLatch(1);
        Thread sleeper = Thread.ofPlatform().start(() -> {
            got.set(z.alloc(Uma.M_WAITOK));
            done.countDown();
        });
        while (z.limit.sleepers() == 0) {
            Thread.onSpinWait();
        }
        assertThat(done.getCount()).isEqualTo(1);
        z.free(items[2]);
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        sleeper.join();
        assertThat(got.get()).isNotZero();
        assertThat(z.stats().sleeps()).isEqualTo(1);
        assertThat(z.stats().fails()).isZero();
    }

    @Test
    void logsTheWarningWhenTheLimitIsHitRateLimited() {
        Zone z = uma.zcreate("warned", 64, null, null, null, null, Uma.ALIGN_PTR, 0);
        z.setMax(1);
        z.setWarning("kern.ipc.nmbclusters limit reached");
        long a = z.alloc(Uma.M_NOWAIT);
        assertThat(a).isNotZero();
        for (int i = 0; i < 5; i++) {
            assertThat(z.alloc(Uma.M_NOWAIT)).isZero();
        }
        assertThat(console).containsExactly("[zone: warned] kern.ipc.nmbclusters limit reached");
    }

    @Test
    void warnsAgainAfterTheIntervalWithAZeroInterval() {
        try (Uma eager = Uma.builder().kmemSize(16L << 20).maxCpus(1).console(console::add)
                .warningInterval(Duration.ZERO).build()) {
            Zone z = eager.zcreate("w", 64, null, null, null, null, Uma.ALIGN_PTR, 0);
            z.setMax(1);
            z.setWarning("full");
            z.alloc(Uma.M_NOWAIT);
            z.alloc(Uma.M_NOWAIT);
            z.alloc(Uma.M_NOWAIT);
            assertThat(console).hasSize(2).allMatch(l -> l.equals("[zone: w] full"));
        }
    }

    @Test
    void setMaxShrinksBucketsSoCachesCannotHoardTheLimit() {
        Zone z = uma.zcreate("small", 256, null, null, null, null, Uma.ALIGN_PTR, 0);
        assertThat(z.sizing.current()).as("slow start").isEqualTo(1);
        z.setMax(40);
        // nb = 2 * maxCpus = 4; 40 / 4 / 2 = 5 items per bucket, set (raised from the slow start), not only capped.
        assertThat(z.sizing.max()).isEqualTo(5);
        assertThat(z.sizing.current()).isEqualTo(5);
        assertThat(z.sizing.bucketMax()).as("the depot gets the rest").isEqualTo(40 - 4 * 5);
        z.setMax(3);
        assertThat(z.sizing.max()).isZero();
        // uma_zone_set_maxcache sets the size outright: a large cache raises buckets beyond bucket_select's.
        Zone raised = uma.zcreate("raised", 256, null, null, null, null, Uma.ALIGN_PTR, 0);
        raised.setMaxCache(1_000_000);
        assertThat(raised.sizing.current()).isEqualTo(Bucket.MAX);
        assertThat(raised.sizing.bucketMax()).isEqualTo(1_000_000 - 4L * Bucket.MAX);
        long a = z.alloc(Uma.M_NOWAIT);
        long b = z.alloc(Uma.M_NOWAIT);
        long c = z.alloc(Uma.M_NOWAIT);
        assertThat(z.alloc(Uma.M_NOWAIT)).isZero();
        z.free(a);
        z.free(b);
        z.free(c);
        assertThat(z.stats().used()).isZero();
    }

    @Test
    void reportsLimitAndMaxPagesInStats() {
        Zone z = uma.zcreate("pages", 2048, null, null, null, null, Uma.ALIGN_PTR, 0);
        z.setMax(100);
        ZoneStats s = z.stats();
        assertThat(s.limit()).isEqualTo(100);
        assertThat(s.maxPages()).isEqualTo(100L / z.keg.ipers * z.keg.ppera);
    }
}
