package org.memstat.uma;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The cost of a zone does not grow with the number of zones. */
class ZoneCostTest {

    /** Heap bytes this thread allocated creating {@code n} zones after {@code existing} others. */
    private static long heapPerZone(Uma uma, int existing, int n) {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().threadId();
        for (int i = 0; i < existing; i++) {
            uma.zcreate("filler", 64, null, null, null, null, Uma.ALIGN_PTR, 0);
        }
        long before = mx.getThreadAllocatedBytes(tid);
        for (int i = 0; i < n; i++) {
            uma.zcreate("measured", 64, null, null, null, null, Uma.ALIGN_PTR, 0);
        }
        return (mx.getThreadAllocatedBytes(tid) - before) / n;
    }

    @Test
    void zcreateAllocatesTheSameHeapAtTenThousandZonesAsAtAThousand() {
        long small;
        long large;
        try (Uma uma = Uma.builder().kmemSize(64L << 20).maxCpus(2).trimInterval(Duration.ZERO).build()) {
            small = heapPerZone(uma, 1_000, 500);
        }
        try (Uma uma = Uma.builder().kmemSize(64L << 20).maxCpus(2).trimInterval(Duration.ZERO).build()) {
            large = heapPerZone(uma, 10_000, 500);
        }
        // A copy-on-write list of kegs used to cost 4 bytes per existing zone on every create (39 KB at 10,000).
        assertThat(large).as("bytes per zcreate at 10,000 zones vs %d at 1,000", small)
                .isLessThan(small + 512);
    }
}
