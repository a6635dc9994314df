package org.memstat.lib;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.memstat.uma.CpuStats;
import org.memstat.uma.Tries;
import org.memstat.uma.Uma;
import org.memstat.uma.Zone;
import org.memstat.uma.ZoneStats;
import org.memstat.uma.sysctl.RegistryServer;

/**
 * uma-core writes, memstat-lib reads: live allocator statistics parse back to the numbers the allocator reports,
 * derived as libmemstat derives them (reference §3.4), in process and through the registry socket.
 */
class UmaCrossCheckTest {

    /** What §3.4 says libmemstat makes of one zone record, computed from uma-core's own snapshot. */
    private static void assertDerived(MemoryType t, ZoneStats s, int cpus) {
        long allocs = s.totalAllocs();
        long frees = s.totalFrees();
        long numAllocs = Math.max(allocs, frees);
        assertThat(t.allocator()).isEqualTo(Allocator.UMA);
        assertThat(t.size()).isEqualTo(s.size());
        assertThat(t.rsize()).isEqualTo(s.rsize());
        assertThat(t.numAllocs()).as(s.name()).isEqualTo(numAllocs);
        assertThat(t.numFrees()).isEqualTo(frees);
        assertThat(t.count()).isEqualTo(numAllocs - frees);
        assertThat(t.memAlloced()).isEqualTo(numAllocs * s.size());
        assertThat(t.bytes()).isEqualTo((numAllocs - frees) * s.size());
        assertThat(t.countLimit()).isEqualTo(s.limit());
        assertThat(t.bytesLimit()).isEqualTo((s.limit() * s.size()) & 0xFFFFFFFFL);
        assertThat(t.failures()).isEqualTo(s.fails());
        assertThat(t.sleeps()).isEqualTo(s.sleeps());
        assertThat(t.xdomain()).isZero();
        assertThat(t.zoneFree()).isEqualTo(s.zoneFree());
        assertThat(t.kegFree()).isEqualTo(s.secondary() ? 0 : s.kegFree());
        assertThat(t.free()).isEqualTo(s.cacheFree() + s.zoneFree() + (s.secondary() ? 0 : s.kegFree()));
        assertThat(t.cpuCount()).isEqualTo(cpus);
        for (int c = 0; c < cpus; c++) {
            CpuStats cs = s.perCpu().get(c);
            assertThat(t.percpuFree(c)).isEqualTo(cs.cacheFree());
        }
    }

    private static void churn(Uma uma, List<Zone> zones, int threads, int ops, long seed) throws InterruptedException {
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            long s = seed + t;
            ts.add(Thread.ofPlatform().start(() -> {
                SplittableRandom rnd = new SplittableRandom(s);
                List<long[]> held = new ArrayList<>();
                for (int i = 0; i < ops; i++) {
                    if (held.isEmpty() || rnd.nextInt(3) > 0) {
                        int zi = rnd.nextInt(zones.size());
                        long item = zones.get(zi).alloc(Uma.M_NOWAIT);
                        if (item != 0) {
                            held.add(new long[] {zi, item});
                        }
                    } else {
                        long[] h = held.remove(rnd.nextInt(held.size()));
                        zones.get((int) h[0]).free(h[1]);
                    }
                }
                // Keep a third: the streams then carry items in use as well as cached ones.
                for (int i = 0; i < held.size(); i += 3) {
                    zones.get((int) held.get(i)[0]).free(held.get(i)[1]);
                }
            }));
        }
        for (Thread t : ts) {
            t.join();
        }
    }

    private static List<Zone> mbufLikeZones(Uma uma) {
        Zone mbuf = uma.zcreate("mbuf", 256, null, null, null, null, 255, Uma.ZONE_MAXBUCKET);
        Zone cluster = uma.zcreate("mbuf_cluster", 2048, null, null, null, null, Uma.ALIGN_PTR, 0);
        cluster.setMax(300);
        Zone packet = uma.zsecondCreate("mbuf_packet", null, null, null, null, mbuf);
        Zone named = uma.zcreate("a_zone_name_of_exactly_31_bytes", 40, null, null, null, null, Uma.ALIGN_PTR, 0);
        return List.of(mbuf, cluster, packet, named);
    }

    private static void assertListMatches(MemoryTypeList list, Uma uma) {
        List<Zone> zones = uma.zones();
        assertThat(list.size()).isEqualTo(zones.size());
        // libmemstat inserts at the head: the list is the stream order reversed.
        List<String> listed = new ArrayList<>();
        list.forEach(t -> listed.add(t.name()));
        assertThat(listed).containsExactlyElementsOf(zones.reversed().stream().map(Zone::name).toList());
        for (MemoryType t : list) {
            Zone z = zones.stream().filter(zz -> zz.name().equals(t.name())).findFirst().orElseThrow();
            assertDerived(t, z.stats(), uma.maxCpus());
        }
    }

    @Test
    void liveAllocatorStatisticsParseBackInProcess() throws Exception {
        try (Uma uma = Uma.builder().kmemSize(64L << 20).maxCpus(4).build()) {
            List<Zone> zones = mbufLikeZones(uma);
            churn(uma, zones, 3, 20_000, 7);
            MemoryTypeList list = new MemoryTypeList();
            list.refreshUma(new UmaRegistrySource(uma.sysctl()));
            assertListMatches(list, uma);
            assertThat(list.find(Allocator.UMA, "mbuf_cluster").orElseThrow().countLimit()).isEqualTo(300);
            // A second refresh updates the same entries in place.
            MemoryType before = list.find(Allocator.UMA, "mbuf").orElseThrow();
            churn(uma, zones, 2, 5_000, 99);
            list.refreshUma(new UmaRegistrySource(uma.sysctl()));
            assertThat(list.find(Allocator.UMA, "mbuf").orElseThrow()).isSameAs(before);
            assertListMatches(list, uma);
        }
    }

    @Test
    void liveAllocatorStatisticsParseBackThroughTheRegistrySocket() throws Exception {
        Path dir = Files.createTempDirectory("memstat-xcheck");
        Path sock = dir.resolve("registry.sock");
        try (Uma uma = Uma.builder().kmemSize(64L << 20).maxCpus(2).build();
                RegistryServer server = RegistryServer.builder(uma.sysctl(), sock).start();
                SysctlSource source = SysctlSource.parse("unix:" + sock)) {
            List<Zone> zones = mbufLikeZones(uma);
            churn(uma, zones, 2, 10_000, 3);
            MemoryTypeList list = new MemoryTypeList();
            list.refreshUma(source);
            assertListMatches(list, uma);
            assertThat(server.socketPath()).isEqualTo(sock);
        } finally {
            Files.deleteIfExists(sock);
            Files.deleteIfExists(dir);
        }
    }

    @Test
    void randomRegistriesWrittenByUmaCoreParseBackToTheSameNumbers() {
        Tries.run(100, rnd -> {
            int cpus = Tries.between(rnd, 1, 64);
            List<Integer> sizes = new ArrayList<>();
            for (int i = 0, n = Tries.between(rnd, 1, 12); i < n; i++) {
                sizes.add(Tries.between(rnd, 1, 20000));
            }
            checkRandomRegistry(cpus, sizes, Tries.between(rnd, 0, 4000), rnd);
        });
    }

    private static void checkRandomRegistry(int cpus, List<Integer> sizes, int ops, SplittableRandom rnd)
            throws Exception {
        try (Uma uma = Uma.builder().kmemSize(256L << 20).maxCpus(cpus).build()) {
            List<Zone> zones = new ArrayList<>();
            for (int i = 0; i < sizes.size(); i++) {
                Zone z = rnd.nextInt(4) == 0 && !zones.isEmpty()
                        ? uma.zsecondCreate("second_" + i, null, null, null, null, zones.get(rnd.nextInt(zones.size())))
                        : uma.zcreate("zone_" + i, sizes.get(i), null, null, null, null, Uma.ALIGN_PTR, 0);
                if (rnd.nextInt(3) == 0) {
                    z.setMax(1 + rnd.nextInt(500));
                }
                zones.add(z);
            }
            churn(uma, zones, 1 + rnd.nextInt(3), ops, rnd.nextLong());
            MemoryTypeList list = new MemoryTypeList();
            list.refreshUma(new UmaRegistrySource(uma.sysctl()));
            assertListMatches(list, uma);
        }
    }
}
