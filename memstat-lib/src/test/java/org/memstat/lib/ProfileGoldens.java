package org.memstat.lib;

import static java.nio.ByteOrder.BIG_ENDIAN;
import static java.nio.ByteOrder.LITTLE_ENDIAN;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The golden profile streams under {@code src/test/resources/golden/v1/profiles/}: this class is their generator
 * and documents every value. {@code zone_samples.le.bin} and {@code zone_peaks.le.bin} are what a little-endian
 * producer writes, {@code *.be.bin} the same numbers big-endian, and {@code *.txt} the {@link ProfileText}
 * rendering of the models below, reviewed by hand. {@link ProfileGoldenTest} keeps files and generator identical
 * and decodes the files back to the text.
 */
final class ProfileGoldens {
    private ProfileGoldens() {
    }

    static final String DIR = "profiles";
    /** 2025-11-24T15:20:00.123456789Z. */
    static final long TAKEN = 1_763_997_600_123_456_789L;

    private static final SampleFrame READ = new SampleFrame("org.example.net.Conn", "readPacket", "Conn.java", 120);
    private static final SampleFrame LOOP = new SampleFrame("org.example.net.Loop", "run", "Loop.java", 57);
    private static final SampleFrame THREAD = new SampleFrame("java.lang.Thread", "run", "Thread.java", 1583);
    private static final SampleFrame LAMBDA = new SampleFrame("org.example.Gen", "lambda$fill$0", "", -1);
    private static final SampleFrame NATIVE = new SampleFrame("jdk.internal.misc.Unsafe", "allocateMemory0",
            "Unsafe.java", -2);
    private static final SampleFrame CONF = new SampleFrame("org.example.Config", "load", "Config.java", 9);

    /**
     * Six zones in {@code vm.zone_stats} order:
     * <ul>
     *   <li>{@code mbuf_cluster} at the default rate (512 KiB), 2 KiB items: a three-frame site with 4 samples,
     *       2 still in use, and a one-frame site with no file or line whose only sample was freed;</li>
     *   <li>{@code malloc-256}, a malloc(9) zone at rate 1 (exact): a {@code devbuf} site and a {@code temp} site
     *       that shares its inner frame and was taken under the older 512 KiB rate (a site is kept per rate);</li>
     *   <li>{@code mbuf}, sampling off and nothing sampled: a record with no sites;</li>
     *   <li>{@code zöne_µ}, a non-ASCII name (8 bytes of UTF-8), whose site ends in a native frame (line -2);</li>
     *   <li>a second {@code mbuf_cluster} (names may repeat), rate 1 MiB: one two-frame site;</li>
     *   <li>a zone with the longest name, 31 bytes, at rate 1: one site whose samples were all freed.</li>
     * </ul>
     */
    static SampleProfile samples() {
        return new SampleProfile(TAKEN, List.of(
                new ZoneSamples("mbuf_cluster", 512 << 10, 2048, List.of(
                        new SampleSite("", List.of(READ, LOOP, THREAD), 512 << 10, 4, 8192, 2, 4096,
                                TAKEN - 5_000_000_000L),
                        new SampleSite("", List.of(LAMBDA), 512 << 10, 1, 2048, 0, 0, 0))),
                new ZoneSamples("malloc-256", 1, 256, List.of(
                        new SampleSite("devbuf", List.of(CONF, THREAD), 1, 10, 2560, 3, 768, TAKEN - 60_000_000_000L),
                        new SampleSite("temp", List.of(CONF, LOOP), 512 << 10, 1, 200, 1, 200, TAKEN - 1))),
                new ZoneSamples("mbuf", 0, 256, List.of()),
                new ZoneSamples("zöne_µ", 4096, 64, List.of(
                        new SampleSite("", List.of(NATIVE, READ), 4096, 7, 448, 7, 448, TAKEN - 2))),
                new ZoneSamples("mbuf_cluster", 1 << 20, 2048, List.of(
                        new SampleSite("", List.of(READ, LOOP), 1 << 20, 1, 2048, 1, 2048, TAKEN - 3))),
                new ZoneSamples(NAME_31, 1, 32, List.of(
                        new SampleSite("", List.of(THREAD), 1, 2, 64, 0, 0, 0)))));
    }

    static final String NAME_31 = "abcdefghijklmnopqrstuvwxyz_0123";

    /**
     * Seven zones: {@code UMA Kegs}; {@code mbuf} and its secondary {@code mbuf_packet} reporting the same keg
     * peak; a 31-byte name; {@code 64 Bucket} twice (bucket zones are included, names repeat); a zone that never
     * held anything.
     */
    static ZonePeaks peaks() {
        return new ZonePeaks(48L << 20, 40L << 20, List.of(
                new ZonePeak("UMA Kegs", 8192, 31),
                new ZonePeak("mbuf", 3L << 20, 11_000),
                new ZonePeak("mbuf_packet", 3L << 20, 9_500),
                new ZonePeak(NAME_31, 1L << 32, (1L << 31) + 5),
                new ZonePeak("64 Bucket", 16384, 25),
                new ZonePeak("64 Bucket", 4096, 2),
                new ZonePeak("idle", 0, 0)));
    }

    /** The committed files, generated: name to contents. */
    static Map<String, byte[]> generate() {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("zone_samples.le.bin", ProfileEncoder.samples(LITTLE_ENDIAN, samples()));
        files.put("zone_samples.be.bin", ProfileEncoder.samples(BIG_ENDIAN, samples()));
        files.put("zone_samples.txt", ProfileText.render(samples()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        files.put("zone_peaks.le.bin", ProfileEncoder.peaks(LITTLE_ENDIAN, peaks()));
        files.put("zone_peaks.be.bin", ProfileEncoder.peaks(BIG_ENDIAN, peaks()));
        files.put("zone_peaks.txt", ProfileText.render(peaks()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return files;
    }

    /** A committed file from the test class path. */
    static byte[] read(String name) {
        try {
            return Files.readAllBytes(GoldenStreams.dir(DIR).resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The committed directory in the source tree (for regeneration). */
    static Path sourceDir() {
        return Path.of("src/test/resources/golden/v1", DIR);
    }
}
