package org.memstat.uma.mbuf;

import org.memstat.uma.Uma;
import org.memstat.uma.Zone;

/**
 * The zones of {@code mbuf_init}, created in its order (so the newest-keg-first stream lists them as FreeBSD
 * does), each limited by its tunable, and the {@code mbuf_packet} zone's zinit and zfini.
 *
 * <p>The packet zinit runs when an mbuf moves from the mbuf keg into the packet zone's caches: it attaches a cluster
 * ({@code EXT_PACKET}, count 1, this mbuf the holder) or fails with {@code ENOMEM}, which fails the import cleanly.
 * It asks for the cluster with the caller's wait flag, as {@code mb_zinit_pack} does (see {@link Mbufs}). The zfini
 * frees the cluster when the mbuf goes back to the keg.
 */
final class MbufZones {
    final Zone mbuf;
    final Zone cluster;
    final Zone packet;
    final Zone jumbop;
    final Zone jumbo9;
    final Zone jumbo16;
    private final MbufMem mm;
    private final ExtStorage ext;

    MbufZones(Uma uma, MbufTunables t, MbufMem mm, ExtStorage ext) {
        this.mm = mm;
        this.ext = ext;
        this.mbuf = uma.zcreate("mbuf", Mbuf.MSIZE, null, null, null, null, Mbuf.MSIZE - 1, Uma.ZONE_MAXBUCKET);
        MbufTunables.limit(mbuf, t.nmbufs(), "kern.ipc.nmbufs");
        this.cluster = uma.zcreate("mbuf_cluster", Mbuf.MCLBYTES, null, null, null, null, Uma.ALIGN_PTR, 0);
        MbufTunables.limit(cluster, t.nmbclusters(), "kern.ipc.nmbclusters");
        this.packet = uma.zsecondCreate("mbuf_packet", null, null, this::packInit, this::packFini, mbuf);
        this.jumbop = uma.zcreate("mbuf_jumbo_page", Mbuf.MJUMPAGESIZE, null, null, null, null, Uma.ALIGN_PTR, 0);
        MbufTunables.limit(jumbop, t.nmbjumbop(), "kern.ipc.nmbjumbop");
        this.jumbo9 = uma.zcreate("mbuf_jumbo_9k", Mbuf.MJUM9BYTES, null, null, null, null, Uma.ALIGN_PTR, 0);
        MbufTunables.limit(jumbo9, t.nmbjumbo9(), "kern.ipc.nmbjumbo9");
        this.jumbo16 = uma.zcreate("mbuf_jumbo_16k", Mbuf.MJUM16BYTES, null, null, null, null, Uma.ALIGN_PTR, 0);
        MbufTunables.limit(jumbo16, t.nmbjumbo16(), "kern.ipc.nmbjumbo16");
        t.bind(uma.sysctl(), mbuf, cluster, jumbop, jumbo9, jumbo16);
    }

    private int packInit(long m, int size, int flags) {
        long cl = cluster.alloc(flags & (Uma.M_WAITOK | Uma.M_NOWAIT | Uma.M_NOVM | Uma.M_USE_RESERVE));
        if (cl == 0) {
            return Uma.ENOMEM;
        }
        ext.init(m, cl, Mbuf.MCLBYTES, Mbuf.EXT_PACKET);
        return 0;
    }

    /** Runs for cached packets that were never handed out too, so {@code m_flags} is not set: read m_ext raw. */
    private void packFini(long m, int size) {
        cluster.free(mm.getLong(m, Mbuf.OFF_EXT_BUF));
    }

    /** The zone of a cluster size (2048, 4096, 9216, 16384). */
    Zone forSize(int size) {
        return switch (size) {
            case Mbuf.MCLBYTES -> cluster;
            case Mbuf.MJUMPAGESIZE -> jumbop;
            case Mbuf.MJUM9BYTES -> jumbo9;
            case Mbuf.MJUM16BYTES -> jumbo16;
            default -> throw new IllegalArgumentException("no cluster zone of " + size + " bytes");
        };
    }

    /** The zone an {@code ext_type} other than {@code EXT_PACKET} goes back to. */
    Zone forExtType(int extType) {
        return switch (extType) {
            case Mbuf.EXT_CLUSTER -> cluster;
            case Mbuf.EXT_JUMBOP -> jumbop;
            case Mbuf.EXT_JUMBO9 -> jumbo9;
            case Mbuf.EXT_JUMBO16 -> jumbo16;
            default -> throw new IllegalStateException("unknown ext_type " + extType);
        };
    }

    static int extTypeForSize(int size) {
        return switch (size) {
            case Mbuf.MCLBYTES -> Mbuf.EXT_CLUSTER;
            case Mbuf.MJUMPAGESIZE -> Mbuf.EXT_JUMBOP;
            case Mbuf.MJUM9BYTES -> Mbuf.EXT_JUMBO9;
            default -> Mbuf.EXT_JUMBO16;
        };
    }
}
