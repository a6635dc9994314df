package org.memstat.lib;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.memstat.uma.Uma;
import org.memstat.uma.Zone;

/**
 * The sampler is unbiased end to end: a synthetic workload with known sites and sizes runs on uma-core, its
 * {@code vm.zone_samples} is decoded here, and the scaled estimates ({@link SampleSite#inuse()},
 * {@link SampleSite#alloc()}) land within {@value #TOLERANCE} of the truth for every site, small items far below
 * the rate as well as items larger than it. Seeded, so the run is the same every time; the tolerance is at least
 * four standard deviations of each estimate (each site gets thousands of samples).
 */
class SamplingAccuracyTest {
    private static final double TOLERANCE = 0.05;

    /** A site: which method allocated (through {@link #churn}, the first frame), how many items, how many it still holds. */
    private record Truth(String method, Zone zone, int allocs, int held) {
    }

    @Test
    void scaledEstimatesAreWithinFivePercentOfTheTruthForEverySite() throws Exception {
        try (Uma uma = Uma.builder().kmemSize(1L << 30).maxCpus(2).trimInterval(Duration.ZERO).sampleSeed(2026)
                .build()) {
            Zone small = uma.zcreate("small", 256, null, null, null, null, Uma.ALIGN_PTR, 0);
            Zone page = uma.zcreate("page", 4096, null, null, null, null, Uma.ALIGN_PTR, 0);
            Zone big = uma.zcreate("big", 64 * 1024, null, null, null, null, Uma.ALIGN_PTR, 0);
            small.setSampleRate(4096);
            page.setSampleRate(32 * 1024);
            big.setSampleRate(16 * 1024);
            Map<Zone, List<Long>> keep = new HashMap<>();
            List<Truth> truth = List.of(
                    new Truth("sessions", small, 400_000, 100_000),
                    new Truth("scratch", small, 200_000, 0),
                    new Truth("pages", page, 200_000, 40_000),
                    new Truth("blobs", big, 6_000, 3_000));
            sessions(small, 400_000, 100_000, keep.computeIfAbsent(small, k -> new ArrayList<>()));
            scratch(small, 200_000);
            pages(page, 200_000, 40_000, keep.computeIfAbsent(page, k -> new ArrayList<>()));
            blobs(big, 6_000, 3_000, keep.computeIfAbsent(big, k -> new ArrayList<>()));

            SampleProfile p = SampleProfile.decode(new UmaRegistrySource(uma.sysctl()).read(SampleProfile.OID));
            for (Truth t : truth) {
                ZoneSamples zs = p.zones(t.zone().name()).get(0);
                SampleSite site = zs.sites().stream()
                        .filter(s -> s.frames().get(1).method().equals(t.method())).findFirst().orElseThrow();
                long size = t.zone().size();
                assertThat(site.alloc().objects()).as(t.method() + " alloc objects")
                        .isCloseTo(t.allocs(), within((long) (t.allocs() * TOLERANCE)));
                assertThat(site.alloc().bytes()).as(t.method() + " alloc bytes")
                        .isCloseTo(t.allocs() * size, within((long) (t.allocs() * size * TOLERANCE)));
                if (t.held() == 0) {
                    assertThat(site.inuse().objects()).as(t.method() + " holds nothing").isZero();
                } else {
                    assertThat(site.inuse().objects()).as(t.method() + " in-use objects")
                            .isCloseTo(t.held(), within((long) (t.held() * TOLERANCE)));
                    assertThat(site.inuse().bytes()).as(t.method() + " in-use bytes")
                            .isCloseTo(t.held() * size, within((long) (t.held() * size * TOLERANCE)));
                }
            }
            keep.forEach((z, items) -> items.forEach(z::free));
        }
    }

    @Test
    void atRateOneTheCountsAreExact() throws Exception {
        try (Uma uma = Uma.builder().kmemSize(64L << 20).maxCpus(2).trimInterval(Duration.ZERO).sampleRate(1)
                .build()) {
            Zone z = uma.zcreate("exact", 100, null, null, null, null, Uma.ALIGN_PTR, 0);
            List<Long> keep = new ArrayList<>();
            sessions(z, 5000, 1234, keep);
            SampleSite site = SampleProfile.decode(new UmaRegistrySource(uma.sysctl()).read(SampleProfile.OID))
                    .zones("exact").get(0).sites().get(0);
            assertThat(site.alloc()).isEqualTo(new SampleSite.Estimate(5000, 500_000));
            assertThat(site.inuse()).isEqualTo(new SampleSite.Estimate(1234, 123_400));
            keep.forEach(z::free);
        }
    }

    private static void sessions(Zone z, int allocs, int held, List<Long> keep) {
        churn(z, allocs, held, keep);
    }

    private static void scratch(Zone z, int allocs) {
        churn(z, allocs, 0, null);
    }

    private static void pages(Zone z, int allocs, int held, List<Long> keep) {
        churn(z, allocs, held, keep);
    }

    private static void blobs(Zone z, int allocs, int held, List<Long> keep) {
        churn(z, allocs, held, keep);
    }

    /** Allocates {@code allocs} items, keeping every k-th until {@code held} are kept, freeing the rest at once. */
    private static void churn(Zone z, int allocs, int held, List<Long> keep) {
        int every = held == 0 ? Integer.MAX_VALUE : allocs / held;
        int kept = 0;
        for (int i = 0; i < allocs; i++) {
            long a = z.alloc(Uma.M_WAITOK);
            if (kept < held && i % every == 0) {
                keep.add(a);
                kept++;
            } else {
                z.free(a);
            }
        }
    }
}
