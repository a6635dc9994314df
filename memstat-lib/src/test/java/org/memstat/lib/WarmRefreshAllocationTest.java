package org.memstat.lib;

import static java.nio.ByteOrder.LITTLE_ENDIAN;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.memstat.lib.StreamEncoder.MallocType;
import org.memstat.lib.StreamEncoder.Zone;

/**
 * A warm refresh of 1,000 zones x 64 CPUs (about 4.2 MB) allocates nothing per zone: the second refresh of
 * the same names allocates less than 64 KiB in total, measured with the thread's allocation counter. This is
 * a behaviour test (what is allocated), not a timing test.
 */
class WarmRefreshAllocationTest {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private static SysctlSource registry(int zones, int cpus, long bump) {
        List<Zone> zs = new ArrayList<>();
        for (int i = 0; i < zones; i++) {
            Zone z = new Zone("zone-" + i).size(256, 256).free(i, 2 * i).counts(1000 + bump, 10, 0, 0, 0);
            for (int j = 0; j < cpus; j++) {
                z.cpu(j, j + bump, j, 1);
            }
            zs.add(z);
        }
        List<MallocType> ts = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            ts.add(new MallocType("type-" + i).cpu(cpus - 1, 64 + bump, 0, 1, 0, 4));
        }
        // The source hands out these arrays as they are, so the measurement sees only the list's own work.
        return SysctlSource.of(TestSources.kernel(LITTLE_ENDIAN, StreamEncoder.uma(LITTLE_ENDIAN, cpus, zs),
                StreamEncoder.malloc(LITTLE_ENDIAN, cpus, ts)));
    }

    private static long allocatedBy(Action a) throws MemstatException {
        long id = Thread.currentThread().threadId();
        long before = THREADS.getThreadAllocatedBytes(id);
        a.run();
        return THREADS.getThreadAllocatedBytes(id) - before;
    }

    private interface Action {
        void run() throws MemstatException;
    }

    @Test
    void warmRefreshOfAThousandZonesOfSixtyFourCpusAllocatesNothingPerZone() throws Exception {
        assertThat(THREADS.isThreadAllocatedMemorySupported()).isTrue();
        THREADS.setThreadAllocatedMemoryEnabled(true);
        SysctlSource first = registry(1000, 64, 0);
        SysctlSource second = registry(1000, 64, 7);
        assertThat(first.read("vm.zone_stats")).hasSize(16 + 1000 * (120 + 64 * 64));
        MemoryTypeList list = new MemoryTypeList();
        long cold = allocatedBy(() -> list.refreshAll(first));
        for (int i = 0; i < 3; i++) {
            list.refreshAll(i % 2 == 0 ? second : first);
        }
        long warm = allocatedBy(() -> list.refreshAll(second));
        long warmUmaOnly = allocatedBy(() -> list.refreshUma(first));

        // The cold refresh must allocate a type per zone, or the probe would not see allocations at all.
        assertThat(cold).isGreaterThan(1000L * 64 * 6 * 8);
        assertThat(warm).as("bytes allocated by a warm refreshAll").isLessThan(64 << 10);
        assertThat(warmUmaOnly).as("bytes allocated by a warm refreshUma").isLessThan(64 << 10);
        MemoryType z = list.find(Allocator.UMA, "zone-999").orElseThrow();
        assertThat(z.numAllocs()).isEqualTo(1000 + 63 * 64 / 2);
        assertThat(list.size()).isEqualTo(1100);
    }
}
