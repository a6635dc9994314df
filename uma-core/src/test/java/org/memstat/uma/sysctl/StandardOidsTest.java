package org.memstat.uma.sysctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.memstat.uma.sysctl.GoldenStreams.MallocType;

@Timeout(60)
class StandardOidsTest {
    private static final boolean LE = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
    private static final int[] MALLOC_SIZES = {16, 32, 64, 128, 256, 384, 512, 1024, 2048, 4096, 8192, 16384,
        32768, 65536};

    private final Sysctl sysctl = new Sysctl();
    private final FakeProducers.Zones zones = new FakeProducers.Zones(4, ZoneStatsStreamTest.mixedZones(4));
    private final FakeProducers.Malloc malloc = new FakeProducers.Malloc(8, List.of(
            new MallocType("devbuf", Arrays.asList(new long[] {4096, 0, 1, 0, 1L << 8}, null, null, null, null,
                    null, null, null)),
            new MallocType("temp", Arrays.asList(new long[] {32, 16, 2, 1, 2}, new long[] {64, 64, 1, 1, 4}, null,
                    null, null, null, null, null))));

    StandardOidsTest() {
        StandardOids.registerSmp(sysctl, 4);
        StandardOids.registerZoneStats(sysctl, zones);
        StandardOids.registerMallocStats(sysctl, malloc, MALLOC_SIZES);
        StandardOids.registerKmemSize(sysctl, () -> 0x8000_0000_0000_0001L);
    }

    private ByteBuffer read(String name) {
        SysctlResult size = sysctl.size(name);
        assertThat(size.ok()).as(name).isTrue();
        ByteBuffer b = ByteBuffer.allocate(size.size());
        assertThat(sysctl.read(name, b)).isEqualTo(size);
        return b.flip().order(ByteOrder.nativeOrder());
    }

    @Test
    void exportsCpuCountsAsFreeBsdDoes() {
        assertThat(read("kern.smp.maxid").getInt()).isEqualTo(3);
        assertThat(read("kern.smp.maxcpus").getInt()).isEqualTo(4);
        assertThat(sysctl.describe("kern.smp.maxid").orElseThrow().format()).isEqualTo("I");
    }

    @Test
    void zoneCountHasBothNames() {
        assertThat(read("vm.zone_count").getInt()).isEqualTo(4);
        assertThat(read("vm.uma_count").getInt()).isEqualTo(4);
        assertThat(sysctl.describe("vm.zone_count")).contains(
                new OidInfo("vm.zone_count", OidType.INT, "I", "Number of UMA zones", false));
    }

    @Test
    void zoneStatsIsTheProducersStreamInFreeBsdLayout() {
        ByteBuffer b = read("vm.zone_stats");
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        assertThat(bytes).isEqualTo(GoldenStreams.zoneStream(LE, 4, zones.zones()));
        assertThat(sysctl.describe("vm.zone_stats")).contains(new OidInfo("vm.zone_stats", OidType.OPAQUE,
                "s,struct uma_type_header", "Zone Stats", false));
        assertThat(sysctl.read("vm.zone_stats", ByteBuffer.allocate(bytes.length - 1)))
                .isEqualTo(new SysctlResult(Errno.ENOMEM, bytes.length));
    }

    @Test
    void mallocStatsIsTheProducersStreamWithMaxcpusRecordsPerType() {
        ByteBuffer b = read("kern.malloc_stats");
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        assertThat(bytes).isEqualTo(GoldenStreams.mallocStream(LE, 8, malloc.types()));
        assertThat(read("kern.malloc_count").getInt()).isEqualTo(2);
        assertThat(sysctl.describe("kern.malloc_stats").orElseThrow())
                .extracting(OidInfo::format, OidInfo::description)
                .containsExactly("s,malloc_type_ustats", "Return malloc types");
    }

    @Test
    void mallocZoneSizesAreNativeInts() {
        assertThat(read("vm.malloc.zone_count").getInt()).isEqualTo(14);
        assertThat(sysctl.describe("vm.malloc.zone_count").orElseThrow().type()).isEqualTo(OidType.UINT);
        ByteBuffer sizes = read("vm.malloc.zone_sizes");
        int[] got = new int[sizes.remaining() / 4];
        sizes.asIntBuffer().get(got);
        assertThat(got).containsExactly(MALLOC_SIZES);
        assertThat(read("vm.malloc.zone_sizes").remaining()).isEqualTo(56);
    }

    @Test
    void kmemSizeIsAnUnsignedLong() {
        assertThat(read("vm.kmem_size").getLong()).isEqualTo(0x8000_0000_0000_0001L);
        assertThat(sysctl.describe("vm.kmem_size").orElseThrow())
                .extracting(OidInfo::type, OidInfo::format).containsExactly(OidType.ULONG, "LU");
    }

    @Test
    void concurrentReadersEachGetACompleteStream() throws Exception {
        byte[] expected = GoldenStreams.zoneStream(LE, 4, zones.zones());
        try (ExecutorService threads = Executors.newFixedThreadPool(4)) {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                results.add(threads.submit(() -> {
                    int good = 0;
                    for (int i = 0; i < 300; i++) {
                        ByteBuffer b = ByteBuffer.allocate(expected.length);
                        if (sysctl.read("vm.zone_stats", b).ok() && Arrays.equals(b.array(), expected)) {
                            good++;
                        }
                    }
                    return good;
                }));
            }
            for (Future<Integer> r : results) {
                assertThat(r.get()).isEqualTo(300);
            }
        }
    }
}
