package org.memstat.lib;

import java.util.List;
import java.util.Objects;

/**
 * One allocation site of a zone: a stack (and, for malloc(9) zones, the malloc type) with the samples taken there
 * at one rate. The counts are the raw samples; {@link #inuse()} and {@link #alloc()} scale them to estimates of
 * the real figures as Go's heap profiler does (docs/PROFILES.md, "Scaling").
 *
 * @param tag          the malloc type for a malloc(9) zone, else {@code ""}
 * @param frames       the stack, innermost first: frame 0 called the allocator
 * @param rate         the sampling rate the samples were taken at, bytes (at least 1)
 * @param allocObjects samples taken
 * @param allocBytes   their bytes
 * @param inuseObjects of those, not freed yet
 * @param inuseBytes   their bytes
 * @param oldestNanos  allocation time of the oldest sample still in use, ns since the epoch; 0 if none
 */
public record SampleSite(String tag, List<SampleFrame> frames, long rate, long allocObjects, long allocBytes,
        long inuseObjects, long inuseBytes, long oldestNanos) {
    /** Copies the frames and checks the counts are consistent. */
    public SampleSite {
        Objects.requireNonNull(tag, "tag");
        frames = List.copyOf(frames);
        if (rate < 1 || allocObjects < 0 || allocBytes < 0 || inuseObjects < 0 || inuseBytes < 0
                || inuseObjects > allocObjects || inuseBytes > allocBytes) {
            throw new IllegalArgumentException("inconsistent sample site: rate " + rate + ", alloc " + allocObjects
                    + "/" + allocBytes + ", inuse " + inuseObjects + "/" + inuseBytes);
        }
    }

    /**
     * The estimated objects and bytes this site holds now.
     *
     * @return the in-use samples, scaled
     */
    public Estimate inuse() {
        return Estimate.scale(inuseObjects, inuseBytes, rate);
    }

    /**
     * The estimated objects and bytes this site allocated since sampling began.
     *
     * @return the samples taken, scaled
     */
    public Estimate alloc() {
        return Estimate.scale(allocObjects, allocBytes, rate);
    }

    /**
     * Scaled figures: what a set of samples stands for.
     *
     * @param objects the estimated number of objects
     * @param bytes   the estimated bytes
     */
    public record Estimate(long objects, long bytes) {
        /**
         * Go's {@code scaleHeapSample}: {@code n} samples of {@code b} bytes taken at rate {@code R} stand for
         * {@code n * s} objects and {@code b * s} bytes, {@code s = 1 / (1 - exp(-(b / n) / R))}; nothing is
         * scaled at {@code R <= 1}.
         *
         * @param objects samples
         * @param bytes   their bytes
         * @param rate    the sampling rate, bytes
         * @return the estimate
         */
        public static Estimate scale(long objects, long bytes, long rate) {
            if (objects == 0 || bytes == 0) {
                return new Estimate(0, 0);
            }
            if (rate <= 1) {
                return new Estimate(objects, bytes);
            }
            double avg = (double) bytes / objects;
            double s = 1 / -Math.expm1(-avg / rate);
            return new Estimate((long) (objects * s), (long) (bytes * s));
        }
    }
}
