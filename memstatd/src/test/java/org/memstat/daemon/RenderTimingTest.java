package org.memstat.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.memstat.lib.SysctlSource;
import org.memstat.uma.Uma;

/**
 * A rough plain-loop measurement of reading and rendering {@code /metrics} for 1,000 zones (the JMH benchmark
 * belongs to the benchmarks module); the bound is loose so a busy CI machine does not fail it.
 */
class RenderTimingTest {
    @Test
    void rendersAThousandZonesWellWithinTheBudget() throws Exception {
        Map<String, byte[]> snap;
        try (Uma uma = ZoneDump.manyZones(1000)) {
            snap = ZoneDump.snapshot(uma);
        }
        try (MetricsRenderer r = MetricsRenderer.of(Map.of("big", SysctlSource.of(snap)))) {
            ByteArrayOutputStream sample = new ByteArrayOutputStream();
            r.render(sample, false);
            Exposition e = Exposition.parse(sample.toString(java.nio.charset.StandardCharsets.UTF_8), false);
            assertThat(e.series("memstat_zone_used_items")).hasSizeGreaterThanOrEqualTo(1000);
            for (int i = 0; i < 300; i++) {
                r.render(OutputStream.nullOutputStream(), false);
            }
            long[] nanos = new long[300];
            for (int i = 0; i < nanos.length; i++) {
                long t0 = System.nanoTime();
                r.render(OutputStream.nullOutputStream(), false);
                nanos[i] = System.nanoTime() - t0;
            }
            Arrays.sort(nanos);
            System.out.printf("render 1000 zones (%d bytes): median %.2f ms, p90 %.2f ms%n", sample.size(),
                    nanos[150] / 1e6, nanos[270] / 1e6);
            assertThat(nanos[150] / 1e6).isLessThan(25.0);
        }
    }
}
