package org.memstat.lib;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.memstat.uma.Uma;
import org.memstat.uma.Zone;
import org.memstat.uma.malloc.Malloc;
import org.memstat.uma.malloc.MallocType;

/**
 * uma-core's writer and this library's decoders of vm.zone_samples and vm.zone_peaks, written independently from
 * docs/PROFILES.md, agree on live streams: repeated and long non-ASCII names, malloc tags, every zone present.
 */
class ProfileCrossCheckTest {

    @Test
    void decodesWhatUmaCoreWritesWithTheSameZonesAsVmZoneStats() throws Exception {
        try (Uma uma = Uma.builder().kmemSize(64L << 20).maxCpus(2).trimInterval(Duration.ZERO).sampleRate(1)
                .console(l -> { }).build()) {
            Malloc malloc = Malloc.create(uma);
            MallocType type = malloc.define("devbuf");
            Zone a = uma.zcreate("twice", 64, null, null, null, null, Uma.ALIGN_PTR, 0);
            Zone b = uma.zcreate("twice", 64, null, null, null, null, Uma.ALIGN_PTR, 0);
            Zone c = uma.zcreate("zone-ü-ümläüte-ëverywhere-ïn-it", 128, null, null, null, null, Uma.ALIGN_PTR, 0);
            List<Long> held = new ArrayList<>();
            held.add(a.alloc(Uma.M_WAITOK));
            held.add(b.alloc(Uma.M_WAITOK));
            held.add(b.alloc(Uma.M_WAITOK));
            long m = malloc.malloc(300, type, Uma.M_WAITOK);
            long cItem = c.alloc(Uma.M_WAITOK);
            UmaRegistrySource source = new UmaRegistrySource(uma.sysctl());
            MemoryTypeList list = new MemoryTypeList();
            list.refreshUma(source);

            SampleProfile p = SampleProfile.read(source);
            assertThat(p.takenNanos()).isPositive();
            assertThat(p.zones("twice")).hasSize(2);
            // Newest keg first: b, whose two allocations are two sites (two lines), then a.
            assertThat(p.zones("twice").get(0).sites()).extracting(SampleSite::inuseObjects).containsOnly(1L)
                    .hasSize(2);
            assertThat(p.zones("twice").get(1).sites()).extracting(SampleSite::inuseObjects).containsExactly(1L);
            SampleSite tagged = p.zones("malloc-384").get(0).sites().get(0);
            assertThat(tagged.tag()).isEqualTo("devbuf");
            assertThat(tagged.frames().get(0).className()).isEqualTo(ProfileCrossCheckTest.class.getName());
            assertThat(tagged.inuse()).isEqualTo(new SampleSite.Estimate(1, 384));
            assertThat(p.zones().stream().map(ZoneSamples::zone))
                    .allSatisfy(n -> assertThat(n.getBytes(java.nio.charset.StandardCharsets.UTF_8).length)
                            .isLessThanOrEqualTo(31));

            ZonePeaks peaks = ZonePeaks.read(source);
            assertThat(peaks.zones()).hasSize(list.size());
            assertThat(peaks.pagesPeakBytes()).isGreaterThanOrEqualTo(peaks.pagesBytes()).isPositive();
            assertThat(peaks.find("twice", 1).orElseThrow().usedPeakItems()).isEqualTo(1);
            assertThat(peaks.find("twice", 0).orElseThrow().usedPeakItems()).isEqualTo(2);
            assertThat(peaks.find("twice", 2)).isEmpty();
            // Every ASCII name of vm.zone_stats has its peak record (the list's order is libmemstat's, not the stream's).
            List<String> ascii = list.types().stream().map(MemoryType::name)
                    .filter(n -> n.chars().allMatch(ch -> ch < 0x80)).toList();
            assertThat(peaks.zones().stream().map(ZonePeak::zone).filter(ascii::contains).toList())
                    .containsExactlyInAnyOrderElementsOf(ascii);
            held.forEach(x -> (x == held.get(0) ? a : b).free(x));
            malloc.free(m, type);
            c.free(cItem);
        }
    }
}
