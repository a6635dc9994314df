package org.memstat.uma;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The hand-over of caches between their owners and revokers, under stress, with debug checks on: owners churn
 * (stamping every item with their id and a sequence number and checking the stamp before the free, so an item
 * handed to two owners at once is caught), short-lived threads come and go, a revoker runs every reclaim mode
 * and trim ticks as fast as it can, and a reader asserts that lifetime counters never go backwards, per zone
 * and per CPU record. Sized by operations, not time ({@code -Duma.stress.ops}).
 */
class HandOverStressTest {
    private static final int OWNERS = 3;

    @Test
    @Timeout(300)
    void revokersOwnersAndThreadChurnNeverShareAnItemOrLoseACount() throws Exception {
        long ops = Math.max(200_000L, Long.getLong("uma.stress.ops", 2_000_000L) / 4);
        try (Uma uma = Uma.builder().kmemSize(256L << 20).maxCpus(2).debug(true).trimInterval(Duration.ZERO)
                .build()) {
            Zone a = uma.zcreate("a", 128, null, null, null, null, Uma.ALIGN_PTR, 0);
            Zone b = uma.zcreate("b", 1024, null, null, null, null, Uma.ALIGN_PTR, 0);
            Zone[] zones = {a, b};
            List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());
            AtomicBoolean done = new AtomicBoolean();
            AtomicLong corruptions = new AtomicLong();
            List<Thread> owners = new ArrayList<>();
            for (int i = 0; i < OWNERS; i++) {
                int id = i + 1;
                owners.add(Thread.ofPlatform().name("owner-" + id).start(
                        guard(errors, () -> churn(id, ops, zones, corruptions))));
            }
            Thread churners = Thread.ofPlatform().name("churners").start(guard(errors, () -> {
                for (int round = 0; !done.get() && round < 2_000; round++) {
                    int id = 100 + round;
                    Thread t = Thread.ofPlatform().start(guard(errors, () -> churn(id, 300, zones, corruptions)));
                    t.join();
                }
            }));
            Thread revoker = Thread.ofPlatform().name("revoker").start(guard(errors, () -> {
                Reclaim[] modes = Reclaim.values();
                for (int i = 0; !done.get(); i++) {
                    if (i % 4 == 3) {
                        uma.tick();
                    } else {
                        uma.reclaim(modes[i % 3]);
                    }
                }
            }));
            Thread reader = Thread.ofPlatform().name("reader").start(guard(errors, () -> {
                long[][] last = new long[zones.length][];
                while (!done.get()) {
                    for (int z = 0; z < zones.length; z++) {
                        last[z] = monotonic(zones[z], last[z]);
                    }
                }
            }));
            for (Thread t : owners) {
                t.join();
            }
            done.set(true);
            churners.join();
            revoker.join();
            reader.join();
            assertThat(errors).isEmpty();
            assertThat(corruptions.get()).isZero();
            for (Zone z : zones) {
                ZoneStats s = z.stats();
                assertThat(s.used()).as(z.name()).isZero();
                assertThat(s.totalAllocs()).isEqualTo(s.totalFrees());
            }
            uma.reclaim(Reclaim.DRAIN_CPU);
            for (Zone z : zones) {
                assertThat(z.stats().kegFree()).as(z.name()).isEqualTo(z.keg.itemsCarved());
            }
        }
    }

    @Test
    @Timeout(120)
    void aRevokerRacingOneOwnerTakesItsBucketsOnlyBetweenOperations() throws Exception {
        // The protocol under the most pressure one cache can get: one owner in a tight alloc/stamp/free loop,
        // one revoker taking its cache as often as it can (so most revocations meet the owner mid-operation
        // and back off). Debug checks catch an item handed out twice, the stamp an item reused while held; the
        // counts must balance exactly. A revoker without the counter check is caught by the test above, where
        // other threads take what it wrongly gave back.
        int rounds = 20_000;
        try (Uma uma = Uma.builder().kmemSize(64L << 20).maxCpus(2).debug(true).trimInterval(Duration.ZERO)
                .build()) {
            Zone z = uma.zcreate("litmus", 64, null, null, null, null, Uma.ALIGN_PTR, 0);
            List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());
            AtomicBoolean done = new AtomicBoolean();
            AtomicLong corruptions = new AtomicLong();
            AtomicLong taken = new AtomicLong();
            Thread owner = Thread.ofPlatform().start(guard(errors, () -> {
                long[] held = new long[8];
                for (long i = 0; !done.get(); i++) {
                    int k = (int) (i & 7);
                    if (held[k] != 0) {
                        if (z.segment(held[k]).get(ValueLayout.JAVA_LONG_UNALIGNED, 0) != held[k] + i - 8) {
                            corruptions.incrementAndGet();
                        }
                        z.free(held[k]);
                    }
                    held[k] = z.alloc(Uma.M_WAITOK);
                    z.segment(held[k]).set(ValueLayout.JAVA_LONG_UNALIGNED, 0, held[k] + i);
                }
                for (long h : held) {
                    z.free(h);
                }
            }));
            Thread revoker = Thread.ofPlatform().start(guard(errors, () -> {
                for (int r = 0; r < rounds; r++) {
                    taken.addAndGet(z.cacheSet.revoke(true));
                }
                done.set(true);
            }));
            revoker.join();
            owner.join();
            assertThat(errors).isEmpty();
            assertThat(corruptions.get()).isZero();
            assertThat(taken.get()).as("the revoker won some races").isPositive();
            ZoneStats s = z.stats();
            assertThat(s.used()).isZero();
            assertThat(s.totalAllocs()).isEqualTo(s.totalFrees());
        }
    }

    /** Reads a snapshot and checks that no total and no per-CPU counter went down since {@code last}. */
    private static long[] monotonic(Zone z, long[] last) {
        ZoneStats s = z.stats();
        int cpus = s.perCpu().size();
        long[] now = new long[2 + 2 * cpus];
        now[0] = s.totalAllocs();
        now[1] = s.totalFrees();
        for (int i = 0; i < cpus; i++) {
            now[2 + 2 * i] = s.perCpu().get(i).allocs();
            now[3 + 2 * i] = s.perCpu().get(i).frees();
        }
        if (last != null) {
            // Per-CPU records may move into the zone's total only when a thread dies; lifetime totals never drop,
            // and neither does any record, since dead threads' counts stay on their slot.
            for (int i = 0; i < now.length; i++) {
                assertThat(now[i]).as("%s counter %d", z.name(), i).isGreaterThanOrEqualTo(last[i]);
            }
        }
        return now;
    }

    private static void churn(int id, long ops, Zone[] zones, AtomicLong corruptions) {
        SplittableRandom rnd = new SplittableRandom(id);
        ArrayDeque<long[]> held = new ArrayDeque<>();
        long seq = 0;
        for (long i = 0; i < ops; i++) {
            if (held.isEmpty() || (held.size() < 200 && rnd.nextBoolean())) {
                int zi = rnd.nextInt(zones.length);
                Zone z = zones[zi];
                long item = z.alloc(Uma.M_WAITOK);
                long stamp = ((long) id << 40) | ++seq;
                z.segment(item).set(ValueLayout.JAVA_LONG_UNALIGNED, 0, stamp);
                held.push(new long[] {zi, item, stamp});
            } else {
                long[] h = rnd.nextBoolean() ? held.pop() : held.pollLast();
                Zone z = zones[(int) h[0]];
                if (z.segment(h[1]).get(ValueLayout.JAVA_LONG_UNALIGNED, 0) != h[2]) {
                    corruptions.incrementAndGet();
                }
                z.free(h[1]);
            }
        }
        for (long[] h : held) {
            zones[(int) h[0]].free(h[1]);
        }
    }

    interface Body {
        void run() throws Exception;
    }

    private static Runnable guard(List<Throwable> errors, Body body) {
        return () -> {
            try {
                body.run();
            } catch (Throwable e) {
                errors.add(e);
            }
        };
    }
}
