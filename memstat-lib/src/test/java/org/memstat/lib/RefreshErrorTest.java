package org.memstat.lib;

import static java.nio.ByteOrder.BIG_ENDIAN;
import static java.nio.ByteOrder.LITTLE_ENDIAN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.memstat.lib.SysctlException.Errno;
import org.memstat.lib.StreamEncoder.MallocType;
import org.memstat.lib.StreamEncoder.Zone;

/** libmemstat's error mapping (reference §3.4, §3.5) and the stricter checks (TESTING §7). */
class RefreshErrorTest {
    private static final byte[] ZONES = StreamEncoder.uma(LITTLE_ENDIAN, 2,
            List.of(new Zone("a"), new Zone("b").counts(3, 1, 0, 0, 0)));
    private static final byte[] TYPES = StreamEncoder.malloc(LITTLE_ENDIAN, 2, List.of(new MallocType("m")));

    private static Map<String, byte[]> kernel() {
        return TestSources.kernel(LITTLE_ENDIAN, ZONES, TYPES);
    }

    private static MemstatException refresh(SysctlSource s, boolean malloc) {
        MemoryTypeList list = new MemoryTypeList();
        return catchThrowableOfType(MemstatException.class, () -> {
            if (malloc) {
                list.refreshMalloc(s);
            } else {
                list.refreshUma(s);
            }
        });
    }

    @ParameterizedTest(name = "{0} failing with {1} gives {2}")
    @CsvSource({
        "kern.smp.maxid, EACCES, PERMISSION, false",
        "kern.smp.maxid, EPERM, PERMISSION, false",
        "kern.smp.maxid, ENOENT, DATAERROR, false",
        "kern.smp.maxid, EIO, DATAERROR, false",
        "vm.zone_count, ENOENT, VERSION, false",
        "vm.zone_count, EACCES, PERMISSION, false",
        "vm.zone_stats, ENOENT, VERSION, false",
        "vm.zone_stats, EPERM, PERMISSION, false",
        "vm.zone_stats, ETIMEDOUT, VERSION, false",
        "kern.smp.maxcpus, EACCES, PERMISSION, true",
        "kern.smp.maxcpus, ENOENT, DATAERROR, true",
        "kern.malloc_count, ENOENT, VERSION, true",
        "vm.malloc.zone_count, ENOENT, VERSION, true",
        "vm.malloc.zone_sizes, EACCES, VERSION, true",
        "kern.malloc_stats, EACCES, PERMISSION, true",
        "kern.malloc_stats, EIO, VERSION, true",
    })
    void sourceErrorsMapAsInLibmemstat(String oid, Errno errno, MemstatError expected, boolean malloc) {
        MemstatException e = refresh(new TestSources.Scripted(kernel()).fail(oid, errno, -1), malloc);
        assertThat(e.error()).isEqualTo(expected);
        assertThat(e.oid()).isEqualTo(oid);
        assertThat(e.source()).isEqualTo("scripted:");
        assertThat(e.getMessage()).startsWith(expected.text() + ": " + errno).doesNotContain("\n");
    }

    @Test
    void scalarOfTheWrongSizeIsADataError() {
        Map<String, byte[]> k = kernel();
        k.put("vm.zone_count", new byte[8]);
        assertThat(refresh(SysctlSource.of(k), false).error()).isEqualTo(MemstatError.DATAERROR);
    }

    @Test
    void streamThatKeepsChangingSizeIsRetriedEightTimesThenNoMemory() {
        TestSources.Scripted s = new TestSources.Scripted(kernel()).fail("vm.zone_stats", Errno.ENOMEM, -1);
        MemstatException e = refresh(s, false);
        assertThat(e.error()).isEqualTo(MemstatError.NOMEMORY);
        assertThat(e.strerror()).isEqualTo("Cannot allocate memory");
        assertThat(s.reads("vm.zone_stats")).isEqualTo(8);
        assertThat(s.reads("kern.smp.maxid")).isEqualTo(8);
    }

    @Test
    void streamThatSettlesWithinEightReadsIsParsed() throws MemstatException {
        TestSources.Scripted s = new TestSources.Scripted(kernel()).fail("kern.malloc_stats", Errno.ENOMEM, 7);
        MemoryTypeList list = new MemoryTypeList();
        list.refreshMalloc(s);
        assertThat(s.reads("kern.malloc_stats")).isEqualTo(8);
        assertThat(list.find(Allocator.MALLOC, "m")).isPresent();
    }

    @Test
    void tooManyMallocZonesIsAVersionError() {
        Map<String, byte[]> k = kernel();
        k.put("vm.malloc.zone_count", StreamEncoder.ints(LITTLE_ENDIAN, 33));
        k.put("vm.malloc.zone_sizes", new byte[33 * 4]);
        assertThat(refresh(SysctlSource.of(k), true).error()).isEqualTo(MemstatError.VERSION);
        k.put("vm.malloc.zone_count", StreamEncoder.ints(LITTLE_ENDIAN, 14));
        k.put("vm.malloc.zone_sizes", new byte[13 * 4]);
        MemstatException e = refresh(SysctlSource.of(k), true);
        assertThat(e.error()).isEqualTo(MemstatError.VERSION);
        assertThat(e.oid()).isEqualTo("vm.malloc.zone_sizes");
    }

    @Test
    void emptyValueIsAVersionErrorUnlikeLibmemstat() {
        Map<String, byte[]> k = kernel();
        k.put("vm.zone_stats", new byte[0]);
        assertThat(refresh(SysctlSource.of(k), false).error()).isEqualTo(MemstatError.VERSION);
    }

    private static MemstatException parse(byte[] stream) {
        Map<String, byte[]> k = kernel();
        k.put("vm.zone_stats", stream);
        return refresh(SysctlSource.of(k), false);
    }

    private static byte[] withInt(byte[] stream, int offset, int value) {
        byte[] b = stream.clone();
        ByteBuffer.wrap(b).order(LITTLE_ENDIAN).putInt(offset, value);
        return b;
    }

    @Test
    void versionOtherThanOneInEitherOrderIsAVersionError() {
        MemstatException e = parse(withInt(ZONES, 0, 2));
        assertThat(e.error()).isEqualTo(MemstatError.VERSION);
        assertThat(e.offset()).isZero();
        assertThat(parse(withInt(ZONES, 0, 0x0200_0000)).error()).isEqualTo(MemstatError.VERSION);
    }

    @Test
    void implausibleMaxcpusIsADataError() {
        for (int maxcpus : new int[] {0, 4097, -1}) {
            MemstatException e = parse(withInt(ZONES, 4, maxcpus));
            assertThat(e.error()).as("maxcpus %d", maxcpus).isEqualTo(MemstatError.DATAERROR);
            assertThat(e.offset()).isEqualTo(4);
        }
    }

    @Test
    void countThatDisagreesWithTheLengthIsADataError() {
        MemstatException e = parse(withInt(ZONES, 8, 3));
        assertThat(e.error()).isEqualTo(MemstatError.DATAERROR);
        assertThat(e.offset()).isEqualTo(ZONES.length);
        assertThat(e.detail()).contains("needs 16 + 3 x (120 + 2 x 64) = 760");
        assertThat(parse(withInt(ZONES, 8, -1)).error()).isEqualTo(MemstatError.DATAERROR);
    }

    @Test
    void trailingBytesAreADataError() {
        byte[] longer = java.util.Arrays.copyOf(ZONES, ZONES.length + 1);
        MemstatException e = parse(longer);
        assertThat(e.error()).isEqualTo(MemstatError.DATAERROR);
        assertThat(e.offset()).isEqualTo(ZONES.length);
    }

    @Test
    void unterminatedNameIsADataErrorNamingTheRecord() {
        byte[] b = ZONES.clone();
        int record1 = 16 + 120 + 2 * 64;
        java.util.Arrays.fill(b, record1, record1 + 32, (byte) 'x');
        MemstatException e = parse(b);
        assertThat(e.error()).isEqualTo(MemstatError.DATAERROR);
        assertThat(e.record()).isEqualTo(1);
        assertThat(e.offset()).isEqualTo(record1);
        assertThat(e.getMessage()).isEqualTo("Data format error: name is not NUL-terminated within 32 bytes"
                + " (oid vm.zone_stats, byte 264, record 1, source memory:)");
    }

    @Test
    void bigEndianStreamNeedsBigEndianHeaderFields() throws MemstatException {
        byte[] be = StreamEncoder.uma(BIG_ENDIAN, 2, List.of(new Zone("a")));
        MemoryTypeList list = new MemoryTypeList();
        list.refreshUma(SysctlSource.of(TestSources.kernel(BIG_ENDIAN, be, null)));
        assertThat(list.find(Allocator.UMA, "a")).isPresent();
        // The same header with a little-endian count is inconsistent: 5 << 24 records.
        ByteBuffer.wrap(be).order(LITTLE_ENDIAN).putInt(8, 1);
        assertThat(parse(be).error()).isEqualTo(MemstatError.DATAERROR);
    }

    @Test
    void strerrorTextsAreLibmemstats() {
        assertThat(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 99).stream().map(MemstatError::strerror).toList())
                .containsExactly("Unknown error", "Cannot allocate memory", "Version mismatch", "Permission denied",
                        "Unknown error", "Data format error", "KVM error", "KVM unable to find symbol",
                        "KVM short read", "Unknown error");
    }
}
