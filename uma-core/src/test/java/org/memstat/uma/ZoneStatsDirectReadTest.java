package org.memstat.uma;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.memstat.uma.sysctl.Errno;
import org.memstat.uma.sysctl.Sysctl;
import org.memstat.uma.sysctl.SysctlResult;
import org.memstat.uma.sysctl.ZoneStatsStream;

/**
 * {@code vm.zone_stats} read straight into the caller's buffer from a live allocator: the same bytes as the
 * snapshot path, ENOMEM with the right size when zones appear after the size query, well-formed streams while zones
 * come and go, and no per-zone allocation once warm.
 */
@Timeout(120)
class ZoneStatsDirectReadTest {
    /** Two words of the per-slot bitmap, so the second word is exercised too. */
    private static final int CPUS = 65;
    private static final int RECORD = 120 + CPUS * 64;
    private static final byte JUNK = (byte) 0x5A;

    private final Uma uma = Uma.builder().kmemSize(256L << 20).maxCpus(CPUS).build();
    private final Sysctl sysctl = uma.sysctl();

    @AfterEach
    void close() {
        uma.close();
    }

    private static ByteBuffer junk(ByteBuffer b) {
        byte[] fill = new byte[b.capacity()];
        Arrays.fill(fill, JUNK);
        b.duplicate().clear().put(0, fill);
        return b;
    }

    /** Bytes by absolute index, whatever the buffer's position and limit. */
    private static byte[] bytes(ByteBuffer b, int from, int n) {
        byte[] out = new byte[n];
        b.duplicate().clear().get(from, out);
        return out;
    }

    private byte[] snapshotStream() {
        List<ZoneStats> stats = new ArrayList<>();
        for (Zone z : uma.zones()) {
            stats.add(z.stats());
        }
        return ZoneStatsStream.write(CPUS, stats);
    }

    /** Runs {@code body} on a platform thread (its own cache slot) or a virtual one (a shared cache), to the end. */
    private static void on(boolean virtual, Runnable body) throws InterruptedException {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = (virtual ? Thread.ofVirtual() : Thread.ofPlatform()).unstarted(body);
        t.setUncaughtExceptionHandler((th, e) -> failure.set(e));
        t.start();
        t.join();
        assertThat(failure.get()).isNull();
    }

    @Test
    void directReadGivesTheSnapshotStreamOfTheLiveZones() throws Exception {
        Zone mbuf = uma.zcreate("mbuf", 256, null, null, null, null, 255, 0);
        Zone packet = uma.zsecondCreate("mbuf_packet", null, null, null, null, mbuf);
        Zone limited = uma.zcreate("limited", 2048, null, null, null, null, Uma.ALIGN_PTR, 0);
        limited.setMax(100);
        List<Zone> busy = List.of(mbuf, packet, limited, uma.zcreate("z\u00e9ro_used", 48, null, null, null, null,
                Uma.ALIGN_PTR, 0));
        List<Long> held = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int seed = t;
            on(t % 3 == 2, () -> {
                for (Zone z : busy) {
                    long[] items = new long[5 + seed];
                    for (int i = 0; i < items.length; i++) {
                        items[i] = z.alloc(Uma.M_WAITOK);
                    }
                    for (int i = 1; i < items.length; i++) {
                        z.free(items[i]);
                    }
                    synchronized (held) {
                        held.add(items[0]);
                    }
                }
            });
        }
        byte[] expected = snapshotStream();
        assertThat(expected.length).isEqualTo(16 + uma.zones().size() * RECORD);

        ByteBuffer direct = junk(ByteBuffer.allocateDirect(expected.length + 64));
        assertThat(sysctl.read("vm.zone_stats", direct)).isEqualTo(new SysctlResult(Errno.OK, expected.length));
        assertThat(bytes(direct, 0, expected.length)).isEqualTo(expected);
        assertThat(bytes(direct, expected.length, 64)).containsOnly(JUNK);

        ByteBuffer heap = junk(ByteBuffer.allocate(expected.length + 9).order(ByteOrder.BIG_ENDIAN)).position(9);
        assertThat(sysctl.read("vm.zone_stats", heap).ok()).isTrue();
        assertThat(bytes(heap, 9, expected.length)).isEqualTo(expected);

        ByteBuffer small = junk(ByteBuffer.allocateDirect(expected.length - 100));
        assertThat(sysctl.read("vm.zone_stats", small)).isEqualTo(new SysctlResult(Errno.ENOMEM, expected.length));
        assertThat(bytes(small, 0, small.capacity())).isEqualTo(Arrays.copyOf(expected, small.capacity()));
        for (int i = 0; i < held.size(); i++) {
            busy.get(i % busy.size()).free(held.get(i));
        }
    }

    @Test
    void zoneCreatedAfterTheSizeQueryGivesEnomemAndTheNewSize() {
        uma.zcreate("first", 64, null, null, null, null, Uma.ALIGN_PTR, 0);
        int before = sysctl.size("vm.zone_stats").size();
        Zone late = uma.zcreate("late", 128, null, null, null, null, Uma.ALIGN_PTR, 0);
        late.free(late.alloc(Uma.M_WAITOK));
        ByteBuffer b = junk(ByteBuffer.allocateDirect(before));
        assertThat(sysctl.read("vm.zone_stats", b)).isEqualTo(new SysctlResult(Errno.ENOMEM, before + RECORD));
        byte[] now = snapshotStream();
        assertThat(bytes(b, 0, before)).isEqualTo(Arrays.copyOf(now, before));

        late.destroy();
        ByteBuffer roomy = junk(ByteBuffer.allocateDirect(before + RECORD));
        assertThat(sysctl.read("vm.zone_stats", roomy)).isEqualTo(new SysctlResult(Errno.OK, before));
        assertThat(bytes(roomy, 0, before)).isEqualTo(snapshotStream());
    }

    @Test
    void zonesComingAndGoingDuringReadsNeverYieldAMalformedStream() throws Exception {
        for (int i = 0; i < 5; i++) {
            uma.zcreate("base_" + i, 64, null, null, null, null, Uma.ALIGN_PTR, 0);
        }
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        // Churns until the reader below has done its fixed number of reads, so the two always overlap.
        Thread mutator = Thread.ofPlatform().start(() -> {
            try {
                List<Zone> live = new ArrayList<>();
                for (int i = 0; !stop.get(); i++) {
                    Zone z = uma.zcreate("churn_" + i, 32 + 16 * (i % 8), null, null, null, null, Uma.ALIGN_PTR, 0);
                    z.free(z.alloc(Uma.M_WAITOK));
                    live.add(z);
                    if (live.size() > 3 || i % 5 == 0) {
                        live.remove(0).destroy();
                    }
                }
                live.forEach(Zone::destroy);
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        int ok = 0;
        int enomem = 0;
        try {
            for (int reads = 0; reads < 400; reads++) {
                int hint = sysctl.size("vm.zone_stats").size();
                // Exactly the size seen (a zone created since overflows it) or room for one more record.
                ByteBuffer b = junk(ByteBuffer.allocateDirect(hint + (reads % 2) * RECORD))
                        .order(ByteOrder.nativeOrder());
                SysctlResult r = sysctl.read("vm.zone_stats", b);
                int count = b.getInt(8);
                if (r.ok()) {
                    ok++;
                    assertThat(r.size()).isEqualTo(16 + count * RECORD).isLessThanOrEqualTo(b.capacity());
                    assertThat(b.position()).isEqualTo(r.size());
                    assertWellFormed(b, count);
                } else {
                    enomem++;
                    assertThat(r.errno()).isEqualTo(Errno.ENOMEM);
                    assertThat(r.size()).isGreaterThan(b.capacity());
                    assertThat((r.size() - 16) % RECORD).isZero();
                    assertThat(count).as("header of the truncated prefix").isEqualTo((r.size() - 16) / RECORD);
                    assertThat(b.position()).isEqualTo(b.capacity());
                }
            }
        } finally {
            stop.set(true);
            mutator.join();
        }
        assertThat(failure.get()).isNull();
        assertThat(ok).isPositive();
        assertThat(ok + enomem).isEqualTo(400);
        assertThat(uma.zones()).extracting(z -> z.name).noneMatch(n -> n.startsWith("churn_"));
    }

    /** Header, names (unique, NUL-terminated, zero padded, known) and every reserved field zero. */
    private static void assertWellFormed(ByteBuffer b, int count) {
        assertThat(b.getInt(0)).isEqualTo(1);
        assertThat(b.getInt(4)).isEqualTo(CPUS);
        assertThat(b.getInt(12)).isZero();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < count; i++) {
            int o = 16 + i * RECORD;
            byte[] field = bytes(b, o, 32);
            int len = 0;
            while (len < 32 && field[len] != 0) {
                len++;
            }
            assertThat(len).as("record %d name is NUL-terminated", i).isLessThan(32);
            assertThat(Arrays.copyOfRange(field, len, 32)).as("name padding").isEqualTo(new byte[32 - len]);
            String name = new String(field, 0, len, StandardCharsets.US_ASCII);
            assertThat(name).matches("(base|churn)_\\d+|\\d+ Bucket");
            assertThat(names.add(name)).as("%s appears once", name).isTrue();
            long reserved = b.getLong(o + 112);
            for (int c = 0; c < CPUS; c++) {
                int p = o + 120 + c * 64;
                for (int r = 24; r < 64; r += 8) {
                    reserved |= b.getLong(p + r);
                }
            }
            assertThat(reserved).as("record %d reserved fields", i).isZero();
        }
    }

    @Test
    void warmDirectReadAllocatesAlmostNothing() {
        for (int i = 0; i < 100; i++) {
            Zone z = uma.zcreate("zone_" + i, 64 + 16 * (i % 32), null, null, null, null, Uma.ALIGN_PTR, 0);
            z.free(z.alloc(Uma.M_WAITOK));
        }
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        ByteBuffer b = ByteBuffer.allocateDirect(sysctl.size("vm.zone_stats").size());
        for (int i = 0; i < 2000; i++) {
            b.clear();
            assertThat(sysctl.read("vm.zone_stats", b).ok()).isTrue();
        }
        // The JIT compiles in the background and only compiled code drops the iterator objects of the zone walk,
        // so measure in rounds and keep the best: a warm read must reach the bound, a per-zone object never would.
        int reads = 200;
        long best = Long.MAX_VALUE;
        for (int round = 0; round < 25 && best >= 256; round++) {
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < reads; i++) {
                b.clear();
                sysctl.read("vm.zone_stats", b);
            }
            best = Math.min(best, (threads.getCurrentThreadAllocatedBytes() - before) / reads);
        }
        // 108 zones x 64 slots: a single 16-byte object per zone would be 1.7 KB per read.
        assertThat(best).as("bytes allocated per warm read").isLessThan(256);
    }
}
