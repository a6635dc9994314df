package org.memstat.lib;

import static java.nio.ByteOrder.BIG_ENDIAN;
import static java.nio.ByteOrder.LITTLE_ENDIAN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.memstat.lib.ProfileEncoder.Peak;
import org.memstat.lib.SysctlException.Errno;

/** {@link ZonePeaks}: decoding {@code vm.zone_peaks} (docs/PROFILES.md), every rejection, and {@code read}. */
class ZonePeaksTest {
    private static final ZonePeaks PEAKS = new ZonePeaks(8 << 20, 6 << 20, List.of(
            new ZonePeak("mbuf", 1 << 20, 700),
            new ZonePeak("dup", 4096, 3),
            new ZonePeak("mbuf_packet", 1 << 20, 650),
            new ZonePeak("dup", 8192, 9)));

    private static byte[] stream() {
        return ProfileEncoder.peaks(LITTLE_ENDIAN, PEAKS);
    }

    private static MemstatException reject(byte[] b) {
        MemstatException e = catchThrowableOfType(MemstatException.class, () -> ZonePeaks.decode(b));
        assertThat(e).as("rejected").isNotNull();
        assertThat(e.oid()).isEqualTo(ZonePeaks.OID);
        assertThat(e.getMessage()).doesNotContain("\n");
        return e;
    }

    private static byte[] withInt(byte[] b, int offset, int value) {
        byte[] c = b.clone();
        ByteBuffer.wrap(c).order(LITTLE_ENDIAN).putInt(offset, value);
        return c;
    }

    @Test
    void layoutOffsetsAreTheSpecsNumbers() {
        assertThat(List.of(PeakStream.H_VERSION, PeakStream.H_NZONES, PeakStream.H_PAGES_PEAK, PeakStream.H_PAGES,
                PeakStream.H_BYTES)).containsExactly(0, 4, 8, 16, 24);
        assertThat(List.of(PeakStream.Z_NAME, PeakStream.Z_KEG_PAGES_PEAK, PeakStream.Z_USED_PEAK,
                PeakStream.Z_BYTES)).containsExactly(0, 32, 40, 48);
    }

    @Test
    void decodesWhatAProducerOfEitherByteOrderWrites() throws MemstatException {
        assertThat(ZonePeaks.decode(stream())).isEqualTo(PEAKS);
        assertThat(ZonePeaks.decode(ProfileEncoder.peaks(BIG_ENDIAN, PEAKS))).isEqualTo(PEAKS);
        ZonePeaks none = new ZonePeaks(0, 0, List.of());
        assertThat(ZonePeaks.decode(ProfileEncoder.peaks(BIG_ENDIAN, none))).isEqualTo(none);
    }

    @Test
    void findCountsOccurrencesOfANameInStreamOrder() throws MemstatException {
        ZonePeaks p = ZonePeaks.decode(stream());
        assertThat(p.find("dup", 0)).get().extracting(ZonePeak::usedPeakItems).isEqualTo(3L);
        assertThat(p.find("dup", 1)).get().extracting(ZonePeak::usedPeakItems).isEqualTo(9L);
        assertThat(p.find("dup", 2)).isEmpty();
        assertThat(p.find("dup", -1)).isEmpty();
        assertThat(p.find("mbuf", 0)).get().extracting(ZonePeak::kegPagesPeakBytes).isEqualTo(1L << 20);
        assertThat(p.find("nope", 0)).isEmpty();
    }

    @Test
    void namesAreUpToThirtyOneBytesAndMayBeEmptyAsInZoneStats() throws MemstatException {
        String name31 = "abcdefghijklmnopqrstuvwxyz_0123";
        ZonePeaks p = new ZonePeaks(1, 1, List.of(new ZonePeak(name31, 0, 0), new ZonePeak("", 0, 0),
                new ZonePeak("zöne", 0, 0)));
        assertThat(ZonePeaks.decode(ProfileEncoder.peaks(LITTLE_ENDIAN, p))).isEqualTo(p);
    }

    @Test
    void rejectsANameWithoutANulWithinThirtyTwoBytes() {
        byte[] b = ProfileEncoder.peaks(LITTLE_ENDIAN, 0, 0, List.of(new Peak("a", 0, 0),
                new Peak("abcdefghijklmnopqrstuvwxyz_01234", 0, 0)));
        MemstatException e = reject(b);
        assertThat(e.getMessage()).isEqualTo("Data format error: name is not NUL-terminated within 32 bytes"
                + " (oid vm.zone_peaks, byte 72, record 1)");
    }

    @Test
    void rejectsANameThatIsNotUtf8() {
        byte[] b = ProfileEncoder.peaks(LITTLE_ENDIAN, 0, 0, List.of(new Peak(new byte[] {'a', (byte) 0xC3}, 0, 0)));
        MemstatException e = reject(b);
        assertThat(e.detail()).isEqualTo("name (2 bytes) is not valid UTF-8");
        assertThat(e.record()).isZero();
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {0, 3, 23})
    void rejectsStreamShorterThanHeaderAsVersion(int n) {
        assertThat(reject(Arrays.copyOf(stream(), n)).error()).isEqualTo(MemstatError.VERSION);
    }

    @ParameterizedTest(name = "version word {0}")
    @ValueSource(ints = {0, 2, 0x0200_0000})
    void rejectsUnknownVersion(int version) {
        assertThat(reject(withInt(stream(), 0, version)).error()).isEqualTo(MemstatError.VERSION);
    }

    @ParameterizedTest(name = "nzones {0}")
    @ValueSource(ints = {5, -1, Integer.MAX_VALUE})
    void rejectsStreamWhoseCountExceedsPayload(int nzones) {
        MemstatException e = reject(withInt(stream(), 4, nzones));
        assertThat(e.error()).isEqualTo(MemstatError.DATAERROR);
        assertThat(e.offset()).isEqualTo(4);
        assertThat(e.detail()).isEqualTo("nzones is " + Integer.toUnsignedString(nzones)
                + " but the 192 bytes from byte 24 hold at most 4 of 48 bytes");
    }

    @Test
    void rejectsTrailingBytesAndACountBelowTheRecords() {
        byte[] b = stream();
        MemstatException e = reject(Arrays.copyOf(b, b.length + 1));
        assertThat(e.detail()).isEqualTo("1 trailing bytes after the last record");
        assertThat(e.offset()).isEqualTo(b.length);
        MemstatException fewer = reject(withInt(b, 4, 3));
        assertThat(fewer.detail()).isEqualTo("48 trailing bytes after the last record");
        assertThat(fewer.offset()).isEqualTo(24 + 3 * 48);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"pages_peak, 8, -1", "pages, 16, -1", "keg_pages_peak, 56, 0", "used_peak, 64, 0"})
    void rejectsUnsignedValuesAboveLongMax(String field, int offset, int record) {
        byte[] b = stream();
        ByteBuffer.wrap(b).order(LITTLE_ENDIAN).putLong(offset, -1L);
        MemstatException e = reject(b);
        assertThat(e.detail()).isEqualTo(field + " is 18446744073709551615, more than a Java long holds (2^63 - 1)");
        assertThat(e.offset()).isEqualTo(offset);
        assertThat(e.record()).isEqualTo(record);
    }

    @Test
    void readGivesEmptyPeaksForASourceWithoutTheOid() throws MemstatException {
        assertThat(ZonePeaks.read(SysctlSource.of(Map.of()))).isEqualTo(new ZonePeaks(0, 0, List.of()));
        try (SysctlSource freebsd = SysctlSource.parse("dir:" + GoldenStreams.dir("be-2cpu"))) {
            assertThat(ZonePeaks.read(freebsd).zones()).isEmpty();
        }
    }

    @Test
    void readDecodesTheSourcesValue() throws MemstatException {
        byte[] b = ProfileEncoder.peaks(BIG_ENDIAN, PEAKS);
        assertThat(ZonePeaks.read(SysctlSource.of(Map.of(ZonePeaks.OID, b)))).isEqualTo(PEAKS);
    }

    @ParameterizedTest(name = "{0} gives {1}")
    @CsvSource({"EACCES, PERMISSION", "EPERM, PERMISSION", "EIO, VERSION", "EINVAL, VERSION"})
    void readMapsSourceErrorsAsARefreshDoes(Errno errno, MemstatError expected) {
        SysctlSource s = new TestSources.Scripted(Map.of()).fail(ZonePeaks.OID, errno, -1);
        MemstatException e = catchThrowableOfType(MemstatException.class, () -> ZonePeaks.read(s));
        assertThat(e.error()).isEqualTo(expected);
        assertThat(e.getMessage()).isEqualTo(expected.text() + ": " + errno
                + " injected by the test (oid vm.zone_peaks, source scripted:)");
    }

    @Test
    void readReportsAMalformedValueWithItsSource() {
        byte[] b = Arrays.copyOf(stream(), 30);
        MemstatException e = catchThrowableOfType(MemstatException.class,
                () -> ZonePeaks.read(SysctlSource.of(Map.of(ZonePeaks.OID, b))));
        assertThat(e.error()).isEqualTo(MemstatError.DATAERROR);
        assertThat(e.source()).isEqualTo("memory:");
    }
}
