package org.memstat.uma;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.memstat.uma.sysctl.Errno;

/**
 * Sampling under concurrency: platform and virtual threads allocate and free (some items on other threads) while
 * the rate flips between off, 1 and small values and the streams are read. Invariants: no sample is lost or
 * counted twice (every site's in-use count stays within 0..allocs, and once everything is freed nothing is in use
 * and no page is marked).
 */
class SamplingStressTest {

    @Test
    @Timeout(120)
    void samplesStayConsistentWhileRatesChangeUnderAllocatingThreads() throws Exception {
        try (Uma uma = Uma.builder().kmemSize(256L << 20).maxCpus(2).trimInterval(Duration.ofMillis(5))
                .console(l -> { }).build()) {
            Zone z = uma.zcreate("stress", 192, null, null, null, null, Uma.ALIGN_PTR, 0);
            z.setSampleRate(1);
            ConcurrentLinkedQueue<Long> handoff = new ConcurrentLinkedQueue<>();
            ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
            int workers = 6;
            CountDownLatch done = new CountDownLatch(workers);
            List<Thread> threads = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                Thread.Builder b = w % 2 == 0 ? Thread.ofPlatform() : Thread.ofVirtual();
                threads.add(b.start(() -> {
                    try {
                        long[] held = new long[64];
                        for (int round = 0; round < 3000; round++) {
                            for (int i = 0; i < held.length; i++) {
                                held[i] = z.alloc(Uma.M_WAITOK);
                            }
                            for (int i = 0; i < held.length; i++) {
                                if ((i & 7) == 0) {
                                    handoff.add(held[i]);
                                } else {
                                    z.free(held[i]);
                                }
                            }
                            for (Long other; (other = handoff.poll()) != null; ) {
                                z.free(other);
                            }
                        }
                    } catch (Throwable t) {
                        failures.add(t);
                    } finally {
                        done.countDown();
                    }
                }));
            }
            long[] rates = {0, 1, 512, 4096, 1};
            int flips = 0;
            while (done.getCount() > 0) {
                z.setSampleRate(rates[flips++ % rates.length]);
                ByteBuffer dst = ByteBuffer.allocate(16 << 20);
                assertThat(uma.sysctl().read("vm.zone_samples", dst).errno()).isEqualTo(Errno.OK);
                for (ZoneSampler.SiteView v : z.sampler.sites()) {
                    assertThat(v.inuse()).isBetween(0L, v.allocs());
                }
                Thread.onSpinWait();
            }
            for (Thread t : threads) {
                t.join();
            }
            for (Long other; (other = handoff.poll()) != null; ) {
                z.free(other);
            }
            assertThat(failures).isEmpty();
            assertThat(flips).isPositive();
            assertThat(z.stats().used()).isZero();
            assertThat(z.sampler.liveCount()).isZero();
            assertThat(z.sampler.sites()).allSatisfy(v -> assertThat(v.inuse()).isZero());
            assertThat(z.sampler.sites().stream().mapToLong(ZoneSampler.SiteView::allocs).sum()).isPositive();
            long marked = 0;
            for (char c : uma.marks.counts) {
                marked += c;
            }
            assertThat(marked).isZero();
        }
    }
}
