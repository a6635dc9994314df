package org.memstat.uma.mbuf;

import org.memstat.uma.Zone;
import org.memstat.uma.sysctl.MbufLimitOids;
import org.memstat.uma.sysctl.MbufLimitOids.Knob;
import org.memstat.uma.sysctl.StandardOids;
import org.memstat.uma.sysctl.Sysctl;

/**
 * The mbuf limits {@code kern.ipc.nmbclusters}, {@code nmbjumbop}, {@code nmbjumbo9}, {@code nmbjumbo16} and
 * {@code nmbufs}, with {@code kern.ipc.maxmbufmem} (reference §6.5, current {@code tunable_mbinit} and the
 * {@code sysctl_nmb*} handlers).
 *
 * <p>Defaults: {@code realmem} is the Uma's {@code kmemSize()}; {@code maxmbufmem = realmem / 2} (or the boot
 * value, capped at {@code realmem / 4 * 3}); each limit left at 0 at boot becomes {@code maxmbufmem / MCLBYTES / 4},
 * {@code maxmbufmem / MJUMPAGESIZE / 4}, {@code maxmbufmem / MJUM9BYTES / 6}, {@code maxmbufmem / MJUM16BYTES / 6};
 * and when {@code nmbufs} is below the sum of the four it becomes {@code max(maxmbufmem / MSIZE / 5, sum)}. Each
 * positive limit is the zone's {@code setMax}, with the warning {@code "kern.ipc.NAME limit reached"}.
 *
 * <p>At run time a limit can only be raised. The setters are sysctl handlers: they return 0 or {@link #EINVAL}
 * and never throw; writing the current value succeeds and changes nothing; a lower value, or a cluster limit that
 * would leave {@code nmbufs} below the sum of the four cluster limits, gives {@code EINVAL} and changes nothing.
 * A successful change is applied to the zone's limit at once. Thread-safe; every change is all-or-nothing.
 */
public final class MbufTunables {
    /** {@code EINVAL}, the error of a rejected change. */
    public static final int EINVAL = 22;

    private final long realmem;
    private final long maxmbufmem;
    private final int bootClusters;
    private final int bootJumbop;
    private final int bootJumbo9;
    private final int bootJumbo16;
    private final int bootMbufs;
    /** The run-time values and their checks, published once the zones exist ({@link #bind}). */
    private volatile MbufLimitOids limits;

    /**
     * Loader tunables, read once when the mbuf zones are created; 0 means "compute the default".
     *
     * @param maxmbufmem  {@code kern.ipc.maxmbufmem} in bytes (capped at {@code realmem / 4 * 3})
     * @param nmbclusters {@code kern.ipc.nmbclusters}
     * @param nmbjumbop   {@code kern.ipc.nmbjumbop}
     * @param nmbjumbo9   {@code kern.ipc.nmbjumbo9}
     * @param nmbjumbo16  {@code kern.ipc.nmbjumbo16}
     * @param nmbufs      {@code kern.ipc.nmbufs} (raised to the sum of the cluster limits if below it)
     */
    public record Boot(long maxmbufmem, int nmbclusters, int nmbjumbop, int nmbjumbo9, int nmbjumbo16, int nmbufs) {
        /** Nothing set: every value is derived from {@code kmemSize()}. */
        public static final Boot DEFAULTS = new Boot(0, 0, 0, 0, 0, 0);

        /** Rejects negative values. */
        public Boot {
            if (maxmbufmem < 0 || nmbclusters < 0 || nmbjumbop < 0 || nmbjumbo9 < 0 || nmbjumbo16 < 0 || nmbufs < 0) {
                throw new IllegalArgumentException("mbuf tunables must not be negative: maxmbufmem " + maxmbufmem
                        + ", nmbclusters " + nmbclusters + ", nmbjumbop " + nmbjumbop + ", nmbjumbo9 " + nmbjumbo9
                        + ", nmbjumbo16 " + nmbjumbo16 + ", nmbufs " + nmbufs);
            }
        }
    }

    MbufTunables(long realmem, Boot boot) {
        this.realmem = realmem;
        long mm = boot.maxmbufmem() != 0 ? boot.maxmbufmem() : realmem / 2;
        this.maxmbufmem = Math.min(mm, realmem / 4 * 3);
        this.bootClusters = boot.nmbclusters() != 0 ? boot.nmbclusters() : clamp(maxmbufmem / Mbuf.MCLBYTES / 4);
        this.bootJumbop = boot.nmbjumbop() != 0 ? boot.nmbjumbop() : clamp(maxmbufmem / Mbuf.MJUMPAGESIZE / 4);
        this.bootJumbo9 = boot.nmbjumbo9() != 0 ? boot.nmbjumbo9() : clamp(maxmbufmem / Mbuf.MJUM9BYTES / 6);
        this.bootJumbo16 = boot.nmbjumbo16() != 0 ? boot.nmbjumbo16() : clamp(maxmbufmem / Mbuf.MJUM16BYTES / 6);
        long sum = (long) bootClusters + bootJumbop + bootJumbo9 + bootJumbo16;
        this.bootMbufs = boot.nmbufs() < sum ? clamp(Math.max(maxmbufmem / Mbuf.MSIZE / 5, sum)) : boot.nmbufs();
    }

    private static int clamp(long v) {
        return (int) Math.min(Integer.MAX_VALUE, v);
    }

    static void limit(Zone zone, int max, String tunable) {
        if (max > 0) {
            zone.setMax(max);
        }
        zone.setWarning(tunable + " limit reached");
    }

    /**
     * Connects the limits to their zones and registers {@code kern.ipc.nmb*} on the Uma's registry; from now on a
     * raise goes through {@link MbufLimitOids}' increase-only checks and then to the zone's {@code setMax}.
     */
    void bind(Sysctl sysctl, Zone mbufZone, Zone clusterZone, Zone jumbopZone, Zone jumbo9Zone, Zone jumbo16Zone) {
        MbufLimitOids oids = new MbufLimitOids(bootClusters, bootMbufs, bootJumbop, bootJumbo9, bootJumbo16,
                (knob, value) -> switch (knob) {
                    case NMBCLUSTERS -> clusterZone.setMax(value);
                    case NMBUFS -> mbufZone.setMax(value);
                    case NMBJUMBOP -> jumbopZone.setMax(value);
                    case NMBJUMBO9 -> jumbo9Zone.setMax(value);
                    case NMBJUMBO16 -> jumbo16Zone.setMax(value);
                });
        StandardOids.registerMbufLimitOids(sysctl, oids);
        this.limits = oids;
    }

    private int get(Knob knob, int boot) {
        MbufLimitOids l = limits;
        return l == null ? boot : l.get(knob);
    }

    private int set(Knob knob, int value) {
        MbufLimitOids l = limits;
        if (l == null) {
            throw new IllegalStateException("mbuf limits are not bound to their zones yet");
        }
        return l.set(knob, value);
    }

    /** The memory size the defaults derive from ({@code realmem}): the Uma's {@code kmemSize()}. */
    public long realmem() {
        return realmem;
    }

    /** {@code kern.ipc.maxmbufmem}: the memory mbufs may use, in bytes (read-only at run time). */
    public long maxmbufmem() {
        return maxmbufmem;
    }

    /** {@code kern.ipc.nmbclusters}: the limit of the {@code mbuf_cluster} zone. */
    public int nmbclusters() {
        return get(Knob.NMBCLUSTERS, bootClusters);
    }

    /** {@code kern.ipc.nmbjumbop}: the limit of the {@code mbuf_jumbo_page} zone. */
    public int nmbjumbop() {
        return get(Knob.NMBJUMBOP, bootJumbop);
    }

    /** {@code kern.ipc.nmbjumbo9}: the limit of the {@code mbuf_jumbo_9k} zone. */
    public int nmbjumbo9() {
        return get(Knob.NMBJUMBO9, bootJumbo9);
    }

    /** {@code kern.ipc.nmbjumbo16}: the limit of the {@code mbuf_jumbo_16k} zone. */
    public int nmbjumbo16() {
        return get(Knob.NMBJUMBO16, bootJumbo16);
    }

    /** {@code kern.ipc.nmbufs}: the limit of the {@code mbuf} zone. */
    public int nmbufs() {
        return get(Knob.NMBUFS, bootMbufs);
    }

    /** Raises {@code kern.ipc.nmbclusters}; returns 0, or {@link #EINVAL} with nothing changed. */
    public int setNmbclusters(int value) {
        return set(Knob.NMBCLUSTERS, value);
    }

    /** Raises {@code kern.ipc.nmbjumbop}; returns 0, or {@link #EINVAL} with nothing changed. */
    public int setNmbjumbop(int value) {
        return set(Knob.NMBJUMBOP, value);
    }

    /** Raises {@code kern.ipc.nmbjumbo9}; returns 0, or {@link #EINVAL} with nothing changed. */
    public int setNmbjumbo9(int value) {
        return set(Knob.NMBJUMBO9, value);
    }

    /** Raises {@code kern.ipc.nmbjumbo16}; returns 0, or {@link #EINVAL} with nothing changed. */
    public int setNmbjumbo16(int value) {
        return set(Knob.NMBJUMBO16, value);
    }

    /** Raises {@code kern.ipc.nmbufs}; returns 0, or {@link #EINVAL} with nothing changed. */
    public int setNmbufs(int value) {
        return set(Knob.NMBUFS, value);
    }
}
