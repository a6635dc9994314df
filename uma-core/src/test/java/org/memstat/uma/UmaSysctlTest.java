package org.memstat.uma;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.memstat.uma.sysctl.Errno;
import org.memstat.uma.sysctl.Sysctl;
import org.memstat.uma.sysctl.SysctlResult;

/** The allocator's own registry: standard OIDs and a vm.zone_stats stream that matches the live zones. */
class UmaSysctlTest {
    private final Uma uma = Uma.builder().kmemSize(64L << 20).maxCpus(3).build();

    @AfterEach
    void close() {
        uma.close();
    }

    private static int readInt(Sysctl s, String name) {
        ByteBuffer b = ByteBuffer.allocate(4).order(ByteOrder.nativeOrder());
        assertThat(s.read(name, b).ok()).isTrue();
        return b.getInt(0);
    }

    private static ByteBuffer readAll(Sysctl s, String name) {
        SysctlResult size = s.size(name);
        assertThat(size.ok()).isTrue();
        ByteBuffer b = ByteBuffer.allocate(size.size() + 4096).order(ByteOrder.nativeOrder());
        SysctlResult r = s.read(name, b);
        assertThat(r.ok()).isTrue();
        return b.flip();
    }

    /** Field offsets typed in from reference §1.2-§1.4, not taken from the writer. */
    private record Record(String name, int align, int size, int rsize, int limit, int pages, int kegFree,
            int zoneFree, int bucketSize, int flags, long allocs, long frees, long fails, long sleeps,
            long[] cpuAllocs, long[] cpuFrees, long[] cpuFree) {
    }

    private static List<Record> decode(ByteBuffer b) {
        assertThat(b.getInt(0)).isEqualTo(1);
        int maxcpus = b.getInt(4);
        int count = b.getInt(8);
        assertThat(b.getInt(12)).isZero();
        assertThat(b.remaining()).isEqualTo(16 + count * (120 + maxcpus * 64));
        List<Record> out = new ArrayList<>();
        int o = 16;
        for (int i = 0; i < count; i++) {
            byte[] name = new byte[32];
            b.get(o, name);
            int len = 0;
            while (name[len] != 0) {
                len++;
            }
            long[] ca = new long[maxcpus];
            long[] cf = new long[maxcpus];
            long[] cc = new long[maxcpus];
            for (int c = 0; c < maxcpus; c++) {
                int p = o + 120 + c * 64;
                ca[c] = b.getLong(p);
                cf[c] = b.getLong(p + 8);
                cc[c] = b.getLong(p + 16);
            }
            out.add(new Record(new String(name, 0, len, StandardCharsets.UTF_8), b.getInt(o + 32), b.getInt(o + 36),
                    b.getInt(o + 40), b.getInt(o + 48), b.getInt(o + 52), b.getInt(o + 56), b.getInt(o + 60),
                    b.getInt(o + 64), b.getInt(o + 68), b.getLong(o + 72), b.getLong(o + 80), b.getLong(o + 88),
                    b.getLong(o + 96), ca, cf, cc));
            o += 120 + maxcpus * 64;
        }
        return out;
    }

    @Test
    void registersTheStandardOids() {
        Sysctl s = uma.sysctl();
        assertThat(readInt(s, "kern.smp.maxid")).isEqualTo(2);
        assertThat(readInt(s, "kern.smp.maxcpus")).isEqualTo(3);
        assertThat(readInt(s, "vm.zone_count")).isEqualTo(uma.zones().size());
        assertThat(readInt(s, "vm.uma_count")).isEqualTo(uma.zones().size());
        ByteBuffer kmem = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder());
        assertThat(s.read("vm.kmem_size", kmem).ok()).isTrue();
        assertThat(kmem.getLong(0)).isEqualTo(64L << 20);
        assertThat(s.read("vm.nope", ByteBuffer.allocate(8)).errno()).isEqualTo(Errno.ENOENT);
    }

    @Test
    void zoneStatsStreamCarriesEveryZoneInStreamOrderWithItsLiveNumbers() {
        Zone mbuf = uma.zcreate("mbuf", 256, null, null, null, null, 255, 0);
        Zone cluster = uma.zcreate("mbuf_cluster", 2048, null, null, null, null, Uma.ALIGN_PTR, 0);
        cluster.setMax(1000);
        Zone packet = uma.zsecondCreate("mbuf_packet", null, null, null, null, mbuf);
        Zone longName = uma.zcreate("a_zone_name_that_is_longer_than_31_bytes", 64, null, null, null, null,
                Uma.ALIGN_PTR, 0);
        long[] held = new long[50];
        for (int i = 0; i < held.length; i++) {
            held[i] = cluster.alloc(Uma.M_WAITOK);
        }
        long p = packet.alloc(Uma.M_WAITOK);
        for (int i = 0; i < 10; i++) {
            cluster.free(held[i]);
        }
        List<Record> recs = decode(readAll(uma.sysctl(), "vm.zone_stats"));
        List<Zone> zones = uma.zones();
        assertThat(recs).hasSize(zones.size());
        assertThat(recs.subList(0, 4)).extracting(Record::name).containsExactly(
                "a_zone_name_that_is_longer_than", "mbuf_cluster", "mbuf", "mbuf_packet");
        for (int i = 0; i < recs.size(); i++) {
            Record r = recs.get(i);
            ZoneStats s = zones.get(i).stats();
            assertThat(r.size()).isEqualTo(s.size());
            assertThat(r.rsize()).isEqualTo(s.rsize());
            assertThat(r.align()).isEqualTo(s.align());
            assertThat(r.limit()).isEqualTo(s.limit());
            assertThat(r.bucketSize()).isZero();
            assertThat(r.flags()).isEqualTo(s.secondary() ? 1 : 0);
            long allocs = r.allocs();
            long frees = r.frees();
            long free = r.zoneFree();
            for (int c = 0; c < 3; c++) {
                allocs += r.cpuAllocs()[c];
                frees += r.cpuFrees()[c];
                free += r.cpuFree()[c];
            }
            assertThat(allocs).as(r.name()).isEqualTo(s.totalAllocs());
            assertThat(frees).as(r.name()).isEqualTo(s.totalFrees());
            assertThat(free).as(r.name()).isEqualTo(s.cacheFree() + s.zoneFree());
            assertThat(r.kegFree()).isEqualTo(s.kegFree());
        }
        Record cl = recs.get(1);
        assertThat(cl.limit()).isEqualTo(1000);
        assertThat(cl.allocs() + sum(cl.cpuAllocs()) - cl.frees() - sum(cl.cpuFrees())).isEqualTo(40);
        assertThat(recs.get(3).flags()).isEqualTo(1);
        assertThat(recs.get(2).flags()).isZero();
        packet.free(p);
    }

    @Test
    void streamIsProducedWhileAllocatorsKeepRunning() throws Exception {
        Zone z = uma.zcreate("busy", 128, null, null, null, null, Uma.ALIGN_PTR, 0);
        AtomicBoolean stop = new AtomicBoolean();
        Thread worker = Thread.ofPlatform().start(() -> {
            while (!stop.get()) {
                z.free(z.alloc(Uma.M_WAITOK));
            }
        });
        try {
            for (int i = 0; i < 200; i++) {
                List<Record> recs = decode(readAll(uma.sysctl(), "vm.zone_stats"));
                assertThat(recs.get(0).name()).isEqualTo("busy");
            }
        } finally {
            stop.set(true);
            worker.join();
        }
        assertThat(z.stats().used()).isZero();
    }

    private static long sum(long[] v) {
        long n = 0;
        for (long x : v) {
            n += x;
        }
        return n;
    }
}
