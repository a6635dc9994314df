package org.memstat.lib;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The committed golden profile streams ({@link ProfileGoldens}) decode to their committed text, the big-endian
 * files to the same, and the files are what the generator documents. To regenerate them after a deliberate
 * change: {@code ./mvnw -pl memstat-lib test -Dtest=ProfileGoldenTest -Dmemstat.golden.write=true}, then review
 * the {@code .txt} diff by hand.
 */
class ProfileGoldenTest {
    private static String text(String name) {
        return new String(ProfileGoldens.read(name), StandardCharsets.UTF_8);
    }

    @Test
    void committedFilesAreWhatTheGeneratorDocuments() throws IOException {
        Map<String, byte[]> generated = ProfileGoldens.generate();
        Path dir = ProfileGoldens.sourceDir();
        if (Boolean.getBoolean("memstat.golden.write")) {
            Files.createDirectories(dir);
            for (Map.Entry<String, byte[]> e : generated.entrySet()) {
                Files.write(dir.resolve(e.getKey()), e.getValue());
            }
        }
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted())
                    .containsExactlyElementsOf(generated.keySet().stream().sorted().toList());
        }
        for (Map.Entry<String, byte[]> e : generated.entrySet()) {
            assertThat(Files.readAllBytes(dir.resolve(e.getKey()))).as(e.getKey()).isEqualTo(e.getValue());
        }
    }

    @Test
    void samplesGoldenDecodesToItsText() throws MemstatException {
        SampleProfile p = SampleProfile.decode(ProfileGoldens.read("zone_samples.le.bin"));
        assertThat(ProfileText.render(p)).isEqualTo(text("zone_samples.txt"));
        assertThat(p).isEqualTo(ProfileGoldens.samples());
    }

    @Test
    void bigEndianSamplesDecodeToTheSame() throws MemstatException {
        assertThat(SampleProfile.decode(ProfileGoldens.read("zone_samples.be.bin")))
                .isEqualTo(SampleProfile.decode(ProfileGoldens.read("zone_samples.le.bin")));
    }

    @Test
    void peaksGoldenDecodesToItsText() throws MemstatException {
        ZonePeaks p = ZonePeaks.decode(ProfileGoldens.read("zone_peaks.le.bin"));
        assertThat(ProfileText.render(p)).isEqualTo(text("zone_peaks.txt"));
        assertThat(p).isEqualTo(ProfileGoldens.peaks());
    }

    @Test
    void bigEndianPeaksDecodeToTheSame() throws MemstatException {
        assertThat(ZonePeaks.decode(ProfileGoldens.read("zone_peaks.be.bin")))
                .isEqualTo(ZonePeaks.decode(ProfileGoldens.read("zone_peaks.le.bin")));
    }

    @Test
    void goldensReadThroughADirSourceLikeADump() throws MemstatException {
        Map<String, byte[]> values = Map.of(SampleProfile.OID, ProfileGoldens.read("zone_samples.be.bin"),
                ZonePeaks.OID, ProfileGoldens.read("zone_peaks.be.bin"));
        SysctlSource s = SysctlSource.of(values);
        assertThat(SampleProfile.read(s).zones("mbuf_cluster")).hasSize(2);
        assertThat(ZonePeaks.read(s).find("64 Bucket", 1)).get().extracting(ZonePeak::usedPeakItems).isEqualTo(2L);
    }
}
