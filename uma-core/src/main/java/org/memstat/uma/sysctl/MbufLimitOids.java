package org.memstat.uma.sysctl;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * The mbuf limits {@code kern.ipc.nmbclusters}, {@code nmbufs}, {@code nmbjumbop}, {@code nmbjumbo9} and
 * {@code nmbjumbo16}, with FreeBSD's current run-time rules (reference §6.5): {@code CTLFLAG_RWTUN}, format
 * {@code "IU"}; a write may only raise a limit (a lower value is {@link Errno#EINVAL}, the same value changes
 * nothing), and a cluster limit may only be raised while {@code nmbufs} stays at least the sum of the four cluster
 * limits. An accepted change is handed to an {@link Applier} (the allocator's {@code uma_zone_set_max}), whose
 * result becomes the new value.
 *
 * <p>Thread safety: reads are lock-free; changes are serialized on this object, so the cross-limit check and the
 * update are atomic.
 */
public final class MbufLimitOids {
    /** One mbuf limit. */
    public enum Knob {
        /** {@code kern.ipc.nmbclusters}: the {@code mbuf_cluster} zone limit. */
        NMBCLUSTERS("kern.ipc.nmbclusters", "Maximum number of mbuf clusters allowed", true),
        /** {@code kern.ipc.nmbufs}: the {@code mbuf} zone limit. */
        NMBUFS("kern.ipc.nmbufs", "Maximum number of mbufs allowed", false),
        /** {@code kern.ipc.nmbjumbop}: the {@code mbuf_jumbo_page} zone limit. */
        NMBJUMBOP("kern.ipc.nmbjumbop", "Maximum number of mbuf page size jumbo clusters allowed", true),
        /** {@code kern.ipc.nmbjumbo9}: the {@code mbuf_jumbo_9k} zone limit. */
        NMBJUMBO9("kern.ipc.nmbjumbo9", "Maximum number of mbuf 9k jumbo clusters allowed", true),
        /** {@code kern.ipc.nmbjumbo16}: the {@code mbuf_jumbo_16k} zone limit. */
        NMBJUMBO16("kern.ipc.nmbjumbo16", "Maximum number of mbuf 16k jumbo clusters allowed", true);

        private final String oidName;
        private final String description;
        private final boolean cluster;

        Knob(String oidName, String description, boolean cluster) {
            this.oidName = oidName;
            this.description = description;
            this.cluster = cluster;
        }

        /** {@return the OID name} */
        public String oidName() {
            return oidName;
        }

        /** {@return the OID description} */
        public String description() {
            return description;
        }
    }

    /** Applies an accepted limit to the allocator, like {@code uma_zone_set_max}. */
    @FunctionalInterface
    public interface Applier {
        /**
         * Applies a new limit.
         *
         * @param knob     which limit
         * @param newLimit the accepted new value, larger than the current one
         * @return the limit in effect afterwards (the zone may round it up)
         */
        int apply(Knob knob, int newLimit);
    }

    /** {@code MSIZE}. */
    static final int MSIZE = 256;
    /** {@code MCLBYTES}. */
    static final int MCLBYTES = 2048;
    /** {@code MJUMPAGESIZE} on 4 KiB-page platforms. */
    static final int MJUMPAGESIZE = 4096;
    /** {@code MJUM9BYTES}. */
    static final int MJUM9BYTES = 9 * 1024;
    /** {@code MJUM16BYTES}. */
    static final int MJUM16BYTES = 16 * 1024;

    private final AtomicIntegerArray values = new AtomicIntegerArray(Knob.values().length);
    private final Applier applier;

    /**
     * Creates the tunables with explicit starting values (already applied to the zones by the caller).
     *
     * @param nmbclusters cluster limit
     * @param nmbufs      mbuf limit, at least the sum of the four cluster limits
     * @param nmbjumbop   page-size jumbo cluster limit
     * @param nmbjumbo9   9k jumbo cluster limit
     * @param nmbjumbo16  16k jumbo cluster limit
     * @param applier     applies later changes
     * @throws IllegalArgumentException on a negative value or {@code nmbufs} below the cluster sum
     */
    public MbufLimitOids(int nmbclusters, int nmbufs, int nmbjumbop, int nmbjumbo9, int nmbjumbo16, Applier applier) {
        this.applier = Objects.requireNonNull(applier, "applier");
        int[] v = {nmbclusters, nmbufs, nmbjumbop, nmbjumbo9, nmbjumbo16};
        for (Knob k : Knob.values()) {
            if (v[k.ordinal()] < 0) {
                throw new IllegalArgumentException(k.oidName + " is negative: " + v[k.ordinal()]);
            }
            values.set(k.ordinal(), v[k.ordinal()]);
        }
        if (nmbufs < clusterSum(nmbclusters, nmbjumbop, nmbjumbo9, nmbjumbo16)) {
            throw new IllegalArgumentException("nmbufs " + nmbufs + " below the sum of the cluster limits");
        }
    }

    /**
     * Computes FreeBSD's current defaults ({@code tunable_mbinit}) from {@code maxmbufmem}: clusters
     * {@code maxmbufmem / MCLBYTES / 4}, page jumbo {@code / MJUMPAGESIZE / 4}, 9k {@code / MJUM9BYTES / 6}, 16k
     * {@code / MJUM16BYTES / 6}, and {@code nmbufs = max(maxmbufmem / MSIZE / 5, sum of the cluster limits)}.
     * Values past {@code Integer.MAX_VALUE} are clamped (the kernel's variables are ints).
     *
     * @param maxMbufMem the memory mbufs may use, in bytes
     * @param applier    applies later changes
     * @return the tunables
     */
    public static MbufLimitOids defaults(long maxMbufMem, Applier applier) {
        if (maxMbufMem < 0) {
            throw new IllegalArgumentException("negative maxMbufMem " + maxMbufMem);
        }
        int clusters = clamp(maxMbufMem / MCLBYTES / 4);
        int jumbop = clamp(maxMbufMem / MJUMPAGESIZE / 4);
        int jumbo9 = clamp(maxMbufMem / MJUM9BYTES / 6);
        int jumbo16 = clamp(maxMbufMem / MJUM16BYTES / 6);
        long sum = clusterSum(clusters, jumbop, jumbo9, jumbo16);
        int mbufs = clamp(Math.max(maxMbufMem / MSIZE / 5, sum));
        if (mbufs < sum) {
            // Only reachable for petabyte sizes, where int limits cannot keep nmbufs >= the cluster sum.
            throw new IllegalArgumentException("maxMbufMem " + maxMbufMem + " too large for int limits");
        }
        return new MbufLimitOids(clusters, mbufs, jumbop, jumbo9, jumbo16, applier);
    }

    private static int clamp(long v) {
        return (int) Math.min(Integer.MAX_VALUE, v);
    }

    private static long clusterSum(long clusters, long jumbop, long jumbo9, long jumbo16) {
        return clusters + jumbop + jumbo9 + jumbo16;
    }

    /**
     * Reads a limit.
     *
     * @param knob which limit
     * @return its current value
     */
    public int get(Knob knob) {
        return values.get(knob.ordinal());
    }

    /**
     * Raises a limit, as writing its sysctl does.
     *
     * @param knob     which limit
     * @param newValue the requested value
     * @return 0 when applied or unchanged; {@link Errno#EINVAL} for a decrease, or for a cluster limit that would
     *         push the cluster sum past {@code nmbufs}
     */
    public synchronized int set(Knob knob, int newValue) {
        int current = get(knob);
        if (newValue == current) {
            return Errno.OK;
        }
        if (newValue < current) {
            return Errno.EINVAL;
        }
        if (knob.cluster) {
            long sum = newValue - (long) current + clusterSum(get(Knob.NMBCLUSTERS), get(Knob.NMBJUMBOP),
                    get(Knob.NMBJUMBO9), get(Knob.NMBJUMBO16));
            if (get(Knob.NMBUFS) < sum) {
                return Errno.EINVAL;
            }
        }
        int effective = applier.apply(knob, newValue);
        values.set(knob.ordinal(), effective);
        return Errno.OK;
    }

    /**
     * Registers the five OIDs ({@code int}, format {@code "IU"}, writable).
     *
     * @param sysctl the registry
     */
    public void register(Sysctl sysctl) {
        for (Knob k : Knob.values()) {
            sysctl.addInt(k.oidName, OidType.INT, "IU", k.description, () -> get(k), v -> set(k, v));
        }
    }
}
