package org.memstat.uma;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Random operation chains against a model that knows only which items are live. After every step the
 * allocator must agree with the model; at quiescence its books must balance exactly:
 * {@code allocs - frees == in use} and {@code in use + cached + depot + keg free == items carved}.
 */
class ZoneModelTest {
    private static final int[] SIZES = {16, 100, 256, 1000, 4096};
    private static final int LIMITED = 4;

    enum Kind { ALLOC, ALLOC_NOWAIT, FREE, DRAIN_CPU, TRIM, RECLAIM_ALL }

    record Op(Kind kind, int zone, int pick) {
    }

    /** 1,000 tries by default; {@code -Pstress} or {@code -Duma.model.tries=N} sets how many. */
    @Test
    void allocatorAgreesWithTheModelAndBalancesAtQuiescence() {
        Tries.run(Integer.getInteger("uma.model.tries", 1000), rnd -> checkChain(chain(rnd)));
    }

    /** Up to 200 operations (sometimes none or exactly 200), weighted towards allocations and frees. */
    private static List<Op> chain(SplittableRandom rnd) {
        List<Op> ops = new ArrayList<>();
        for (int i = 0, n = Tries.between(rnd, 0, 200); i < n; i++) {
            int w = rnd.nextInt(98);
            Kind kind = w < 40 ? Kind.ALLOC : w < 50 ? Kind.ALLOC_NOWAIT : w < 90 ? Kind.FREE
                    : w < 93 ? Kind.DRAIN_CPU : w < 96 ? Kind.TRIM : Kind.RECLAIM_ALL;
            ops.add(new Op(kind, Tries.between(rnd, 0, SIZES.length), Tries.between(rnd, 0, Integer.MAX_VALUE)));
        }
        return ops;
    }

    private static void checkChain(List<Op> ops) {
        try (Uma uma = Uma.builder().kmemSize(16L << 20).maxCpus(2).debug(true).build()) {
            List<Zone> zones = new ArrayList<>();
            for (int size : SIZES) {
                zones.add(uma.zcreate("z" + size, size, null, null, null, null, Uma.ALIGN_PTR, 0));
            }
            zones.get(LIMITED).setMax(20);
            // A secondary zone on the first keg, so shared-keg accounting is exercised too.
            zones.add(uma.zsecondCreate("second", null, null, null, null, zones.get(0)));
            List<List<Long>> live = new ArrayList<>();
            zones.forEach(z -> live.add(new ArrayList<>()));
            Map<Long, Long> stamps = new HashMap<>();
            long stamp = 0;
            for (Op op : ops) {
                Zone z = zones.get(op.zone());
                List<Long> mine = live.get(op.zone());
                switch (op.kind()) {
                    case ALLOC, ALLOC_NOWAIT -> {
                        boolean atLimit = op.zone() == LIMITED && mine.size() >= 20;
                        int flags = op.kind() == Kind.ALLOC && !atLimit ? Uma.M_WAITOK : Uma.M_NOWAIT;
                        long item = z.alloc(flags);
                        if (atLimit) {
                            assertThat(item).isZero();
                        } else if (item != 0) {
                            assertThat(stamps).doesNotContainKey(item);
                            z.segment(item).set(ValueLayout.JAVA_LONG, 0, ++stamp);
                            stamps.put(item, stamp);
                            mine.add(item);
                        } else {
                            assertThat(flags).isEqualTo(Uma.M_NOWAIT);
                        }
                    }
                    case FREE -> {
                        if (!mine.isEmpty()) {
                            long item = mine.remove(op.pick() % mine.size());
                            assertThat(z.segment(item).get(ValueLayout.JAVA_LONG, 0)).isEqualTo(stamps.remove(item));
                            z.free(item);
                        }
                    }
                    case DRAIN_CPU -> z.reclaim(Reclaim.DRAIN_CPU);
                    case TRIM -> z.reclaim(Reclaim.TRIM);
                    case RECLAIM_ALL -> uma.reclaim(Reclaim.DRAIN);
                }
                assertThat(z.stats().used()).isEqualTo(mine.size());
            }
            long[] carvedByKeg = new long[zones.size()];
            long[] accountedByKeg = new long[zones.size()];
            for (int i = 0; i < zones.size(); i++) {
                Zone z = zones.get(i);
                ZoneStats s = z.stats();
                assertThat(s.totalAllocs() - s.totalFrees()).isEqualTo(live.get(i).size());
                int keg = i == SIZES.length ? 0 : i;
                carvedByKeg[keg] = z.keg.itemsCarved();
                accountedByKeg[keg] += s.used() + s.cacheFree() + s.zoneFree() + (s.secondary() ? 0 : s.kegFree());
            }
            assertThat(accountedByKeg).isEqualTo(carvedByKeg);
        }
    }
}
