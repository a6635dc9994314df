package org.memstat.uma;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CallbackTest {
    private final Uma uma = Uma.builder().kmemSize(64L << 20).maxCpus(2).build();

    @AfterEach
    void close() {
        uma.close();
    }

    @Test
    void runsCtorOnEveryAllocAndDtorOnEveryFreeWithTheirArguments() {
        List<String> calls = new ArrayList<>();
        Zone z = uma.zcreate("cd", 64, (item, size, arg, flags) -> {
            calls.add("ctor " + size + " " + arg + " " + flags);
            return 0;
        }, (item, size, arg) -> calls.add("dtor " + size + " " + arg), null, null, Uma.ALIGN_PTR, 0);
        long a = z.allocArg("x", Uma.M_WAITOK);
        z.freeArg(a, "y");
        long b = z.alloc(Uma.M_NOWAIT);
        z.free(b);
        assertThat(calls).containsExactly("ctor 64 x 2", "dtor 64 y", "ctor 64 null 1", "dtor 64 null");
    }

    @Test
    void failingCtorFailsTheAllocationCleanly() {
        AtomicInteger fail = new AtomicInteger(1);
        Zone z = uma.zcreate("badctor", 128, (item, size, arg, flags) -> fail.get() == 1 ? Uma.ENOMEM : 0,
                null, null, null, Uma.ALIGN_PTR, 0);
        assertThat(z.alloc(Uma.M_WAITOK)).isZero();
        assertThat(z.alloc(Uma.M_NOWAIT)).isZero();
        ZoneStats s = z.stats();
        assertThat(s.fails()).isEqualTo(2);
        assertThat(s.used()).isZero();
        // Taken from a cache and counted there, so also counted as freed: counters never go backwards.
        assertThat(s.totalAllocs()).isEqualTo(2);
        assertThat(s.totalFrees()).isEqualTo(2);
        fail.set(0);
        long ok = z.alloc(Uma.M_WAITOK);
        assertThat(ok).isNotZero();
        z.free(ok);
        z.reclaim(Reclaim.DRAIN_CPU);
        assertThat(z.stats().kegFree()).isEqualTo(z.keg.itemsCarved());
        uma.reclaim(Reclaim.DRAIN_CPU);
        assertThat(z.stats().pages()).isZero();
    }

    @Test
    void kegInitRunsOncePerItemWhenSlabsAreCarvedAndFiniWhenTheyAreFreed() {
        Set<Long> inited = new HashSet<>();
        AtomicInteger finis = new AtomicInteger();
        Zone z = uma.zcreate("init", 512, null, null, (item, size, flags) -> {
            assertThat(inited.add(item)).isTrue();
            return 0;
        }, (item, size) -> {
            assertThat(inited.remove(item)).isTrue();
            finis.incrementAndGet();
        }, Uma.ALIGN_PTR, 0);
        long a = z.alloc(Uma.M_WAITOK);
        long carved = z.keg.itemsCarved();
        assertThat(carved).isPositive().isEqualTo(z.stats().pages() / z.keg.ppera * z.keg.ipers);
        assertThat(inited).hasSize((int) carved).contains(a);
        z.free(a);
        long b = z.alloc(Uma.M_WAITOK);
        assertThat(inited).hasSize((int) carved);
        z.free(b);
        z.reclaim(Reclaim.DRAIN_CPU);
        assertThat(finis.get()).isEqualTo(carved);
        assertThat(inited).isEmpty();
    }

    @Test
    void failingInitUndoesItsSlabAndTheSingleItemRetryCarvesAnother() {
        AtomicInteger calls = new AtomicInteger();
        AtomicInteger finis = new AtomicInteger();
        Zone z = uma.zcreate("badinit", 1024, null, null,
                (item, size, flags) -> calls.incrementAndGet() == 3 ? Uma.ENOMEM : 0,
                (item, size) -> finis.incrementAndGet(), Uma.ALIGN_PTR, 0);
        Zone nowait = uma.zcreate("badinit2", 1024, null, null, (item, size, flags) -> Uma.ENOMEM, null,
                Uma.ALIGN_PTR, 0);
        // The bucket import fails on the third init (counted, as zone_alloc_bucket does); the slab is undone and
        // the single-item retry (zone_alloc_item) carves a fresh slab whose inits all succeed.
        long a = z.alloc(Uma.M_WAITOK);
        assertThat(a).isNotZero();
        assertThat(finis.get()).isEqualTo(2);
        assertThat(z.keg.pages()).isEqualTo(z.keg.ppera);
        ZoneStats s = z.stats();
        assertThat(s.fails()).isEqualTo(1);
        assertThat(s.used()).isEqualTo(1);
        z.free(a);
        // When the retry fails too, both failures are counted, and nothing is left behind.
        assertThat(nowait.alloc(Uma.M_NOWAIT)).isZero();
        assertThat(nowait.stats().fails()).isEqualTo(2);
        assertThat(nowait.keg.pages()).isZero();
    }

    @Test
    void zinitZeroFillsItemsWhenTheirSlabIsCarved() {
        Zone z = uma.zcreate("zinit", 200, null, null, null, null, Uma.ALIGN_PTR, Uma.ZONE_ZINIT);
        long a = z.alloc(Uma.M_WAITOK);
        for (int i = 0; i < 200; i += 8) {
            assertThat(z.segment(a).get(ValueLayout.JAVA_LONG_UNALIGNED, i)).isZero();
        }
    }

    @Test
    void secondaryZoneRunsZinitAndZfiniOnKegTransitions() {
        AtomicInteger zinits = new AtomicInteger();
        AtomicInteger zfinis = new AtomicInteger();
        Zone primary = uma.zcreate("prim", 256, null, null, null, null, Uma.ALIGN_PTR, 0);
        Zone second = uma.zsecondCreate("second", null, null, (item, size, flags) -> {
            zinits.incrementAndGet();
            return 0;
        }, (item, size) -> zfinis.incrementAndGet(), primary);
        long a = second.alloc(Uma.M_WAITOK);
        int imported = zinits.get();
        assertThat(imported).isPositive();
        second.free(a);
        assertThat(zfinis.get()).isZero();
        second.reclaim(Reclaim.DRAIN_CPU);
        assertThat(zfinis.get()).isEqualTo(imported);
        long p = primary.alloc(Uma.M_WAITOK);
        assertThat(zinits.get()).isEqualTo(imported);
        primary.free(p);
    }

    @Test
    void failingZinitFailsTheSecondaryAllocationAndReturnsItemsToTheKeg() {
        Zone primary = uma.zcreate("prim2", 256, null, null, null, null, Uma.ALIGN_PTR, 0);
        Zone second = uma.zsecondCreate("second2", null, null, (item, size, flags) -> Uma.ENOMEM, null, primary);
        assertThat(second.alloc(Uma.M_NOWAIT)).isZero();
        // The bucket import and the single-item retry both fail, and both count (zone_alloc_bucket, then
        // zone_alloc_item).
        assertThat(second.stats().fails()).isEqualTo(2);
        assertThat(second.stats().used()).isZero();
        assertThat(primary.stats().kegFree()).isEqualTo(primary.keg.itemsCarved());
        assertThat(second.limit.items()).isZero();
    }

    @Test
    void aFailingZinitStopsTheBucketFillAndOnlyTheFirstInitMaySleep() {
        List<Integer> flagsSeen = new ArrayList<>();
        AtomicInteger calls = new AtomicInteger();
        // MAXBUCKET (inherited by the secondary zone) skips the slow start, so the first fill asks for a bucket.
        Zone primary = uma.zcreate("p3", 256, null, null, null, null, Uma.ALIGN_PTR, Uma.ZONE_MAXBUCKET);
        Zone second = uma.zsecondCreate("s3", null, null, (item, size, flags) -> {
            flagsSeen.add(flags);
            return calls.incrementAndGet() == 4 ? Uma.ENOMEM : 0;
        }, null, primary);
        long a = second.alloc(Uma.M_WAITOK);
        assertThat(a).isNotZero();
        // Items 1-3 initialized, the 4th failed: the fill stopped there instead of trying the whole bucket.
        assertThat(calls.get()).isEqualTo(4);
        assertThat(second.stats().cacheFree()).isEqualTo(2);
        // The item the caller waits for gets its flags; the rest of the fill must not sleep (see fill()).
        assertThat(flagsSeen.get(0)).isEqualTo(Uma.M_WAITOK);
        assertThat(flagsSeen.subList(1, 4)).allMatch(f -> f == Uma.M_NOWAIT);
        assertThat(second.limit.items()).isEqualTo(3);
        second.free(a);
    }
}
