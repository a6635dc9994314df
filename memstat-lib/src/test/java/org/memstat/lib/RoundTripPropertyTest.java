package org.memstat.lib;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.memstat.lib.StreamEncoder.MallocType;
import org.memstat.lib.StreamEncoder.Zone;
import org.memstat.uma.Tries;

/**
 * R5: random registries (0-500 zones, 1-256 CPUs, both byte orders), written by the test-side
 * {@link StreamEncoder}, parse back to exactly the numbers {@link Oracle} derives, in libmemstat's order.
 * Each try's shape and contents come from its seeded generator (see {@link Tries}), so a failing try is
 * reproduced by the base seed and its index.
 */
class RoundTripPropertyTest {
    record Shape(int zones, int zoneCpus, int types, int typeCpus, boolean bigEndian) {
        /** Counts anywhere in range, edges (no zones, 500 zones, one CPU, 256 CPUs...) mixed in. */
        static Shape random(SplittableRandom rnd) {
            return new Shape(Tries.between(rnd, 0, 500), Tries.between(rnd, 1, 256), Tries.between(rnd, 0, 100),
                    Tries.between(rnd, 1, 256), rnd.nextBoolean());
        }
    }

    @Test
    void randomStreamsParseBackToTheirNumbers() {
        Tries.run(1000, rnd -> checkRoundTrip(Shape.random(rnd), rnd));
    }

    private static void checkRoundTrip(Shape s, SplittableRandom rnd) throws MemstatException {
        List<Zone> zones = new ArrayList<>();
        for (int i = 0; i < s.zones(); i++) {
            zones.add(zone(rnd, "z" + i, s.zoneCpus()));
        }
        List<MallocType> types = new ArrayList<>();
        for (int i = 0; i < s.types(); i++) {
            types.add(type(rnd, "m" + i, s.typeCpus()));
        }
        ByteOrder o = s.bigEndian() ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        MemoryTypeList list = new MemoryTypeList();
        list.refreshAll(SysctlSource.of(TestSources.kernel(o, StreamEncoder.uma(o, s.zoneCpus(), zones),
                StreamEncoder.malloc(o, s.typeCpus(), types))));

        assertThat(list.size()).isEqualTo(zones.size() + types.size());
        List<MemoryType> got = list.types();
        for (int i = 0; i < zones.size(); i++) {
            Oracle.check(got.get(zones.size() - 1 - i), Oracle.uma(zones.get(i), s.zoneCpus()));
        }
        for (int i = 0; i < types.size(); i++) {
            Oracle.check(got.get(got.size() - 1 - i), Oracle.malloc(types.get(i), s.typeCpus()));
        }
    }

    /** A unique name made of {@code prefix} and filler, 1 to 31 bytes, sometimes exactly 31. */
    private static byte[] name(SplittableRandom rnd, String prefix) {
        int len = rnd.nextInt(4) == 0 ? 31 : prefix.length() + rnd.nextInt(32 - prefix.length());
        StringBuilder sb = new StringBuilder(prefix).append('-');
        while (sb.length() < len) {
            sb.append("abcxyz_ 09".charAt(rnd.nextInt(10)));
        }
        sb.setLength(len);
        return sb.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    private static int u32(SplittableRandom rnd) {
        return switch (rnd.nextInt(8)) {
            case 0 -> 0;
            case 1 -> 1;
            case 2 -> -1;
            case 3 -> Integer.MIN_VALUE;
            case 4 -> rnd.nextInt(1 << 16);
            default -> rnd.nextInt();
        };
    }

    private static long u64(SplittableRandom rnd) {
        return switch (rnd.nextInt(8)) {
            case 0 -> 0;
            case 1 -> -1L;
            case 2 -> Long.MIN_VALUE;
            case 3, 4 -> rnd.nextLong(1L << 32);
            default -> rnd.nextLong();
        };
    }

    private static Zone zone(SplittableRandom rnd, String prefix, int cpus) {
        Zone z = new Zone("");
        z.name = name(rnd, prefix);
        z.align = u32(rnd);
        z.size = u32(rnd);
        z.rsize = u32(rnd);
        z.maxpages = u32(rnd);
        z.limit = u32(rnd);
        z.pages = u32(rnd);
        z.kegFree = u32(rnd);
        z.zoneFree = u32(rnd);
        z.bucketsize = u32(rnd);
        z.flags = rnd.nextBoolean() ? rnd.nextInt(2) : u32(rnd);
        z.counts(u64(rnd), u64(rnd), u64(rnd), u64(rnd), u64(rnd));
        z.reserved = u64(rnd);
        for (int j = 0; j < cpus; j++) {
            if (rnd.nextInt(4) != 0) {
                z.cpu(j, u64(rnd), u64(rnd), u64(rnd));
            }
        }
        return z;
    }

    private static MallocType type(SplittableRandom rnd, String prefix, int cpus) {
        MallocType t = new MallocType("");
        t.name = name(rnd, prefix);
        for (int j = 0; j < cpus; j++) {
            if (rnd.nextInt(4) != 0) {
                t.cpu(j, u64(rnd), u64(rnd), u64(rnd), u64(rnd), u64(rnd));
            }
        }
        return t;
    }
}
