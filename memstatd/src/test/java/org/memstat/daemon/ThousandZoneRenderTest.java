package org.memstat.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.memstat.lib.SysctlSource;
import org.memstat.uma.Uma;

/**
 * A 1,000-zone source renders as valid exposition text with every zone in it. How long that takes is measured by
 * the JMH benchmark {@code MetricsRenderBenchmark} in the benchmarks module, never asserted here.
 */
class ThousandZoneRenderTest {
    @Test
    void rendersAThousandZonesAsStrictlyValidExposition() throws Exception {
        Map<String, byte[]> snap;
        try (Uma uma = ZoneDump.manyZones(1000)) {
            snap = ZoneDump.snapshot(uma);
        }
        try (MetricsRenderer r = MetricsRenderer.of(Map.of("big", SysctlSource.of(snap)))) {
            ByteArrayOutputStream sample = new ByteArrayOutputStream();
            r.render(sample, false);
            Exposition e = Exposition.parse(sample.toString(java.nio.charset.StandardCharsets.UTF_8), false);
            // The 1,000 zones plus the allocator's 8 bucket zones, one series each.
            assertThat(e.series("memstat_zone_used_items")).hasSize(1008);
        }
    }
}
