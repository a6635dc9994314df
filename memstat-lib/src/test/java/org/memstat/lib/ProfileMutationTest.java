package org.memstat.lib;

import static java.nio.ByteOrder.BIG_ENDIAN;
import static java.nio.ByteOrder.LITTLE_ENDIAN;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * 10,000 seeded mutants of every golden profile stream ({@link ProfileGoldens}) either decode or throw
 * {@link MemstatException}: never another exception, never an out-of-memory. Mutations aim at what a hostile or
 * broken producer gets wrong: bit flips, counts (header counts, {@code nsites}, {@code depth}, string lengths)
 * inflated or set to extremes, indices past their tables, the version, the length, and combinations.
 *
 * <p>Runs in the module's {@code -Xmx64m} Surefire execution with {@link StreamMutationTest} (see the pom), so an
 * allocation sized by a hostile count would fail here; {@link #runsUnderA64MiBHeap} guards that configuration.
 * Mutant {@code i} of stream {@code s} is reproducible from {@code SEED ^ (s.hashCode() * 31 + i)}.
 */
class ProfileMutationTest {
    static final int MUTANTS = 10_000;
    static final long SEED = 0x5EED_0F_9E0FL;

    enum Kind { BIT_FLIPS, BYTE, U32, U64, COUNT, INDEX, VERSION, LENGTH, COMBINED }

    /** A golden stream and where its fields are: counts (u32 unless listed in {@code u16}) and indices. */
    record Golden(String name, ByteOrder order, byte[] bytes, List<Integer> counts, List<Integer> u16,
            List<Integer> indices) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Golden> goldens() {
        List<Golden> all = new ArrayList<>();
        for (ByteOrder o : List.of(LITTLE_ENDIAN, BIG_ENDIAN)) {
            String suffix = o == LITTLE_ENDIAN ? ".le.bin" : ".be.bin";
            all.add(samples("zone_samples" + suffix, o));
            all.add(new Golden("zone_peaks" + suffix, o, ProfileGoldens.read("zone_peaks" + suffix), List.of(4),
                    List.of(), List.of()));
        }
        return all;
    }

    /** The samples golden with its field offsets, found from the encoder's tables (the bytes are the file's). */
    private static Golden samples(String name, ByteOrder o) {
        ProfileEncoder.Samples s = ProfileEncoder.Samples.of(ProfileGoldens.samples());
        byte[] bytes = s.encode(o);
        assertThat(bytes).as(name).isEqualTo(ProfileGoldens.read(name));
        List<Integer> counts = new ArrayList<>(List.of(4, 8, 12));
        List<Integer> u16 = new ArrayList<>();
        List<Integer> indices = new ArrayList<>();
        int off = 24;
        for (byte[] str : s.strings) {
            u16.add(off);
            off += 2 + str.length;
        }
        for (int f = 0; f < s.frames.size(); f++, off += 16) {
            indices.addAll(List.of(off, off + 4, off + 8));
        }
        for (int z : s.zoneOffsets) {
            indices.add(z);
            counts.add(z + 4);
        }
        int site = 0;
        for (ProfileEncoder.Zone z : s.zones) {
            for (ProfileEncoder.Site t : z.sites) {
                int at = s.siteOffsets.get(site++);
                indices.add(at);
                counts.add(at + 4);
                for (int i = 0; i < t.frames.length; i++) {
                    indices.add(at + 56 + 4 * i);
                }
            }
        }
        return new Golden(name, o, bytes, counts, u16, indices);
    }

    @BeforeAll
    static void runsUnderA64MiBHeap() {
        assertThat(Runtime.getRuntime().maxMemory()).as("this class must run with -Xmx64m")
                .isLessThanOrEqualTo(64L << 20);
    }

    @ParameterizedTest
    @MethodSource("goldens")
    void mutantsDecodeOrThrowOnlyMemstatException(Golden g) {
        Map<Kind, int[]> outcomes = new EnumMap<>(Kind.class);
        for (int i = 0; i < MUTANTS; i++) {
            long seed = SEED ^ (g.name().hashCode() * 31L + i);
            SplittableRandom rnd = new SplittableRandom(seed);
            Kind kind = Kind.values()[rnd.nextInt(Kind.values().length)];
            byte[] mutant = mutate(g, g.bytes(), kind, rnd);
            int[] counts = outcomes.computeIfAbsent(kind, k -> new int[2]);
            try {
                ProfileTruncationTest.decode(g.name(), mutant);
                counts[0]++;
            } catch (MemstatException e) {
                counts[1]++;
                assertThat(e.getMessage()).doesNotContain("\n");
            } catch (RuntimeException | Error e) {
                throw new AssertionError("mutant " + i + " of " + g + " (seed " + seed + ", " + kind + ") threw " + e,
                        e);
            }
        }
        // Both outcomes must occur, or the mutants are not exercising the decoder.
        assertThat(outcomes.get(Kind.BIT_FLIPS)[1]).as("rejected bit-flip mutants").isPositive();
        assertThat(outcomes.get(Kind.COUNT)[1]).as("rejected count mutants").isPositive();
        assertThat(outcomes.get(Kind.U64)[0] + outcomes.get(Kind.BYTE)[0]).as("accepted mutants").isPositive();
    }

    static byte[] mutate(Golden g, byte[] original, Kind kind, SplittableRandom rnd) {
        byte[] b = original.clone();
        ByteBuffer buf = ByteBuffer.wrap(b).order(g.order());
        if (b.length < 24 && kind != Kind.LENGTH && kind != Kind.COMBINED) {
            // An earlier LENGTH step of a combined mutant left too little to aim at; grow it again instead.
            kind = Kind.LENGTH;
        }
        switch (kind) {
            case BIT_FLIPS -> {
                for (int n = 1 + rnd.nextInt(8); n > 0; n--) {
                    int bit = rnd.nextInt(b.length * 8);
                    b[bit >>> 3] ^= (byte) (1 << (bit & 7));
                }
            }
            case BYTE -> b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);
            case U32 -> buf.putInt(rnd.nextInt(b.length - 3),
                    pick(rnd, 0, 1, -1, Integer.MAX_VALUE, Integer.MIN_VALUE, rnd.nextInt()));
            case U64 -> buf.putLong(rnd.nextInt(b.length - 7),
                    pick(rnd, 0L, 1L, -1L, Long.MAX_VALUE, Long.MIN_VALUE, rnd.nextLong()));
            case COUNT -> {
                boolean shortField = !g.u16().isEmpty() && rnd.nextInt(4) == 0;
                List<Integer> fields = shortField ? g.u16() : g.counts();
                int at = fields.get(rnd.nextInt(fields.size()));
                if (at + (shortField ? 2 : 4) <= b.length) {
                    int now = shortField ? Short.toUnsignedInt(buf.getShort(at)) : buf.getInt(at);
                    int v = pick(rnd, now + 1 + rnd.nextInt(3), now - 1, 65, -1, Integer.MAX_VALUE, 0xFFFF,
                            rnd.nextInt());
                    if (shortField) {
                        buf.putShort(at, (short) v);
                    } else {
                        buf.putInt(at, v);
                    }
                }
            }
            case INDEX -> {
                if (g.indices().isEmpty()) {
                    return mutate(g, original, Kind.COUNT, rnd);
                }
                int at = g.indices().get(rnd.nextInt(g.indices().size()));
                if (at + 4 <= b.length) {
                    buf.putInt(at, pick(rnd, buf.getInt(at) + 1, 0, 255, -1, rnd.nextInt(64), rnd.nextInt()));
                }
            }
            case VERSION -> buf.putInt(0, pick(rnd, 0, 2, 0x0200_0000, -1, rnd.nextInt()));
            case LENGTH -> {
                int n = rnd.nextBoolean() && b.length > 0 ? rnd.nextInt(b.length) : b.length + 1 + rnd.nextInt(200);
                b = Arrays.copyOf(b, n);
            }
            case COMBINED -> {
                for (int n = 2 + rnd.nextInt(2); n > 0; n--) {
                    b = mutate(g, b, Kind.values()[rnd.nextInt(Kind.COMBINED.ordinal())], rnd);
                }
            }
            default -> throw new IllegalStateException(kind.toString());
        }
        return b;
    }

    private static int pick(SplittableRandom rnd, int... choices) {
        return choices[rnd.nextInt(choices.length)];
    }

    private static long pick(SplittableRandom rnd, long... choices) {
        return choices[rnd.nextInt(choices.length)];
    }
}
