package org.memstat.lib;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * The committed golden files are exactly what {@link GoldenStreams} documents. To regenerate them after a
 * deliberate change: {@code ./mvnw -pl memstat-lib test -Dtest=GoldenFilesTest -Dmemstat.golden.write=true}.
 */
class GoldenFilesTest {
    static final java.util.List<String> DIRS = GoldenStreams.DIRS;

    @ParameterizedTest
    @FieldSource("DIRS")
    void committedFilesAreWhatTheGeneratorDocuments(String dir) throws IOException {
        Map<String, byte[]> generated = GoldenStreams.generate(dir);
        if (Boolean.getBoolean("memstat.golden.write")) {
            Path out = Path.of("src/test/resources/golden/v1", dir);
            Files.createDirectories(out);
            for (Map.Entry<String, byte[]> e : generated.entrySet()) {
                Files.write(out.resolve(e.getKey()), e.getValue());
            }
        }
        Path committed = Path.of("src/test/resources/golden/v1", dir);
        try (var files = Files.list(committed)) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted())
                    .containsExactlyElementsOf(generated.keySet().stream().sorted().toList());
        }
        for (Map.Entry<String, byte[]> e : generated.entrySet()) {
            assertThat(Files.readAllBytes(committed.resolve(e.getKey())))
                    .as(dir + "/" + e.getKey()).isEqualTo(e.getValue());
        }
    }

    @ParameterizedTest
    @FieldSource("DIRS")
    void streamLengthsFollowTheReferenceFormula(String dir) {
        Map<String, byte[]> generated = GoldenStreams.generate(dir);
        int cpus = switch (dir) {
            case "le-1cpu" -> 1;
            case "le-64cpu" -> 64;
            default -> 2;
        };
        int zones = dir.equals("le-1cpu") ? 3 : dir.equals("le-64cpu") ? 2 : 5;
        int types = dir.equals("le-1cpu") || dir.equals("le-64cpu") ? 1 : 3;
        assertThat(generated.get(GoldenStreams.ZONE_STATS)).hasSize(16 + zones * (120 + cpus * 64));
        assertThat(generated.get(GoldenStreams.MALLOC_STATS)).hasSize(16 + types * (32 + cpus * 64));
    }
}
