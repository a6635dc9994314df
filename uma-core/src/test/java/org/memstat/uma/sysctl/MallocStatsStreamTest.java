package org.memstat.uma.sysctl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.memstat.uma.sysctl.GoldenStreams.MallocType;

class MallocStatsStreamTest {

    static byte[] drive(MallocStatsStream.Writer w, int maxCpus, List<MallocType> types) {
        w.begin(maxCpus, types.size());
        for (MallocType t : types) {
            w.type(t.name());
            int c = 0;
            for (; c < maxCpus && t.cpus().get(c) != null; c++) {
                long[] v = t.cpus().get(c);
                w.cpu(v[0], v[1], v[2], v[3], v[4]);
            }
            if (c < maxCpus) {
                w.zeroCpus();
            }
        }
        w.finish();
        return w.toByteArray();
    }

    @Test
    void matchesHandWrittenGolden() {
        byte[] golden = HexResource.load("malloc-stats-le-maxcpus2.hex");
        assertThat(golden).hasSize(16 + 32 + 2 * 64);
        List<MallocType> types = List.of(new MallocType("devbuf", List.of(
                new long[] {4096, 2048, 16, 8, 0x24},
                new long[] {-16L, -32L, Long.MAX_VALUE, Long.MAX_VALUE - 1, 1L << 13})));
        assertThat(drive(new MallocStatsStream.Writer(ByteOrder.LITTLE_ENDIAN), 2, types)).isEqualTo(golden);
        assertThat(GoldenStreams.mallocStream(true, 2, types)).isEqualTo(golden);
    }

    @ParameterizedTest(name = "maxcpus {0}, little-endian {1}")
    @CsvSource({"1, true", "2, false", "64, true", "64, false"})
    void matchesGoldenWithZeroRecordsPastTheCpusInUse(int maxCpus, boolean littleEndian) {
        List<MallocType> types = new ArrayList<>();
        String[] names = {"devbuf", "temp", "abcdefghijklmnopqrstuvwxyz0123456789", "M_SONAME_31_BYTES_LONG_1234567"};
        for (int i = 0; i < names.length; i++) {
            List<long[]> cpus = new ArrayList<>();
            int inUse = Math.max(1, maxCpus / 2);
            for (int c = 0; c < maxCpus; c++) {
                cpus.add(c < inUse ? new long[] {-1L - c, 64L * c + i, c, i, 1L << (c % 14)} : null);
            }
            types.add(new MallocType(names[i], cpus));
        }
        ByteOrder order = littleEndian ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
        byte[] expected = GoldenStreams.mallocStream(littleEndian, maxCpus, types);
        assertThat(expected).hasSize((int) MallocStatsStream.size(maxCpus, types.size()));
        assertThat(drive(new MallocStatsStream.Writer(order), maxCpus, types)).isEqualTo(expected);
        byte[] name = Arrays.copyOfRange(expected, 16 + 2 * (32 + maxCpus * 64), 16 + 2 * (32 + maxCpus * 64) + 32);
        assertThat(name[30]).isEqualTo((byte) '4');
        assertThat(name[31]).isZero();
    }

    @Test
    void writesNativeOrderByDefaultAndTakesUnknownCountAtFinish() {
        MallocStatsStream.Writer w = new MallocStatsStream.Writer();
        assertThat(w.order()).isEqualTo(ByteOrder.nativeOrder());
        w.begin(2).type("a").cpu(1, 2, 3, 4, 5).zeroCpus().type("b").zeroCpus();
        assertThat(w.finish().getInt(8)).isEqualTo(2);
        assertThat(w.length()).isEqualTo(16 + 2 * (32 + 128));
    }

    @Test
    void rejectsMisuse() {
        MallocStatsStream.Writer w = new MallocStatsStream.Writer();
        assertThatThrownBy(() -> w.type("x")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> w.begin(1, -2)).isInstanceOf(IllegalArgumentException.class);
        w.begin(2, 1);
        assertThatThrownBy(() -> w.cpu(0, 0, 0, 0, 0)).isInstanceOf(IllegalStateException.class);
        w.type("x").cpu(0, 0, 0, 0, 0);
        assertThatThrownBy(w::finish).isInstanceOf(IllegalStateException.class).hasMessageContaining("1 of 2");
        w.cpu(0, 0, 0, 0, 0);
        assertThatThrownBy(() -> w.cpu(0, 0, 0, 0, 0)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> w.type("y")).isInstanceOf(IllegalStateException.class);
        assertThat(w.finish().remaining()).isEqualTo(16 + 32 + 128);
    }
}
