package org.memstat.lib;

import static java.nio.ByteOrder.BIG_ENDIAN;
import static java.nio.ByteOrder.LITTLE_ENDIAN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.memstat.lib.ProfileEncoder.Frame;
import org.memstat.lib.ProfileEncoder.Samples;
import org.memstat.lib.ProfileEncoder.Site;
import org.memstat.lib.ProfileEncoder.Zone;
import org.memstat.lib.SysctlException.Errno;

/** {@link SampleProfile}: decoding {@code vm.zone_samples} (docs/PROFILES.md), every rejection, and {@code read}. */
class SampleProfileTest {
    private static final SampleFrame OPEN = new SampleFrame("org.example.ConnTable", "open", "ConnTable.java", 42);
    private static final SampleFrame MAIN = new SampleFrame("org.example.Main", "main", "", -1);

    /** Two zones of one name (the second with sampling off), one with a malloc tag and a two-frame site. */
    private static SampleProfile profile() {
        return new SampleProfile(1_700_000_000_000_000_000L, List.of(
                new ZoneSamples("malloc-256", 4096, 256, List.of(
                        new SampleSite("devbuf", List.of(OPEN, MAIN), 4096, 3, 768, 1, 256, 1_699_999_999_000L))),
                new ZoneSamples("dup", 1, 64, List.of(new SampleSite("", List.of(), 1, 1, 64, 0, 0, 0))),
                new ZoneSamples("dup", 0, 64, List.of())));
    }

    /** The profile's tables and zones, to be damaged by a test before encoding. */
    private static Samples samples() {
        return Samples.of(profile());
    }

    private static MemstatException reject(byte[] stream) {
        MemstatException e = catchThrowableOfType(MemstatException.class, () -> SampleProfile.decode(stream));
        assertThat(e).as("rejected").isNotNull();
        assertThat(e.oid()).isEqualTo(SampleProfile.OID);
        assertThat(e.getMessage()).doesNotContain("\n");
        return e;
    }

    private static MemstatException reject(Samples s) {
        return reject(s.encode(LITTLE_ENDIAN));
    }

    private static byte[] withInt(byte[] b, int offset, int value) {
        byte[] c = b.clone();
        ByteBuffer.wrap(c).order(LITTLE_ENDIAN).putInt(offset, value);
        return c;
    }

    private static byte[] withLong(byte[] b, int offset, long value) {
        byte[] c = b.clone();
        ByteBuffer.wrap(c).order(LITTLE_ENDIAN).putLong(offset, value);
        return c;
    }

    @Test
    void layoutOffsetsAreTheSpecsNumbers() {
        assertThat(List.of(SampleStream.H_VERSION, SampleStream.H_NSTRINGS, SampleStream.H_NFRAMES,
                SampleStream.H_NZONES, SampleStream.H_TAKEN, SampleStream.H_BYTES))
                .containsExactly(0, 4, 8, 12, 16, 24);
        assertThat(List.of(SampleStream.S_LEN, SampleStream.S_BYTES)).containsExactly(0, 2);
        assertThat(List.of(SampleStream.F_CLASS, SampleStream.F_METHOD, SampleStream.F_FILE, SampleStream.F_LINE,
                SampleStream.F_BYTES)).containsExactly(0, 4, 8, 12, 16);
        assertThat(List.of(SampleStream.Z_NAME, SampleStream.Z_NSITES, SampleStream.Z_RATE, SampleStream.Z_SIZE,
                SampleStream.Z_BYTES)).containsExactly(0, 4, 8, 16, 24);
        assertThat(List.of(SampleStream.T_TAG, SampleStream.T_DEPTH, SampleStream.T_RATE,
                SampleStream.T_ALLOC_OBJECTS, SampleStream.T_ALLOC_BYTES, SampleStream.T_INUSE_OBJECTS,
                SampleStream.T_INUSE_BYTES, SampleStream.T_OLDEST, SampleStream.T_BYTES))
                .containsExactly(0, 4, 8, 16, 24, 32, 40, 48, 56);
    }

    @ParameterizedTest
    @ValueSource(strings = {"LITTLE_ENDIAN", "BIG_ENDIAN"})
    void decodesWhatAProducerOfEitherByteOrderWrites(String order) throws MemstatException {
        ByteOrder o = order.equals("BIG_ENDIAN") ? BIG_ENDIAN : LITTLE_ENDIAN;
        assertThat(SampleProfile.decode(ProfileEncoder.samples(o, profile()))).isEqualTo(profile());
    }

    @Test
    void sitesShareTheDecodedFramesOfTheFrameTable() throws MemstatException {
        Samples s = samples();
        s.zones.get(1).sites.getFirst().frames = new int[] {0, 0, 1};
        SampleSite site = SampleProfile.decode(s.encode(LITTLE_ENDIAN)).zones().get(1).sites().getFirst();
        assertThat(site.frames()).containsExactly(OPEN, OPEN, MAIN);
        assertThat(site.frames().get(0)).isSameAs(site.frames().get(1));
    }

    @Test
    void zonesOfOneNameComeInStreamOrderAndIsEmptyLooksAtSites() throws MemstatException {
        SampleProfile p = SampleProfile.decode(ProfileEncoder.samples(LITTLE_ENDIAN, profile()));
        assertThat(p.zones("dup")).extracting(ZoneSamples::rate).containsExactly(1L, 0L);
        assertThat(p.zones("nope")).isEmpty();
        assertThat(p.isEmpty()).isFalse();
        SampleProfile off = new SampleProfile(5, List.of(new ZoneSamples("a", 0, 16, List.of())));
        assertThat(SampleProfile.decode(ProfileEncoder.samples(LITTLE_ENDIAN, off)).isEmpty()).isTrue();
    }

    @Test
    void aSiteMayCarrySixtyFourFramesButNotSixtyFive() throws MemstatException {
        Samples s = samples();
        s.zones.getFirst().sites.getFirst().frames = new int[64];
        assertThat(SampleProfile.decode(s.encode(LITTLE_ENDIAN)).zones().getFirst().sites().getFirst().frames())
                .hasSize(64).containsOnly(OPEN);
        s.zones.getFirst().sites.getFirst().frames = new int[65];
        MemstatException e = reject(s);
        assertThat(e.error()).isEqualTo(MemstatError.DATAERROR);
        assertThat(e.detail()).isEqualTo("site 0 depth is 65, more than 64");
        assertThat(e.record()).isZero();
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {0, 1, 4, 23})
    void rejectsStreamShorterThanHeaderAsVersion(int n) {
        MemstatException e = reject(Arrays.copyOf(ProfileEncoder.samples(LITTLE_ENDIAN, profile()), n));
        assertThat(e.error()).isEqualTo(MemstatError.VERSION);
        assertThat(e.offset()).isEqualTo(n);
    }

    @ParameterizedTest(name = "version word {0}")
    @ValueSource(ints = {0, 2, 0x0200_0000, -1})
    void rejectsUnknownVersionInEitherOrder(int version) {
        MemstatException e = reject(withInt(ProfileEncoder.samples(LITTLE_ENDIAN, profile()), 0, version));
        assertThat(e.error()).isEqualTo(MemstatError.VERSION);
        assertThat(e.offset()).isZero();
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({"nstrings, 4, -1", "nstrings, 4, 100000", "nframes, 8, -1", "nzones, 12, 2147483647"})
    void rejectsStreamWhoseCountExceedsPayload(String field, int offset, int count) {
        MemstatException e = reject(withInt(ProfileEncoder.samples(LITTLE_ENDIAN, profile()), offset, count));
        assertThat(e.error()).isEqualTo(MemstatError.DATAERROR);
        assertThat(e.offset()).isEqualTo(offset);
        assertThat(e.detail()).startsWith(field + " is " + Integer.toUnsignedString(count) + " but the ");
    }

    @Test
    void rejectsSiteCountThatExceedsPayload() {
        Samples s = samples();
        byte[] b = s.encode(LITTLE_ENDIAN);
        int zone2 = s.zoneOffsets.get(2);
        MemstatException e = reject(withInt(b, zone2 + 4, 1));
        assertThat(e.detail()).isEqualTo("nsites is 1 but the 0 bytes from byte " + b.length
                + " hold at most 0 of 56 bytes");
        assertThat(e.offset()).isEqualTo(zone2 + 4);
        assertThat(e.record()).isEqualTo(2);
        assertThat(reject(withInt(b, s.zoneOffsets.get(0) + 4, -1)).record()).isZero();
    }

    @Test
    void rejectsCountsThatFitAloneButNotTogether() {
        Samples s = samples();
        byte[] b = s.encode(LITTLE_ENDIAN);
        // One more zone than written: the header's counts fit, the last zone header does not.
        assertThat(reject(withInt(b, 12, 4)).error()).isEqualTo(MemstatError.DATAERROR);
        // A deeper stack than written: the site's indices run past the end.
        MemstatException e = reject(withInt(b, s.siteOffsets.get(1) + 4, 60));
        assertThat(e.detail()).startsWith("site 0 frames (depth 60) needs 240 bytes");
        assertThat(e.record()).isEqualTo(1);
    }

    @Test
    void rejectsTrailingBytes() {
        byte[] b = ProfileEncoder.samples(LITTLE_ENDIAN, profile());
        MemstatException e = reject(Arrays.copyOf(b, b.length + 3));
        assertThat(e.error()).isEqualTo(MemstatError.DATAERROR);
        assertThat(e.offset()).isEqualTo(b.length);
        assertThat(e.getMessage()).isEqualTo("Data format error: 3 trailing bytes after the last record"
                + " (oid vm.zone_samples, byte " + b.length + ")");
    }

    @Test
    void rejectsNoStringTableAndAStringZeroThatIsNotEmpty() {
        Samples none = new Samples();
        none.strings.clear();
        assertThat(reject(none).detail()).contains("nstrings is 0");
        Samples s = samples();
        s.strings.set(0, new byte[] {'x'});
        MemstatException e = reject(s);
        assertThat(e.detail()).isEqualTo("string 0 is \"x\"; it must be \"\"");
        assertThat(e.offset()).isEqualTo(24);
    }

    @Test
    void rejectsStringIndexPastTheTable() {
        Samples s = samples();
        int n = s.strings.size();
        s.frames.set(1, new Frame(0, n, 0, -1));
        MemstatException e = reject(s);
        assertThat(e.detail()).isEqualTo("frame 1 method is string " + n + ", past the " + n
                + "-entry string table");
        assertThat(e.record()).isEqualTo(-1);

        Samples z = samples();
        z.zones.get(1).name = -1;
        assertThat(reject(z).detail()).isEqualTo("zone name is string 4294967295, past the " + n
                + "-entry string table");

        Samples t = samples();
        t.zones.getFirst().sites.getFirst().tag = n;
        byte[] b = t.encode(LITTLE_ENDIAN);
        MemstatException te = reject(b);
        assertThat(te.detail()).isEqualTo("site 0 tag is string " + n + ", past the " + n + "-entry string table");
        assertThat(te.offset()).isEqualTo(t.siteOffsets.getFirst().intValue());
        assertThat(te.record()).isZero();
    }

    @Test
    void rejectsFrameIndexPastTheTable() {
        Samples s = samples();
        s.zones.getFirst().sites.getFirst().frames = new int[] {0, 2};
        MemstatException e = reject(s);
        assertThat(e.detail()).isEqualTo("site 0 frame[1] is 2, past the 2-entry frame table");
        assertThat(e.offset()).isEqualTo(s.siteOffsets.getFirst() + 56 + 4);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "a lone continuation byte, 80",
        "a truncated two-byte sequence, c3",
        "an overlong NUL, c080",
        "a UTF-16 surrogate, eda080",
        "a code point past U+10FFFF, f4908080",
        "a NUL, 610062",
    })
    void rejectsMalformedUtf8AndNuls(String what, String hex) {
        Samples s = samples();
        s.strings.set(s.string("ConnTable.java"), java.util.HexFormat.of().parseHex(hex));
        MemstatException e = reject(s);
        assertThat(e.error()).as(what).isEqualTo(MemstatError.DATAERROR);
        assertThat(e.detail()).as(what)
                .containsPattern("string \\d+ (\\(\\d+ bytes\\) is not valid UTF-8|holds a NUL)");
    }

    @Test
    void acceptsMultiByteUtf8() throws MemstatException {
        SampleProfile p = new SampleProfile(1, List.of(new ZoneSamples("zöne_€_𝄞", 0, 8, List.of(
                new SampleSite("típus", List.of(new SampleFrame("org.ä.Ü", "ß", "Ü.java", 3)), 1, 1, 8, 1, 8,
                        7)))));
        assertThat(SampleProfile.decode(ProfileEncoder.samples(LITTLE_ENDIAN, p))).isEqualTo(p);
    }

    @Test
    void zoneNamesAreOneToThirtyOneBytes() throws MemstatException {
        String name31 = "abcdefghijklmnopqrstuvwxyz_0123";
        SampleProfile ok = new SampleProfile(1, List.of(new ZoneSamples(name31, 0, 8, List.of())));
        assertThat(SampleProfile.decode(ProfileEncoder.samples(LITTLE_ENDIAN, ok))).isEqualTo(ok);
        for (String bad : List.of("", name31 + "4", "é".repeat(16))) {
            SampleProfile p = new SampleProfile(1, List.of(new ZoneSamples(bad, 0, 8, List.of())));
            MemstatException e = reject(ProfileEncoder.samples(LITTLE_ENDIAN, p));
            assertThat(e.detail()).as(bad).matches("zone name \\(string \\d+\\) is (0|32) bytes; it must be 1 to 31");
            assertThat(e.record()).isZero();
        }
    }

    @Test
    void rejectsSiteRateBelowOne() {
        Samples s = samples();
        s.zones.get(1).sites.getFirst().rate = 0;
        MemstatException e = reject(s);
        assertThat(e.detail()).isEqualTo("site 0 rate is 0; samples are taken at a rate of at least 1");
        assertThat(e.offset()).isEqualTo(s.siteOffsets.get(1) + 8);
        assertThat(e.record()).isEqualTo(1);
    }

    @Test
    void rejectsInuseAboveAlloc() {
        Samples objects = samples();
        objects.zones.getFirst().sites.getFirst().inuseObjects = 4;
        assertThat(reject(objects).detail()).isEqualTo("site 0 inuse_objects 4 exceeds alloc_objects 3");
        Samples bytes = samples();
        bytes.zones.getFirst().sites.getFirst().inuseBytes = 769;
        MemstatException e = reject(bytes);
        assertThat(e.detail()).isEqualTo("site 0 inuse_bytes 769 exceeds alloc_bytes 768");
        assertThat(e.offset()).isEqualTo(bytes.siteOffsets.getFirst() + 40);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"taken, -1", "zone rate, 8", "zone size, 16", "site 0 alloc_objects, 16", "site 0 alloc_bytes, 24",
        "site 0 inuse_objects, 32", "site 0 inuse_bytes, 40", "site 0 oldest, 48", "site 0 rate, 8"})
    void rejectsUnsignedValuesAboveLongMax(String field, int offset) {
        Samples s = samples();
        byte[] b = s.encode(LITTLE_ENDIAN);
        int at = field.equals("taken") ? 16 : field.startsWith("zone") ? s.zoneOffsets.getFirst() + offset
                : s.siteOffsets.getFirst() + offset;
        MemstatException e = reject(withLong(b, at, Long.MIN_VALUE));
        assertThat(e.error()).isEqualTo(MemstatError.DATAERROR);
        assertThat(e.detail()).isEqualTo(field + " is 9223372036854775808, more than a Java long holds (2^63 - 1)");
        assertThat(e.offset()).isEqualTo(at);
        assertThat(e.record()).isEqualTo(field.equals("taken") ? -1 : 0);
    }

    @Test
    void acceptsAnySignedLineAndEmptyStacks() throws MemstatException {
        SampleFrame nativeFrame = new SampleFrame("jdk.internal.misc.Unsafe", "allocateMemory0", "Unsafe.java", -2);
        SampleProfile p = new SampleProfile(0, List.of(new ZoneSamples("z", 1, 8, List.of(
                new SampleSite("", List.of(nativeFrame), 1, 1, 8, 0, 0, 0),
                new SampleSite("", List.of(), 1, 0, 0, 0, 0, 0)))));
        assertThat(SampleProfile.decode(ProfileEncoder.samples(BIG_ENDIAN, p))).isEqualTo(p);
    }

    @Test
    void readGivesAnEmptyProfileForASourceWithoutTheOid() throws MemstatException {
        assertThat(SampleProfile.read(SysctlSource.of(Map.of()))).isEqualTo(new SampleProfile(0, List.of()));
        try (SysctlSource freebsd = SysctlSource.parse("dir:" + GoldenStreams.dir("le-2cpu"))) {
            SampleProfile p = SampleProfile.read(freebsd);
            assertThat(p.zones()).isEmpty();
            assertThat(p.isEmpty()).isTrue();
        }
    }

    @Test
    void readDecodesTheSourcesValue() throws MemstatException {
        byte[] b = ProfileEncoder.samples(BIG_ENDIAN, profile());
        assertThat(SampleProfile.read(SysctlSource.of(Map.of(SampleProfile.OID, b)))).isEqualTo(profile());
    }

    @ParameterizedTest(name = "{0} gives {1}")
    @CsvSource({"EACCES, PERMISSION", "EPERM, PERMISSION", "EIO, VERSION", "ETIMEDOUT, VERSION"})
    void readMapsSourceErrorsAsARefreshDoes(Errno errno, MemstatError expected) {
        SysctlSource s = new TestSources.Scripted(Map.of()).fail(SampleProfile.OID, errno, -1);
        MemstatException e = catchThrowableOfType(MemstatException.class, () -> SampleProfile.read(s));
        assertThat(e.error()).isEqualTo(expected);
        assertThat(e.getMessage()).isEqualTo(expected.text() + ": " + errno
                + " injected by the test (oid vm.zone_samples, source scripted:)");
    }

    @Test
    void readRetriesAValueThatKeepsChangingSizeEightTimes() throws MemstatException {
        Map<String, byte[]> values = Map.of(SampleProfile.OID, ProfileEncoder.samples(LITTLE_ENDIAN, profile()));
        TestSources.Scripted settles = new TestSources.Scripted(values).fail(SampleProfile.OID, Errno.ENOMEM, 7);
        assertThat(SampleProfile.read(settles)).isEqualTo(profile());
        TestSources.Scripted never = new TestSources.Scripted(values).fail(SampleProfile.OID, Errno.ENOMEM, -1);
        MemstatException e = catchThrowableOfType(MemstatException.class, () -> SampleProfile.read(never));
        assertThat(e.error()).isEqualTo(MemstatError.NOMEMORY);
        assertThat(never.reads(SampleProfile.OID)).isEqualTo(8);
    }

    @Test
    void readReportsAMalformedValueWithItsSource() {
        byte[] b = withInt(ProfileEncoder.samples(LITTLE_ENDIAN, profile()), 12, 9);
        MemstatException e = catchThrowableOfType(MemstatException.class,
                () -> SampleProfile.read(SysctlSource.of(Map.of(SampleProfile.OID, b))));
        assertThat(e.error()).isEqualTo(MemstatError.DATAERROR);
        assertThat(e.source()).isEqualTo("memory:");
        assertThat(e.getMessage()).endsWith(", source memory:)");
    }
}
