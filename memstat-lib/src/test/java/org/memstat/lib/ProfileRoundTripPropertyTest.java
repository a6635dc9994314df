package org.memstat.lib;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.memstat.uma.Tries;

/**
 * Random profiles and peaks (both byte orders), written by the test-side {@link ProfileEncoder}, decode back to
 * exactly the input. Each try's contents come from its seeded generator (see {@link Tries}), so a failing try is
 * reproduced by the base seed and its index.
 */
class ProfileRoundTripPropertyTest {
    /** Code points of 1 to 4 UTF-8 bytes, none of them NUL. */
    private static final int[] CODE_POINTS = {'a', 'z', '_', ' ', '-', '.', '$', '0', 0xE9, 0xB5, 0x20AC, 0x1D11E};

    @Test
    void randomProfilesDecodeToTheirInput() {
        Tries.run(1000, rnd -> {
            SampleProfile p = profile(rnd);
            ByteOrder o = rnd.nextBoolean() ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
            assertThat(SampleProfile.decode(ProfileEncoder.samples(o, p))).isEqualTo(p);
        });
    }

    @Test
    void randomPeaksDecodeToTheirInput() {
        Tries.run(1000, rnd -> {
            List<ZonePeak> zones = new ArrayList<>();
            for (int i = Tries.between(rnd, 0, 300); i > 0; i--) {
                zones.add(new ZonePeak(text(rnd, 0, 31), u63(rnd), u63(rnd)));
            }
            ZonePeaks p = new ZonePeaks(u63(rnd), u63(rnd), zones);
            ByteOrder o = rnd.nextBoolean() ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
            assertThat(ZonePeaks.decode(ProfileEncoder.peaks(o, p))).isEqualTo(p);
        });
    }

    /** 0-40 zones (names repeat now and then), 0-12 sites each, 0-64 frames per site from a shared pool. */
    private static SampleProfile profile(SplittableRandom rnd) {
        List<SampleFrame> pool = new ArrayList<>();
        for (int i = Tries.between(rnd, 1, 50); i > 0; i--) {
            pool.add(new SampleFrame(text(rnd, 0, 80), text(rnd, 0, 30), text(rnd, 0, 20), line(rnd)));
        }
        List<String> tags = List.of("", "devbuf", "temp", text(rnd, 0, 31));
        List<ZoneSamples> zones = new ArrayList<>();
        for (int z = Tries.between(rnd, 0, 40); z > 0; z--) {
            String name = !zones.isEmpty() && rnd.nextInt(8) == 0 ? zones.get(rnd.nextInt(zones.size())).zone()
                    : text(rnd, 1, 31);
            List<SampleSite> sites = new ArrayList<>();
            for (int s = Tries.between(rnd, 0, 12); s > 0; s--) {
                List<SampleFrame> frames = new ArrayList<>();
                for (int d = Tries.between(rnd, 0, 64); d > 0; d--) {
                    frames.add(pool.get(rnd.nextInt(pool.size())));
                }
                long allocObjects = u63(rnd);
                long allocBytes = u63(rnd);
                long inuseObjects = rnd.nextInt(4) == 0 ? allocObjects : upTo(rnd, allocObjects);
                long inuseBytes = rnd.nextInt(4) == 0 ? allocBytes : upTo(rnd, allocBytes);
                long rate = Math.max(1, u63(rnd));
                sites.add(new SampleSite(tags.get(rnd.nextInt(tags.size())), frames, rate, allocObjects, allocBytes,
                        inuseObjects, inuseBytes, u63(rnd)));
            }
            zones.add(new ZoneSamples(name, u63(rnd), u63(rnd), sites));
        }
        return new SampleProfile(u63(rnd), zones);
    }

    /** A string of {@code min} to {@code max} UTF-8 bytes. */
    private static String text(SplittableRandom rnd, int min, int max) {
        int target = Tries.between(rnd, min, max);
        StringBuilder sb = new StringBuilder();
        int bytes = 0;
        while (bytes < target) {
            int cp = CODE_POINTS[rnd.nextInt(CODE_POINTS.length)];
            int n = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            if (bytes + n > target) {
                cp = 'x';
                n = 1;
            }
            sb.appendCodePoint(cp);
            bytes += n;
        }
        return sb.toString();
    }

    private static int line(SplittableRandom rnd) {
        return switch (rnd.nextInt(6)) {
            case 0 -> -1;
            case 1 -> -2;
            case 2 -> Integer.MAX_VALUE;
            case 3 -> rnd.nextInt();
            default -> rnd.nextInt(5000);
        };
    }

    /** A long in {@code [0, max]}. */
    private static long upTo(SplittableRandom rnd, long max) {
        return max == Long.MAX_VALUE ? rnd.nextLong() >>> 1 : rnd.nextLong(max + 1);
    }

    /** A u64 that fits a Java long, edges mixed in. */
    private static long u63(SplittableRandom rnd) {
        return switch (rnd.nextInt(8)) {
            case 0 -> 0;
            case 1 -> 1;
            case 2 -> Long.MAX_VALUE;
            case 3, 4 -> rnd.nextLong(1L << 32);
            default -> rnd.nextLong(Long.MAX_VALUE);
        };
    }
}
