package org.memstat.uma.sysctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * A warm writer allocates nothing per zone (and nothing per stream): measured with the thread's allocation counter,
 * so this is about behaviour, not timing.
 */
class StreamWriterAllocationTest {
    private static final int ZONES = 100;
    private static final int CPUS = 64;
    private static final int ROUNDS = 200;

    private final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @Test
    void warmZoneWriterAllocatesNothingPerZone() {
        String[] names = new String[ZONES];
        for (int i = 0; i < ZONES; i++) {
            names[i] = i % 10 == 0 ? "z\u00e9ne-" + i : "zone-" + i;
        }
        ZoneStatsStream.Writer w = new ZoneStatsStream.Writer();
        for (int i = 0; i < 50; i++) {
            writeZones(w, names, i);
        }
        long before = threads.getCurrentThreadAllocatedBytes();
        long sum = 0;
        for (int i = 0; i < ROUNDS; i++) {
            sum += writeZones(w, names, i);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertThat(sum).isEqualTo((long) ROUNDS * ZoneStatsStream.size(CPUS, ZONES));
        // 20,000 zone records and 1.28 M cpu records: anything per record would be megabytes.
        assertThat(allocated).as("bytes allocated over %d streams", ROUNDS).isLessThan(4096);
    }

    @Test
    void warmMallocWriterAllocatesNothingPerType() {
        MallocStatsStream.Writer w = new MallocStatsStream.Writer();
        for (int i = 0; i < 50; i++) {
            writeTypes(w, i);
        }
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < ROUNDS; i++) {
            writeTypes(w, i);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertThat(allocated).as("bytes allocated over %d streams", ROUNDS).isLessThan(4096);
    }

    private static int writeZones(ZoneStatsStream.Writer w, String[] names, long seed) {
        w.begin(CPUS, names.length);
        for (int z = 0; z < names.length; z++) {
            w.zone(names[z], 7, 256, 256, 10, 1000, 10, 5, 3, z % 3 == 1, seed, seed, 0, 0, 0);
            for (int c = 0; c < CPUS; c++) {
                w.cpu(seed + c, seed, c);
            }
        }
        return w.finish().remaining();
    }

    private static void writeTypes(MallocStatsStream.Writer w, long seed) {
        w.begin(CPUS);
        for (int t = 0; t < ZONES; t++) {
            w.type("type");
            for (int c = 0; c < CPUS / 2; c++) {
                w.cpu(seed, seed, c, c, 1);
            }
            w.zeroCpus();
        }
        w.finish();
    }

    @Test
    void theOwnBufferShrinksBackWhenTheStreamsDo() {
        ZoneStatsStream.Writer w = new ZoneStatsStream.Writer();
        String[] many = new String[2_000];
        java.util.Arrays.fill(many, "zone");
        writeZones(w, many, 1);
        long big = w.stream().ownCapacity();
        assertThat(big).isGreaterThanOrEqualTo(ZoneStatsStream.size(CPUS, many.length));
        String[] few = {"a", "b"};
        writeZones(w, few, 2);
        // The first small stream after a big one keeps the buffer (the next may be big again); the second not.
        writeZones(w, few, 3);
        long small = w.stream().ownCapacity();
        assertThat(small).isLessThanOrEqualTo(Math.max(4096, 2 * ZoneStatsStream.size(CPUS, few.length)));
        // Steady streams never reallocate.
        writeZones(w, few, 4);
        assertThat((long) w.stream().ownCapacity()).isEqualTo(small);
    }
}
