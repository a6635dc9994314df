package org.memstat.uma;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Four threads allocate and free at random (some frees cross threads through a shared queue), stamping every
 * item with its owner and sequence number and re-checking the stamp before the free, with debug checks on.
 * Sized by {@code -Duma.stress.ops} (operations per thread, default 2,000,000; the stress profile uses more).
 */
class SoakTest {
    private static final int THREADS = 4;
    private static final int POOL = 2048;

    record Handoff(Zone zone, long item, long stamp) {
    }

    @Test
    @Timeout(600)
    void fourThreadsChurnWithoutCorruptionOrLostItemsAndGiveEveryPageBack() throws Exception {
        long ops = Long.getLong("uma.stress.ops", 2_000_000L);
        List<String> console = new ArrayList<>();
        try (Uma uma = Uma.builder().kmemSize(512L << 20).maxCpus(THREADS).debug(true)
                .console(console::add).build()) {
            long baseline = uma.pagesInUse();
            Zone small = uma.zcreate("small", 64, null, null, null, null, Uma.ALIGN_PTR, 0);
            Zone mid = uma.zcreate("mid", 256, null, null, null, null, Uma.ALIGN_CACHE, 0);
            Zone midSecond = uma.zsecondCreate("mid_second", null, null, null, null, mid);
            Zone big = uma.zcreate("big", 2048, null, null, null, null, Uma.ALIGN_PTR, 0);
            big.setMax(THREADS * POOL / 2);
            Zone[] zones = {small, mid, midSecond, big};
            ConcurrentLinkedQueue<Handoff> crossing = new ConcurrentLinkedQueue<>();
            AtomicLong corruptions = new AtomicLong();
            List<Throwable> errors = new ArrayList<>();
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int id = t;
                threads.add(Thread.ofPlatform().name("soak-" + t).start(() -> {
                    try {
                        churn(id, ops, zones, crossing, corruptions);
                    } catch (Throwable e) {
                        synchronized (errors) {
                            errors.add(e);
                        }
                    }
                }));
            }
            for (Thread th : threads) {
                th.join();
            }
            assertThat(errors).isEmpty();
            for (Handoff h; (h = crossing.poll()) != null; ) {
                verify(h.zone(), h.item(), h.stamp(), corruptions);
                h.zone().free(h.item());
            }
            assertThat(corruptions.get()).isZero();
            for (Zone z : zones) {
                ZoneStats s = z.stats();
                assertThat(s.used()).as(z.name()).isZero();
                assertThat(s.totalAllocs()).as(z.name()).isEqualTo(s.totalFrees());
            }
            uma.reclaim(Reclaim.DRAIN_CPU);
            for (Zone z : zones) {
                ZoneStats s = z.stats();
                assertThat(s.cacheFree() + s.zoneFree()).as(z.name()).isZero();
            }
            midSecond.destroy();
            for (Zone z : new Zone[] {small, mid, big}) {
                z.destroy();
            }
            uma.reclaim(Reclaim.DRAIN_CPU);
            assertThat(console).isEmpty();
            assertThat(uma.pagesInUse()).isEqualTo(baseline);
        }
    }

    private static void churn(int id, long ops, Zone[] zones, ConcurrentLinkedQueue<Handoff> crossing,
            AtomicLong corruptions) {
        SplittableRandom rnd = new SplittableRandom(1000 + id);
        Zone[] zoneOf = new Zone[POOL];
        long[] items = new long[POOL];
        long[] stamps = new long[POOL];
        int n = 0;
        long seq = 0;
        for (long op = 0; op < ops; op++) {
            int r = rnd.nextInt(100);
            if (n < POOL && (r < 50 || n == 0)) {
                Zone z = zones[rnd.nextInt(zones.length)];
                long item = z.alloc(z.getMax() > 0 ? Uma.M_NOWAIT : Uma.M_WAITOK);
                if (item == 0) {
                    continue;
                }
                long stamp = ((long) id << 48) | ++seq;
                MemorySegment seg = z.segment(item);
                seg.set(ValueLayout.JAVA_LONG_UNALIGNED, 0, stamp);
                seg.set(ValueLayout.JAVA_LONG_UNALIGNED, z.size() - 8, ~stamp);
                zoneOf[n] = z;
                items[n] = item;
                stamps[n] = stamp;
                n++;
            } else if (r < 95) {
                int i = rnd.nextInt(n);
                verify(zoneOf[i], items[i], stamps[i], corruptions);
                if (r < 85) {
                    zoneOf[i].free(items[i]);
                } else {
                    crossing.add(new Handoff(zoneOf[i], items[i], stamps[i]));
                }
                n--;
                zoneOf[i] = zoneOf[n];
                items[i] = items[n];
                stamps[i] = stamps[n];
            } else {
                Handoff h = crossing.poll();
                if (h != null) {
                    verify(h.zone(), h.item(), h.stamp(), corruptions);
                    h.zone().free(h.item());
                }
            }
        }
        for (int i = 0; i < n; i++) {
            verify(zoneOf[i], items[i], stamps[i], corruptions);
            zoneOf[i].free(items[i]);
        }
    }

    private static void verify(Zone z, long item, long stamp, AtomicLong corruptions) {
        MemorySegment seg = z.segment(item);
        if (seg.get(ValueLayout.JAVA_LONG_UNALIGNED, 0) != stamp
                || seg.get(ValueLayout.JAVA_LONG_UNALIGNED, z.size() - 8) != ~stamp) {
            corruptions.incrementAndGet();
        }
    }
}
