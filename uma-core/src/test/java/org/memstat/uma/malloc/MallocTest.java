package org.memstat.uma.malloc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.memstat.uma.Reclaim;
import org.memstat.uma.Uma;
import org.memstat.uma.Zone;

class MallocTest {
    private final Uma uma = Uma.builder().kmemSize(64L << 20).maxCpus(4).build();
    private final Malloc malloc = Malloc.create(uma);

    @AfterEach
    void close() {
        uma.close();
    }

    private static int slot() {
        return (int) (Thread.currentThread().threadId() % 4);
    }

    /** {size requested, usable size, zone index or -1 for large}; the table is current FreeBSD's kmemzones. */
    private static final long[][] BOUNDARIES = {
        {0, 16, 0}, {1, 16, 0}, {16, 16, 0}, {17, 32, 1}, {32, 32, 1}, {33, 64, 2}, {64, 64, 2}, {65, 128, 3},
        {128, 128, 3}, {129, 256, 4}, {256, 256, 4}, {257, 384, 5}, {384, 384, 5}, {385, 512, 6}, {512, 512, 6},
        {513, 1024, 7}, {1024, 1024, 7}, {1025, 2048, 8}, {2048, 2048, 8}, {2049, 4096, 9}, {4096, 4096, 9},
        {4097, 8192, 10}, {8192, 8192, 10}, {8193, 16384, 11}, {16384, 16384, 11}, {16385, 32768, 12},
        {32768, 32768, 12}, {32769, 65536, 13}, {65536, 65536, 13}, {65537, 69632, -1}, {69632, 69632, -1},
        {69633, 73728, -1}, {200000, 200704, -1},
    };

    @Test
    void servesEverySizeFromTheSmallestZoneThatHoldsIt() {
        for (long[] row : BOUNDARIES) {
            MallocType t = malloc.define("size-" + row[0]);
            long p = malloc.malloc(row[0], t, Uma.M_WAITOK);
            assertThat(malloc.usableSize(p)).as("usable size of malloc(%d)", row[0]).isEqualTo(row[1]);
            MallocTypeStats s = stats(t);
            assertThat(s.memalloced()).as("memalloced of malloc(%d)", row[0]).isEqualTo(row[1]);
            assertThat(s.sizemask()).as("size bit of malloc(%d)", row[0]).isEqualTo(row[2] < 0 ? 0 : 1L << row[2]);
            if (row[2] >= 0) {
                Zone z = malloc.zones().get((int) row[2]);
                assertThat(z.name()).isEqualTo("malloc-" + row[1]);
                assertThat(z.getCur()).isEqualTo(1);
            }
            malloc.free(p, t);
        }
        for (Zone z : malloc.zones()) {
            assertThat(z.getCur()).as(z.name()).isZero();
        }
    }

    @Test
    void largeAllocationsAreWholePagesStraightFromThePageSourceAndGoBackOnFree() {
        MallocType t = malloc.define("big");
        long pagesBefore = uma.pagesInUse();
        long p = malloc.malloc(70000, t, Uma.M_WAITOK);
        MemorySegment seg = malloc.segment(p);
        assertThat(seg.byteSize()).isEqualTo(73728);
        seg.fill((byte) 0x5a);
        assertThat(seg.get(ValueLayout.JAVA_BYTE, 73727)).isEqualTo((byte) 0x5a);
        assertThat(uma.pagesInUse()).isEqualTo(pagesBefore + 18);
        long q = malloc.malloc(300_000, t, Uma.M_WAITOK);
        assertThat(malloc.usableSize(q)).isEqualTo(303104);
        assertThat(uma.pagesInUse()).isEqualTo(pagesBefore + 18 + 74);
        assertThat(uma.zones()).extracting(Zone::name).noneMatch(n -> n.startsWith("malloc-large"));
        malloc.free(p, t);
        assertThat(uma.pagesInUse()).isEqualTo(pagesBefore + 74);
        malloc.free(q, t);
        assertThat(uma.pagesInUse()).isEqualTo(pagesBefore);
    }

    @Test
    void countsZoneSizesAndRoundedPagesAsMallocTypeZoneAllocatedDoes() {
        MallocType t = malloc.define("acct");
        long a = malloc.malloc(1, t, Uma.M_WAITOK);
        long b = malloc.malloc(100, t, Uma.M_WAITOK);
        long c = malloc.malloc(300, t, Uma.M_WAITOK);
        long d = malloc.malloc(70000, t, Uma.M_WAITOK);
        malloc.free(b, t);
        MallocTypeStats s = stats(t);
        // 16 + 128 + 384 + round_page(70000) = 16 + 128 + 384 + 73728
        assertThat(s.memalloced()).isEqualTo(74256);
        assertThat(s.numallocs()).isEqualTo(4);
        assertThat(s.memfreed()).isEqualTo(128);
        assertThat(s.numfrees()).isEqualTo(1);
        // malloc-16 is bit 0, malloc-128 bit 3, malloc-384 bit 5; the large allocation sets none
        assertThat(s.sizemask()).isEqualTo(1 | 8 | 32);
        assertThat(s.bytes()).isEqualTo(74256 - 128);
        assertThat(s.count()).isEqualTo(3);
        assertThat(s.perCpu()).hasSize(4);
        assertThat(s.perCpu().get(slot())).isEqualTo(new MallocCpuStats(74256, 128, 4, 1, 41));
        for (int i = 0; i < 4; i++) {
            if (i != slot()) {
                assertThat(s.perCpu().get(i)).isEqualTo(MallocCpuStats.ZERO);
            }
        }
        malloc.free(a, t);
        malloc.free(c, t);
        malloc.free(d, t);
        assertThat(stats(t).bytes()).isZero();
        assertThat(stats(t).memfreed()).isEqualTo(74256);
    }

    @Test
    void aFailedAllocationSetsTheSizeBitButCountsNothing() {
        try (Uma small = Uma.builder().kmemSize(1L << 20).maxCpus(1).build()) {
            Malloc m = Malloc.create(small);
            MallocType filler = m.define("filler");
            List<Long> held = new ArrayList<>();
            for (long p = m.malloc(65536, filler, Uma.M_NOWAIT); p != 0; p = m.malloc(65536, filler, Uma.M_NOWAIT)) {
                held.add(p);
            }
            assertThat(held).isNotEmpty();
            MallocType victim = m.define("victim");
            assertThat(m.malloc(65536, victim, Uma.M_NOWAIT)).isZero();
            assertThat(m.malloc(100_000, victim, Uma.M_NOWAIT)).isZero();
            MallocTypeStats s = m.stats().get(1);
            assertThat(s.name()).isEqualTo("victim");
            assertThat(s.perCpu()).containsExactly(new MallocCpuStats(0, 0, 0, 0, 1L << 13));
            for (long p : held) {
                m.free(p, filler);
            }
        }
    }

    @Test
    void reallocGrowingMovesTheBlockAndKeepsItsContents() {
        MallocType t = malloc.define("grow");
        long p = malloc.malloc(100, t, Uma.M_WAITOK);
        fill(p, 100, 7);
        long q = malloc.realloc(p, 5000, t, Uma.M_WAITOK);
        assertThat(q).isNotEqualTo(p);
        assertThat(malloc.usableSize(q)).isEqualTo(8192);
        assertContents(q, 100, 7);
        long r = malloc.realloc(q, 100_000, t, Uma.M_WAITOK);
        assertContents(r, 100, 7);
        MallocTypeStats s = stats(t);
        assertThat(s.numallocs()).isEqualTo(3);
        assertThat(s.numfrees()).isEqualTo(2);
        assertThat(s.memalloced() - s.memfreed()).isEqualTo(SizeClasses.roundPage(100_000));
        malloc.free(r, t);
    }

    @Test
    void reallocKeepsTheBlockWhenTheNewSizeIsMoreThanHalfOfIt() {
        MallocType t = malloc.define("keep");
        long p = malloc.malloc(1000, t, Uma.M_WAITOK);
        assertThat(malloc.realloc(p, 513, t, Uma.M_WAITOK)).isEqualTo(p);
        assertThat(malloc.realloc(p, 1024, t, Uma.M_WAITOK)).isEqualTo(p);
        long s16 = malloc.malloc(16, t, Uma.M_WAITOK);
        assertThat(malloc.realloc(s16, 1, t, Uma.M_WAITOK)).isEqualTo(s16);
        assertThat(stats(t).numallocs()).isEqualTo(2);
        malloc.free(p, t);
        malloc.free(s16, t);
    }

    @Test
    void reallocShrinkingToHalfOrLessMovesAndKeepsThePrefix() {
        MallocType t = malloc.define("shrink");
        long p = malloc.malloc(4096, t, Uma.M_WAITOK);
        fill(p, 4096, 3);
        long q = malloc.realloc(p, 2048, t, Uma.M_WAITOK);
        assertThat(q).isNotEqualTo(p);
        assertThat(malloc.usableSize(q)).isEqualTo(2048);
        assertContents(q, 2048, 3);
        malloc.free(q, t);
    }

    @Test
    void reallocOfNullIsMallocAndAFailedReallocLeavesTheBlockWhileReallocfFreesIt() {
        try (Uma small = Uma.builder().kmemSize(1L << 20).maxCpus(1).build()) {
            Malloc m = Malloc.create(small);
            MallocType t = m.define("r");
            long p = m.realloc(0, 40, t, Uma.M_NOWAIT);
            assertThat(m.usableSize(p)).isEqualTo(64);
            fillWith(m, p, 40, 9);
            List<Long> held = new ArrayList<>();
            for (long h = m.malloc(65536, t, Uma.M_NOWAIT); h != 0; h = m.malloc(65536, t, Uma.M_NOWAIT)) {
                held.add(h);
            }
            assertThat(m.realloc(p, 65536, t, Uma.M_NOWAIT)).isZero();
            assertThat(m.segment(p).get(ValueLayout.JAVA_BYTE, 39)).isEqualTo((byte) (9 + 39));
            long freesBefore = m.stats().get(0).numfrees();
            assertThat(m.reallocf(p, 65536, t, Uma.M_NOWAIT)).isZero();
            assertThat(m.stats().get(0).numfrees()).isEqualTo(freesBefore + 1);
            for (long h : held) {
                m.free(h, t);
            }
        }
    }

    @Test
    void mZeroClearsTheWholeItemAndZfreeClearsItBeforeFreeing() {
        MallocType t = malloc.define("zero");
        long p = malloc.malloc(64, t, Uma.M_WAITOK);
        malloc.segment(p).fill((byte) 0xab);
        malloc.zfree(p, t);
        // The thread's cache is LIFO, so the same item comes back.
        long q = malloc.malloc(64, t, Uma.M_WAITOK);
        assertThat(q).isEqualTo(p);
        assertThat(malloc.segment(q).toArray(ValueLayout.JAVA_BYTE)).containsOnly((byte) 0);
        malloc.segment(q).fill((byte) 0xcd);
        malloc.free(q, t);
        long r = malloc.malloc(50, t, Uma.M_WAITOK | Uma.M_ZERO);
        assertThat(r).isEqualTo(p);
        assertThat(malloc.segment(r).toArray(ValueLayout.JAVA_BYTE)).hasSize(64).containsOnly((byte) 0);
        malloc.free(r, t);
    }

    @Test
    void rejectsDuplicateEmptyAndOverlongTypeNames() {
        malloc.define("devbuf");
        assertThatThrownBy(() -> malloc.define("devbuf")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("malloc type devbuf is already defined");
        assertThatThrownBy(() -> malloc.define("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> malloc.define("a\0b")).isInstanceOf(IllegalArgumentException.class);
        malloc.define("x".repeat(31));
        assertThatThrownBy(() -> malloc.define("y".repeat(32))).isInstanceOf(IllegalArgumentException.class);
        // 16 two-byte characters are 32 bytes of UTF-8: one too many.
        assertThatThrownBy(() -> malloc.define("é".repeat(16))).isInstanceOf(IllegalArgumentException.class);
        assertThat(malloc.count()).isEqualTo(2);
    }

    @Test
    void statsAreInRegistrationOrderAndTheStreamListsTheNewestTypeFirst() {
        malloc.define("first");
        malloc.define("second");
        malloc.define("third");
        assertThat(malloc.stats()).extracting(MallocTypeStats::name).containsExactly("first", "second", "third");
        assertThat(malloc.streamOrder()).extracting(MallocTypeStats::name)
                .containsExactly("third", "second", "first");
        assertThat(malloc.count()).isEqualTo(3);
        assertThat(malloc.stats().get(0).perCpu()).hasSize(4).containsOnly(MallocCpuStats.ZERO);
    }

    @Test
    void zonesAreFreeBsdsCurrentTableCreatedSmallestFirst() {
        assertThat(malloc.zoneSizes()).containsExactly(16, 32, 64, 128, 256, 384, 512, 1024, 2048, 4096, 8192, 16384,
                32768, 65536);
        List<String> streamNames = uma.zones().stream().map(Zone::name).filter(n -> n.startsWith("malloc-"))
                .toList();
        assertThat(streamNames).containsExactly("malloc-65536", "malloc-32768", "malloc-16384", "malloc-8192",
                "malloc-4096", "malloc-2048", "malloc-1024", "malloc-512", "malloc-384", "malloc-256", "malloc-128",
                "malloc-64", "malloc-32", "malloc-16");
        assertThatThrownBy(() -> Malloc.create(uma)).isInstanceOf(IllegalStateException.class);
        try (Uma tiny = Uma.builder().kmemSize(64 << 10).build()) {
            assertThatThrownBy(() -> Malloc.create(tiny)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("kmem size 65536 is too small for malloc zones");
            assertThat(tiny.zones()).extracting(Zone::name).noneMatch(n -> n.startsWith("malloc-"));
        }
    }

    @Test
    void rejectsBadArgumentsWithoutChangingAnything() {
        MallocType t = malloc.define("args");
        assertThatThrownBy(() -> malloc.malloc(-1, t, Uma.M_WAITOK)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> malloc.malloc(8, t, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> malloc.malloc(8, t, Uma.M_WAITOK | Uma.M_NOWAIT))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> malloc.malloc(8, t, Uma.M_WAITOK | 0x8000))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> malloc.malloc(uma.kmemSize() + 1, t, Uma.M_WAITOK))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(malloc.malloc(uma.kmemSize() + 1, t, Uma.M_NOWAIT)).isZero();
        MallocType foreign;
        try (Uma other = Uma.builder().kmemSize(1L << 20).build()) {
            foreign = Malloc.create(other).define("args");
        }
        assertThatThrownBy(() -> malloc.malloc(8, foreign, Uma.M_WAITOK))
                .isInstanceOf(IllegalArgumentException.class);
        long zone = malloc.zones().get(0).alloc(Uma.M_WAITOK);
        long neverMalloced = uma.zcreate("plain", 4096, null, null, null, null, Uma.ALIGN_PTR, 0)
                .alloc(Uma.M_WAITOK);
        assertThatThrownBy(() -> malloc.free(neverMalloced, t)).isInstanceOf(IllegalArgumentException.class);
        assertThat(stats(t)).isEqualTo(new MallocTypeStats("args", List.of(MallocCpuStats.ZERO,
                MallocCpuStats.ZERO, MallocCpuStats.ZERO, MallocCpuStats.ZERO)));
        malloc.zones().get(0).free(zone);
        malloc.free(0, t);
    }

    private MallocTypeStats stats(MallocType t) {
        return malloc.stats().stream().filter(s -> s.name().equals(t.name())).findFirst().orElseThrow();
    }

    private void fill(long p, int n, int seed) {
        fillWith(malloc, p, n, seed);
    }

    private static void fillWith(Malloc m, long p, int n, int seed) {
        MemorySegment s = m.segment(p);
        for (int i = 0; i < n; i++) {
            s.set(ValueLayout.JAVA_BYTE, i, (byte) (seed + i));
        }
    }

    private void assertContents(long p, int n, int seed) {
        MemorySegment s = malloc.segment(p);
        for (int i = 0; i < n; i++) {
            assertThat(s.get(ValueLayout.JAVA_BYTE, i)).as("byte %d", i).isEqualTo((byte) (seed + i));
        }
    }
}
