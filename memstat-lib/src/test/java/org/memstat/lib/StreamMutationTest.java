package org.memstat.lib;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * R7: 10,000 seeded mutants of every golden stream give either success or {@link MemstatException}, never any
 * other exception and never an out-of-memory; a rejected mutant leaves the list exactly as it was.
 *
 * <p>Runs in its own Surefire execution with {@code -Xmx64m} (see the module's pom), so allocation driven by
 * hostile counts would fail here; {@link #runsUnderA64MiBHeap} guards that configuration. Mutant {@code i} of
 * stream {@code s} is reproducible from {@code SEED ^ (s.hashCode() * 31 + i)}.
 */
class StreamMutationTest {
    static final int MUTANTS = 10_000;
    static final long SEED = 0x5EED_0F_ABCDL;

    enum Kind { BIT_FLIPS, U32_FIELD, U64_FIELD, COUNT, MAXCPUS, UNTERMINATED_NAME, VERSION, LENGTH, COMBINED }

    static List<GoldenStreams.Stream> streams() {
        return GoldenStreams.streams();
    }

    @BeforeAll
    static void runsUnderA64MiBHeap() {
        assertThat(Runtime.getRuntime().maxMemory()).as("this class must run with -Xmx64m")
                .isLessThanOrEqualTo(64L << 20);
    }

    @ParameterizedTest
    @MethodSource("streams")
    void mutantsGiveOnlyMemstatExceptionAndNeverAPartialList(GoldenStreams.Stream g) throws MemstatException {
        Map<Kind, int[]> outcomes = new EnumMap<>(Kind.class);
        for (int i = 0; i < MUTANTS; i++) {
            long seed = SEED ^ (g.toString().hashCode() * 31L + i);
            SplittableRandom rnd = new SplittableRandom(seed);
            Kind kind = Kind.values()[rnd.nextInt(Kind.values().length)];
            byte[] mutant = mutate(g, kind, rnd);
            MemoryTypeList list = new MemoryTypeList();
            list.refreshAll(TestSources.goldenWith(g.dir(), g.oid(), g.bytes()));
            long before = Fingerprint.of(list);
            int[] counts = outcomes.computeIfAbsent(kind, k -> new int[2]);
            try {
                list.refreshAll(TestSources.goldenWith(g.dir(), g.oid(), mutant));
                counts[0]++;
            } catch (MemstatException e) {
                counts[1]++;
                assertThat(Fingerprint.of(list)).as("list after rejected mutant %d (seed %d, %s)", i, seed, kind)
                        .isEqualTo(before);
            } catch (RuntimeException | Error e) {
                throw new AssertionError("mutant " + i + " of " + g + " (seed " + seed + ", " + kind + ") threw " + e,
                        e);
            }
        }
        // Both outcomes must occur for most kinds, or the mutants are not exercising the parser.
        assertThat(outcomes.get(Kind.BIT_FLIPS)[0]).as("accepted bit-flip mutants").isPositive();
        assertThat(outcomes.get(Kind.COUNT)[1]).as("rejected count mutants").isPositive();
        assertThat(outcomes.get(Kind.UNTERMINATED_NAME)[1]).as("rejected name mutants").isPositive();
    }

    static byte[] mutate(GoldenStreams.Stream g, Kind kind, SplittableRandom rnd) {
        byte[] b = g.bytes().clone();
        ByteBuffer buf = ByteBuffer.wrap(b).order(g.order());
        if (b.length < 48 && kind != Kind.LENGTH) {
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
            case U32_FIELD -> buf.putInt(4 * rnd.nextInt(b.length / 4),
                    pick(rnd, 0, 1, -1, Integer.MAX_VALUE, Integer.MIN_VALUE, rnd.nextInt()));
            case U64_FIELD -> buf.putLong(8 * rnd.nextInt(b.length / 8),
                    pick(rnd, 0L, 1L, -1L, (long) Integer.MAX_VALUE, 0xFFFF_FFFFL, Long.MAX_VALUE, rnd.nextLong()));
            case COUNT -> buf.putInt(8, pick(rnd, buf.getInt(8) + 1 + rnd.nextInt(3), buf.getInt(8) - 1, -1,
                    Integer.MAX_VALUE, rnd.nextInt()));
            case MAXCPUS -> buf.putInt(4, pick(rnd, 0, -1, 4096, 4097, buf.getInt(4) + 1, buf.getInt(4) - 1,
                    rnd.nextInt()));
            case UNTERMINATED_NAME -> {
                int records = Math.clamp(buf.getInt(8), 1, 64);
                int recordBytes = (b.length - 16) / records;
                int off = 16 + recordBytes * rnd.nextInt(records);
                for (int i = 0; i < 32 && off + i < b.length; i++) {
                    b[off + i] = (byte) (1 + rnd.nextInt(255));
                }
            }
            case VERSION -> buf.putInt(0, pick(rnd, 0, 2, 0x0200_0000, -1, rnd.nextInt()));
            case LENGTH -> {
                int n = rnd.nextBoolean() && b.length > 0 ? rnd.nextInt(b.length) : b.length + 1 + rnd.nextInt(200);
                b = Arrays.copyOf(b, n);
            }
            case COMBINED -> {
                for (int n = 2 + rnd.nextInt(2); n > 0; n--) {
                    Kind k = Kind.values()[rnd.nextInt(Kind.COMBINED.ordinal())];
                    b = mutate(new GoldenStreams.Stream(g.dir(), g.oid(), b), k, rnd);
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
