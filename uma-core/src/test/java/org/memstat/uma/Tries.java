package org.memstat.uma;

import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Seeded tries for property tests. A run draws one base seed (random, or {@code -Dmemstat.seed=N}); try {@code i}
 * of a test gets the {@code i}-th split of a generator seeded with it, so the base seed alone reproduces every try
 * and {@code -Dmemstat.try=I} runs try {@code I} alone. A failing try is rethrown with the seed, the try and the
 * command that re-runs it. memstat-lib and memstatd use this class too, through uma-core's test-jar.
 */
public final class Tries {
    /** The module under test, for the re-run command: surefire runs each module's tests in its own directory. */
    private static final String MODULE = java.nio.file.Path.of(System.getProperty("basedir",
            System.getProperty("user.dir"))).getFileName().toString();
    private static final long BASE_SEED = Long.getLong("memstat.seed", ThreadLocalRandom.current().nextLong());
    private static final Integer ONLY = Integer.getInteger("memstat.try");

    /** One try: generates its sample from {@code rnd} and checks it. */
    @FunctionalInterface
    public interface Body {
        void run(SplittableRandom rnd) throws Exception;
    }

    private Tries() {
    }

    /** Runs {@code body} {@code tries} times (or only try {@code -Dmemstat.try}), stopping at the first failure. */
    public static void run(int tries, Body body) {
        if (tries < 1 || ONLY != null && (ONLY < 0 || ONLY >= tries)) {
            throw new IllegalArgumentException("tries " + tries + ", memstat.try " + ONLY);
        }
        StackWalker.StackFrame test = StackWalker.getInstance()
                .walk(s -> s.filter(f -> !f.getClassName().equals(Tries.class.getName())).findFirst()).orElseThrow();
        SplittableRandom root = new SplittableRandom(BASE_SEED);
        for (int i = 0; i < tries; i++) {
            SplittableRandom rnd = root.split();
            if (ONLY != null && ONLY != i) {
                continue;
            }
            try {
                body.run(rnd);
            } catch (Throwable t) {
                String name = test.getClassName().substring(test.getClassName().lastIndexOf('.') + 1) + "#"
                        + test.getMethodName();
                throw new AssertionError(String.format("try %d of %d failed with base seed %d; re-run this try with"
                        + " -Dmemstat.seed=%3$d -Dmemstat.try=%1$d (all tries: -Dmemstat.seed=%3$d alone), e.g.%n"
                        + "  bin/test -o -pl %s -am -Dtest=%s -Dsurefire.failIfNoSpecifiedTests=false"
                        + " -Dmemstat.seed=%3$d -Dmemstat.try=%1$d%nfailure: %s",
                        i, tries, BASE_SEED, MODULE, name, t), t);
            }
        }
    }

    /**
     * An int in {@code [min, max]}; one time in eight an edge of the range ({@code min}, {@code min + 1},
     * {@code max - 1}, {@code max}), which uniform draws would almost never hit.
     */
    public static int between(SplittableRandom rnd, int min, int max) {
        if (rnd.nextInt(8) == 0) {
            long edge = switch (rnd.nextInt(4)) {
                case 0 -> min;
                case 1 -> min + 1L;
                case 2 -> max - 1L;
                default -> max;
            };
            return Math.clamp(edge, min, max);
        }
        return (int) rnd.nextLong(min, max + 1L);
    }
}
