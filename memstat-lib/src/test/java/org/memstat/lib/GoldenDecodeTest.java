package org.memstat.lib;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Decodes the committed golden snapshots through {@code dir:} sources and checks every derived field against
 * values computed here by hand from the reference formulas (§3.4, §3.5) and the inputs in {@link GoldenStreams}.
 */
class GoldenDecodeTest {
    private static MemoryTypeList refreshAll(String dir) throws MemstatException {
        MemoryTypeList list = new MemoryTypeList();
        try (SysctlSource s = SysctlSource.parse("dir:" + GoldenStreams.dir(dir))) {
            list.refreshAll(s);
        }
        return list;
    }

    private static MemoryType uma(MemoryTypeList list, String name) {
        return list.find(Allocator.UMA, name).orElseThrow();
    }

    private static MemoryType malloc(MemoryTypeList list, String name) {
        return list.find(Allocator.MALLOC, name).orElseThrow();
    }

    @ParameterizedTest
    @ValueSource(strings = {"le-2cpu", "be-2cpu"})
    void listsUmaZonesInReverseStreamOrderThenMallocTypes(String dir) throws MemstatException {
        assertThat(refreshAll(dir).types()).extracting(MemoryType::name).containsExactly(
                "near_2_64", "clamp", GoldenStreams.NAME_31, "mbuf_packet", "mbuf",
                "temp", GoldenStreams.MALLOC_NAME_31, "devbuf");
    }

    @ParameterizedTest
    @ValueSource(strings = {"le-2cpu", "be-2cpu"})
    void primaryZoneSumsCpusZoneAndKeg(String dir) throws MemstatException {
        MemoryType t = uma(refreshAll(dir), "mbuf");
        assertThat(t.allocator()).isEqualTo(Allocator.UMA);
        assertThat(t.numAllocs()).isEqualTo(1000 + 50 + 20);
        assertThat(t.numFrees()).isEqualTo(900 + 30 + 10);
        assertThat(t.count()).isEqualTo(1070 - 940);
        assertThat(t.size()).isEqualTo(256);
        assertThat(t.rsize()).isEqualTo(256);
        assertThat(t.memAlloced()).isEqualTo(1070 * 256);
        assertThat(t.memFreed()).isEqualTo(940 * 256);
        assertThat(t.bytes()).isEqualTo(1070 * 256 - 940 * 256);
        assertThat(t.countLimit()).isEqualTo(1000);
        assertThat(t.bytesLimit()).isEqualTo(1000 * 256);
        assertThat(t.zoneFree()).isEqualTo(12);
        assertThat(t.kegFree()).isEqualTo(40);
        assertThat(t.free()).isEqualTo(5 + 7 + 12 + 40);
        assertThat(t.failures()).isEqualTo(3);
        assertThat(t.sleeps()).isEqualTo(2);
        assertThat(t.xdomain()).isEqualTo(1);
        assertThat(t.cpuCount()).isEqualTo(2);
        assertThat(t.percpuFree(0)).isEqualTo(5);
        assertThat(t.percpuFree(1)).isEqualTo(7);
        // libmemstat fills no per-CPU alloc fields for UMA.
        assertThat(t.percpuNumAllocs(0)).isZero();
        assertThat(t.percpuNumFrees(1)).isZero();
        assertThat(t.sizeMask()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"le-2cpu", "be-2cpu"})
    void secondaryZoneLeavesTheSharedKegToItsPrimary(String dir) throws MemstatException {
        MemoryType t = uma(refreshAll(dir), "mbuf_packet");
        assertThat(t.kegFree()).isZero();
        assertThat(t.zoneFree()).isEqualTo(100);
        assertThat(t.free()).isEqualTo(64 + 32 + 100);
        assertThat(t.numAllocs()).isEqualTo(5000 + 300 + 100);
        assertThat(t.numFrees()).isEqualTo(4000 + 200 + 50);
        assertThat(t.count()).isEqualTo(5400 - 4250);
        assertThat(t.bytes()).isEqualTo((5400 - 4250) * 256);
        assertThat(t.countLimit()).isZero();
        assertThat(t.bytesLimit()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"le-2cpu", "be-2cpu"})
    void byteslimitWrapsAt32BitsAndA31ByteNameSurvives(String dir) throws MemstatException {
        MemoryType t = uma(refreshAll(dir), GoldenStreams.NAME_31);
        assertThat(t.name()).hasSize(31);
        assertThat(t.countLimit()).isEqualTo((1L << 20) + 3);
        // (2^20 + 3) x 4096 = 2^32 + 12288, taken modulo 2^32.
        assertThat(t.bytesLimit()).isEqualTo(12288);
        assertThat(t.count()).isEqualTo(7 - 2);
        assertThat(t.memAlloced()).isEqualTo(7 * 4096);
    }

    @ParameterizedTest
    @ValueSource(strings = {"le-2cpu", "be-2cpu"})
    void allocsBelowFreesAreRaisedToFrees(String dir) throws MemstatException {
        MemoryType t = uma(refreshAll(dir), "clamp");
        // 10 + 1 allocs < 15 frees: numallocs becomes 15 and nothing is in use.
        assertThat(t.numAllocs()).isEqualTo(15);
        assertThat(t.numFrees()).isEqualTo(15);
        assertThat(t.count()).isZero();
        assertThat(t.memAlloced()).isEqualTo(15 * 64);
        assertThat(t.bytes()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"le-2cpu", "be-2cpu"})
    void countersNear2To64KeepUnsignedArithmetic(String dir) throws MemstatException {
        MemoryType t = uma(refreshAll(dir), "near_2_64");
        assertThat(Long.toUnsignedString(t.numAllocs())).isEqualTo("18446744073709551614"); // 2^64-10+5+3
        assertThat(Long.toUnsignedString(t.numFrees())).isEqualTo("18446744073709551606");  // 2^64-20+4+6
        assertThat(t.count()).isEqualTo(8);
        assertThat(Long.toUnsignedString(t.memAlloced())).isEqualTo("18446744073709551584"); // (2^64-2)x16 mod 2^64
        assertThat(Long.toUnsignedString(t.memFreed())).isEqualTo("18446744073709551456");   // (2^64-10)x16 mod 2^64
        assertThat(t.bytes()).isEqualTo(8 * 16);
        assertThat(Long.toUnsignedString(t.failures())).isEqualTo("18446744073709551615");
        assertThat(Long.toUnsignedString(t.sleeps())).isEqualTo("9223372036854775808");
        assertThat(t.xdomain()).isEqualTo(Long.MAX_VALUE);
        assertThat(t.kegFree()).isEqualTo(4294967280L);
        assertThat(t.zoneFree()).isEqualTo(2147483648L);
        assertThat(t.free()).isEqualTo(4294967280L + 2147483648L);
    }

    @ParameterizedTest
    @ValueSource(strings = {"le-2cpu", "be-2cpu"})
    void mallocTypesSumCpusAndOrTheirSizeMasks(String dir) throws MemstatException {
        MemoryType t = malloc(refreshAll(dir), "devbuf");
        assertThat(t.memAlloced()).isEqualTo(4096 + 2048);
        assertThat(t.memFreed()).isEqualTo(1024);
        assertThat(t.numAllocs()).isEqualTo(13);
        assertThat(t.numFrees()).isEqualTo(4);
        assertThat(t.bytes()).isEqualTo(6144 - 1024);
        assertThat(t.count()).isEqualTo(9);
        assertThat(t.sizeMask()).isEqualTo(0x81 | 0x20);
        assertThat(t.mallocZoneUsed(0)).isTrue();
        assertThat(t.mallocZoneUsed(5)).isTrue();
        assertThat(t.mallocZoneUsed(7)).isTrue();
        assertThat(t.mallocZoneUsed(6)).isFalse();
        assertThat(t.percpuMemAlloced(1)).isEqualTo(2048);
        assertThat(t.percpuMemFreed(0)).isEqualTo(1024);
        assertThat(t.percpuNumAllocs(0)).isEqualTo(10);
        assertThat(t.percpuNumFrees(0)).isEqualTo(4);
        assertThat(t.percpuSizeMask(0)).isEqualTo(0x81);
        assertThat(t.percpuFree(0)).isZero();
        assertThat(t.size()).isZero();
        assertThat(t.free()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"le-2cpu", "be-2cpu"})
    void mallocHasNoClampAndKeepsBit63(String dir) throws MemstatException {
        MemoryTypeList list = refreshAll(dir);
        MemoryType temp = malloc(list, "temp");
        assertThat(temp.count()).isEqualTo(1 - 3);
        assertThat(temp.bytes()).isEqualTo(16 - 48);
        assertThat(temp.sizeMask()).isEqualTo(Long.MIN_VALUE);
        assertThat(temp.mallocZoneUsed(63)).isTrue();
        MemoryType named = malloc(list, GoldenStreams.MALLOC_NAME_31);
        assertThat(named.name()).hasSize(31);
        assertThat(named.sizeMask()).isEqualTo(0x2000);
        assertThat(named.memAlloced()).isEqualTo(65536);
    }

    @Test
    void snapshotWithoutTableFilesGetsFreeBsdsCurrentMallocZones() throws MemstatException {
        MemoryTypeList list = refreshAll("le-2cpu");
        assertThat(list.mallocZoneCount()).isEqualTo(14);
        assertThat(List.of(list.mallocZoneSize(4), list.mallocZoneSize(5), list.mallocZoneSize(6),
                list.mallocZoneSize(13), list.mallocZoneSize(14), list.mallocZoneSize(32)))
                .containsExactly(256L, 384L, 512L, 65536L, 0L, -1L);
    }

    @Test
    void bigEndianSnapshotReadsItsTextAndRawTableFiles() throws MemstatException {
        MemoryTypeList list = refreshAll("be-2cpu");
        assertThat(list.mallocZoneCount()).isEqualTo(13);
        assertThat(List.of(list.mallocZoneSize(0), list.mallocZoneSize(5), list.mallocZoneSize(12)))
                .containsExactly(16L, 512L, 65536L);
    }

    @Test
    void oneCpuSnapshot() throws MemstatException {
        MemoryTypeList list = refreshAll("le-1cpu");
        assertThat(list.types()).extracting(MemoryType::name)
                .containsExactly("64 Bucket", "UMA Zones", "UMA Kegs", "temp");
        MemoryType kegs = uma(list, "UMA Kegs");
        assertThat(List.of(kegs.size(), kegs.countLimit(), kegs.count(), kegs.free(), kegs.numAllocs()))
                .containsExactly(384L, 0L, 99L, 1L, 99L);
        MemoryType bucket = uma(list, "64 Bucket");
        assertThat(List.of(bucket.numAllocs(), bucket.numFrees(), bucket.count(), bucket.free(), bucket.failures()))
                .containsExactly(10L, 4L, 6L, 2L + 6L, 1L);
        MemoryType temp = malloc(list, "temp");
        assertThat(List.of(temp.bytes(), temp.count(), temp.sizeMask())).containsExactly(512L, 2L, 7L);
        assertThat(temp.cpuCount()).isEqualTo(1);
    }

    @Test
    void sixtyFourCpuSnapshot() throws MemstatException {
        MemoryTypeList list = refreshAll("le-64cpu");
        MemoryType cluster = uma(list, "mbuf_cluster");
        assertThat(cluster.cpuCount()).isEqualTo(64);
        // vmstat -z's example row: mbuf_cluster: 2048, 252563, 3072, 1016, 3072
        assertThat(List.of(cluster.size(), cluster.countLimit(), cluster.count(), cluster.free(),
                cluster.numAllocs())).containsExactly(2048L, 252563L, 3072L, 1016L, 3072L);
        assertThat(cluster.bytesLimit()).isEqualTo(252563L * 2048);
        assertThat(List.of(cluster.percpuFree(0), cluster.percpuFree(31), cluster.percpuFree(63),
                cluster.percpuFree(1))).containsExactly(8L, 4L, 4L, 0L);
        MemoryType jumbo = uma(list, "mbuf_jumbo_page");
        assertThat(jumbo.numAllocs()).isEqualTo(63 * 64 / 2);
        assertThat(jumbo.count()).isEqualTo(63 * 64 / 2 - 16);
        assertThat(jumbo.free()).isEqualTo(64);
        MemoryType tag = malloc(list, "mbuf_tag");
        assertThat(tag.cpuCount()).isEqualTo(64);
        assertThat(List.of(tag.memAlloced(), tag.memFreed(), tag.count(), tag.sizeMask(), tag.percpuNumAllocs(63)))
                .containsExactly(384L, 192L, 6L, 6L, 0L);
    }
}
