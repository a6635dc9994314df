package org.memstat.uma.sysctl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.memstat.uma.CpuStats;
import org.memstat.uma.ZoneStats;
import org.memstat.uma.sysctl.GoldenStreams.Zone;

class ZoneStatsStreamTest {
    private static final String NAME_40 = "abcdefghijklmnopqrstuvwxyz0123456789ABCD";
    private static final String NAME_31 = "abcdefghijklmnopqrstuvwxyz01234";

    /** The three zones of zone-stats-le-maxcpus1.hex. */
    static List<Zone> handWrittenZones() {
        return List.of(
                new Zone("mbuf", 0xff, 256, 256, 4096, 16384, 0x123, 0x45, 0x67, 0, -2L, -256L,
                        0x8000000000000001L, 7, 0, List.<long[]>of(new long[] {-1L, 0x0102030405060708L, 9})),
                new Zone("mbuf_packet", 0xff, 256, 256, 4096, 16384, 0x123, 0x45, 0x12, 1, 1000, 999, 2, 0, 0,
                        List.<long[]>of(new long[] {5, 4, 3})),
                new Zone(NAME_40, 7, 24, 24, 0, 0, 1, 168, 0, 0, 0, 0, 0, 0, 0, Collections.singletonList(null)));
    }

    static byte[] drive(ZoneStatsStream.Writer w, int maxCpus, List<Zone> zones, boolean announceCount) {
        if (announceCount) {
            w.begin(maxCpus, zones.size());
        } else {
            w.begin(maxCpus);
        }
        for (Zone z : zones) {
            w.zone(z.name(), (int) z.align(), (int) z.size(), (int) z.rsize(), z.maxPages(), z.limit(), z.pages(),
                    z.kegFree(), z.zoneFree(), z.flags() == 1, z.allocs(), z.frees(), z.fails(), z.sleeps(),
                    z.xdomain());
            int c = 0;
            for (; c < maxCpus && z.cpus().get(c) != null; c++) {
                long[] v = z.cpus().get(c);
                w.cpu(v[0], v[1], v[2]);
            }
            if (c < maxCpus) {
                w.zeroCpus();
            }
        }
        ByteBuffer view = w.finish();
        byte[] copy = new byte[view.remaining()];
        view.get(copy);
        assertThat(copy).isEqualTo(w.toByteArray());
        return copy;
    }

    /** A primary/secondary pair, a 31-byte name, a 32-byte name, counters near 2^64, absent CPUs. */
    static List<Zone> mixedZones(int maxCpus) {
        List<Zone> zones = new ArrayList<>();
        zones.add(new Zone("mbuf", 255, 256, 256, 4096, 16384, 40, 12, 3, 0, Long.MAX_VALUE, -1L, 1, 2, 0,
                cpus(maxCpus, 1)));
        zones.add(new Zone("mbuf_packet", 255, 256, 256, 4096, 16384, 40, 12, 7, 1, 77, 70, 0, 0, 0,
                cpus(maxCpus, 2)));
        zones.add(new Zone(NAME_31, 7, 24, 24, 0, 0, 1, 100, 0, 0, -3L, -4L, 0, 0, 5, cpus(maxCpus, 3)));
        zones.add(new Zone(NAME_31 + "X", 7, 24, 24, 0, 0, 1, 100, 0, 0, 1, 1, 0, 0, 0,
                Collections.nCopies(maxCpus, null)));
        return zones;
    }

    private static List<long[]> cpus(int maxCpus, int seed) {
        List<long[]> list = new ArrayList<>();
        for (int c = 0; c < maxCpus; c++) {
            list.add(c == maxCpus - 1 && maxCpus > 1 ? null
                    : new long[] {-1L - c - seed, 0x0102030405060708L * (c + seed), c * 31L + seed});
        }
        return list;
    }

    @Test
    void matchesHandWrittenLittleEndianGolden() {
        byte[] golden = HexResource.load("zone-stats-le-maxcpus1.hex");
        assertThat(golden).hasSize(16 + 3 * (120 + 64));
        byte[] written = drive(new ZoneStatsStream.Writer(ByteOrder.LITTLE_ENDIAN), 1, handWrittenZones(), true);
        assertThat(written).isEqualTo(golden);
    }

    @Test
    void testBuilderAgreesWithHandWrittenGolden() {
        assertThat(GoldenStreams.zoneStream(true, 1, handWrittenZones()))
                .isEqualTo(HexResource.load("zone-stats-le-maxcpus1.hex"));
    }

    @Test
    void matchesHandWrittenBigEndianGolden() {
        byte[] golden = HexResource.load("zone-stats-be-maxcpus1.hex");
        assertThat(golden).hasSize(16 + 120 + 64);
        List<Zone> zones = List.of(new Zone("mbuf_cluster", 7, 2048, 2048, 0x2000, 0x4000, 0x102, 3, 0x40, 0,
                0x0102030405060708L, 0xff, 1, 2, 0, List.<long[]>of(new long[] {0xfedcba9876543210L, 0x10, 10})));
        assertThat(drive(new ZoneStatsStream.Writer(ByteOrder.BIG_ENDIAN), 1, zones, true)).isEqualTo(golden);
        assertThat(GoldenStreams.zoneStream(false, 1, zones)).isEqualTo(golden);
    }

    static Stream<Arguments> layouts() {
        return Stream.of(Arguments.of(1, true), Arguments.of(2, true), Arguments.of(64, true),
                Arguments.of(2, false), Arguments.of(64, false));
    }

    @ParameterizedTest(name = "maxcpus {0}, little-endian {1}")
    @MethodSource("layouts")
    void matchesGoldenForEachLayout(int maxCpus, boolean littleEndian) {
        ByteOrder order = littleEndian ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
        List<Zone> zones = mixedZones(maxCpus);
        byte[] expected = GoldenStreams.zoneStream(littleEndian, maxCpus, zones);
        assertThat(expected).hasSize((int) ZoneStatsStream.size(maxCpus, zones.size()));
        assertThat(drive(new ZoneStatsStream.Writer(order), maxCpus, zones, true)).isEqualTo(expected);
        assertThat(drive(new ZoneStatsStream.Writer(order), maxCpus, zones, false)).isEqualTo(expected);
    }

    @Test
    void writesNativeOrderByDefault() {
        assertThat(new ZoneStatsStream.Writer().order()).isEqualTo(ByteOrder.nativeOrder());
        List<Zone> zones = mixedZones(2);
        assertThat(drive(new ZoneStatsStream.Writer(), 2, zones, true)).isEqualTo(
                GoldenStreams.zoneStream(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN, 2, zones));
    }

    @Test
    void writesSnapshotRecordsWithBucketSizeAlwaysZero() {
        List<Zone> zones = mixedZones(2);
        List<ZoneStats> records = new ArrayList<>();
        for (Zone z : zones) {
            List<CpuStats> cpus = new ArrayList<>();
            for (long[] c : z.cpus()) {
                cpus.add(c == null ? CpuStats.ZERO : new CpuStats(c[0], c[1], c[2]));
            }
            records.add(new ZoneStats(z.name(), (int) z.align(), (int) z.size(), (int) z.rsize(), z.maxPages(),
                    z.limit(), z.pages(), z.kegFree(), z.zoneFree(), 99, z.flags() == 1, z.allocs(), z.frees(),
                    z.fails(), z.sleeps(), z.xdomain(), cpus));
        }
        assertThat(ZoneStatsStream.write(2, records, ByteOrder.BIG_ENDIAN))
                .isEqualTo(GoldenStreams.zoneStream(false, 2, zones));
        assertThat(ZoneStatsStream.write(2, records))
                .isEqualTo(GoldenStreams.zoneStream(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN, 2, zones));
        assertThatThrownBy(() -> ZoneStatsStream.write(3, records))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mbuf");
    }

    @Test
    void cutsNamesAsStrlcpyDoes() {
        ZoneStatsStream.Writer w = new ZoneStatsStream.Writer(ByteOrder.LITTLE_ENDIAN);
        String twoByteChars = "\u00e9".repeat(16);
        String[] names = {NAME_31, NAME_31 + "Z", NAME_40, twoByteChars, "nul\u0000hidden", ""};
        w.begin(1, names.length);
        for (String n : names) {
            w.zone(n, 0, 0, 0, 0, 0, 0, 0, 0, false, 0, 0, 0, 0, 0).cpu(0, 0, 0);
        }
        w.finish();
        byte[] s = w.toByteArray();
        byte[] e9 = new byte[31];
        for (int i = 0; i < 31; i++) {
            e9[i] = (byte) (i % 2 == 0 ? 0xc3 : 0xa9);
        }
        byte[][] expected = {bytes(NAME_31), bytes(NAME_31), bytes(NAME_31), e9, bytes("nul"), new byte[0]};
        for (int i = 0; i < names.length; i++) {
            byte[] field = Arrays.copyOfRange(s, 16 + i * 184, 16 + i * 184 + 32);
            byte[] want = Arrays.copyOf(expected[i], 32);
            assertThat(field).as("name %d", i).isEqualTo(want);
        }
    }

    private static byte[] bytes(String ascii) {
        return ascii.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    @Test
    void keepsLow32BitsOfWideArguments() {
        ZoneStatsStream.Writer w = new ZoneStatsStream.Writer(ByteOrder.LITTLE_ENDIAN).begin(1, 1);
        w.zone("z", 0, 0, 0, 0x1_0000_0005L, 0x2_0000_0006L, 0xffff_ffffL, -1L, 0x7_8000_0000L, false, 0, 0, 0, 0, 0)
                .cpu(0, 0, 0);
        ByteBuffer b = w.finish().order(ByteOrder.LITTLE_ENDIAN);
        assertThat(b.getInt(16 + 44)).isEqualTo(5);
        assertThat(b.getInt(16 + 48)).isEqualTo(6);
        assertThat(b.getInt(16 + 52)).isEqualTo(-1);
        assertThat(b.getInt(16 + 56)).isEqualTo(-1);
        assertThat(b.getInt(16 + 60)).isEqualTo(0x8000_0000);
    }

    @Test
    void reusedWriterLeavesNoStaleBytesAcrossLayouts() {
        ZoneStatsStream.Writer w = new ZoneStatsStream.Writer(ByteOrder.LITTLE_ENDIAN);
        List<Zone> noisy = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            noisy.add(new Zone(NAME_40 + i, -1, -1, -1, -1, -1, -1, -1, -1, 1, -1, -1, -1, -1, -1,
                    Collections.nCopies(3, new long[] {-1, -1, -1})));
        }
        drive(w, 3, noisy, true);
        for (int maxCpus : new int[] {2, 3, 3, 64, 3}) {
            List<Zone> zones = mixedZones(maxCpus);
            assertThat(drive(w, maxCpus, zones, maxCpus != 3)).as("maxcpus %d", maxCpus)
                    .isEqualTo(GoldenStreams.zoneStream(true, maxCpus, zones));
        }
    }

    @Test
    void finishReturnsReadOnlyViewOfTheStream() {
        ZoneStatsStream.Writer w = new ZoneStatsStream.Writer().begin(4, 0);
        ByteBuffer view = w.finish();
        assertThat(view.isReadOnly()).isTrue();
        assertThat(view.position()).isZero();
        assertThat(view.remaining()).isEqualTo(16).isEqualTo(w.length());
        assertThat(view.order()).isEqualTo(ByteOrder.nativeOrder());
        assertThat(view.getInt(4)).isEqualTo(4);
        assertThat(view.getInt(8)).isZero();
    }

    @Test
    void rejectsMisuse() {
        ZoneStatsStream.Writer w = new ZoneStatsStream.Writer();
        assertThatThrownBy(() -> zone(w)).isInstanceOf(IllegalStateException.class).hasMessageContaining("begin");
        assertThatThrownBy(w::finish).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> w.begin(0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> w.begin(2, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> w.begin(RecordStream.MAX_CPUS + 1)).isInstanceOf(IllegalArgumentException.class);

        w.begin(2, 1);
        assertThatThrownBy(() -> w.cpu(1, 1, 1)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("before zone");
        assertThatThrownBy(w::zeroCpus).isInstanceOf(IllegalStateException.class);
        zone(w).cpu(1, 1, 1);
        assertThatThrownBy(() -> zone(w)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("1 of 2 cpu()");
        assertThatThrownBy(w::finish).isInstanceOf(IllegalStateException.class).hasMessageContaining("1 of 2");
        w.cpu(2, 2, 2);
        assertThatThrownBy(() -> w.cpu(3, 3, 3)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("more than maxCpus=2");
        assertThatThrownBy(() -> zone(w)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("more than the 1 zone");
        w.finish();
        assertThatThrownBy(w::finish).isInstanceOf(IllegalStateException.class);

        w.begin(1, 2);
        zone(w).cpu(0, 0, 0);
        assertThatThrownBy(w::finish).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("1 zones written, begin() announced 2");
    }

    private static ZoneStatsStream.Writer zone(ZoneStatsStream.Writer w) {
        return w.zone("z", 0, 0, 0, 0, 0, 0, 0, 0, false, 0, 0, 0, 0, 0);
    }
}
