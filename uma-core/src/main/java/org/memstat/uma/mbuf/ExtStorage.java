package org.memstat.uma.mbuf;

import static org.memstat.uma.mbuf.Mbuf.EXT_FLAG_EMBREF;
import static org.memstat.uma.mbuf.Mbuf.OFF_DATA;
import static org.memstat.uma.mbuf.Mbuf.OFF_EXT_BUF;
import static org.memstat.uma.mbuf.Mbuf.OFF_EXT_COUNT;
import static org.memstat.uma.mbuf.Mbuf.OFF_EXT_FLAGS;
import static org.memstat.uma.mbuf.Mbuf.OFF_EXT_REF;
import static org.memstat.uma.mbuf.Mbuf.OFF_EXT_SIZE;
import static org.memstat.uma.mbuf.Mbuf.OFF_EXT_TYPE;
import static org.memstat.uma.mbuf.Mbuf.OFF_FLAGS;
import static org.memstat.uma.mbuf.Mbuf.OFF_LEN;

import org.memstat.uma.Reclaim;

/**
 * External storage of mbufs with current FreeBSD's embedded reference count ({@code mb_dupcl},
 * {@code mb_free_ext}).
 *
 * <p>The mbuf a cluster was first attached to holds the count ({@link Mbuf#EXT_FLAG_EMBREF}); every mbuf sharing
 * the cluster points at it through {@code ext_ref}. That holder therefore stays allocated, even after its own
 * {@code m_free}, until the last reference is gone: whoever drops the count to zero frees the storage and the
 * holder. A count of 1 means the caller holds the only reference, so nobody can race it and the count is read,
 * not decremented ({@code *refcnt == 1 || atomic_fetchadd_int(refcnt, -1) == 1}). An {@code EXT_PACKET} holder
 * goes back whole, cluster attached and count reset to 1, to the {@code mbuf_packet} zone.
 */
final class ExtStorage {
    private final MbufMem mm;
    private final Mbufs mbufs;

    ExtStorage(MbufMem mm, Mbufs mbufs) {
        this.mm = mm;
        this.mbufs = mbufs;
    }

    /** Makes {@code m} the holder of fresh storage with a count of 1; does not touch {@code m_flags}. */
    void init(long m, long buf, int size, int type) {
        mm.setLong(m, OFF_EXT_BUF, buf);
        mm.setLong(m, OFF_EXT_REF, m);
        mm.setInt(m, OFF_EXT_COUNT, 1);
        mm.setInt(m, OFF_EXT_SIZE, size);
        mm.setShort(m, OFF_EXT_TYPE, type);
        mm.setShort(m, OFF_EXT_FLAGS, EXT_FLAG_EMBREF);
    }

    /** Attaches fresh storage to {@code m}: data at the start of the buffer, {@code M_EXT} set. */
    void attach(long m, long buf, int size, int type) {
        init(m, buf, size, type);
        mm.setInt(m, OFF_DATA, 0);
        mm.setInt(m, OFF_FLAGS, mm.getInt(m, OFF_FLAGS) | Mbuf.M_EXT);
    }

    /** Makes {@code n} share {@code m}'s storage, data offset and length ({@code mb_dupcl}). */
    void dup(long n, long m) {
        long ref = (mm.getShort(m, OFF_EXT_FLAGS) & EXT_FLAG_EMBREF) != 0 ? m : mm.getLong(m, OFF_EXT_REF);
        mm.setLong(n, OFF_EXT_BUF, mm.getLong(m, OFF_EXT_BUF));
        mm.setLong(n, OFF_EXT_REF, ref);
        mm.setInt(n, OFF_EXT_SIZE, mm.getInt(m, OFF_EXT_SIZE));
        mm.setShort(n, OFF_EXT_TYPE, mm.getShort(m, OFF_EXT_TYPE));
        mm.setShort(n, OFF_EXT_FLAGS, mm.getShort(m, OFF_EXT_FLAGS) & ~EXT_FLAG_EMBREF);
        // A count of 1 is the caller's own reference (through m): nobody else can change it.
        if (mm.count(ref) == 1) {
            mm.setCount(ref, 2);
        } else {
            mm.getAndAddCount(ref, 1);
        }
        mm.setInt(n, OFF_DATA, mm.getInt(m, OFF_DATA));
        mm.setInt(n, OFF_LEN, mm.getInt(m, OFF_LEN));
        mm.setInt(n, OFF_FLAGS, mm.getInt(n, OFF_FLAGS) | Mbuf.M_EXT | (mm.getInt(m, OFF_FLAGS) & Mbuf.M_RDONLY));
    }

    /** Drops {@code m}'s reference; frees the storage and its holder on the last one, and {@code m} itself. */
    void free(long m) {
        long ref = mm.getLong(m, OFF_EXT_REF);
        boolean sole = mm.count(ref) == 1;
        if (sole || mm.getAndAddCount(ref, -1) == 1) {
            int type = mm.getShort(m, OFF_EXT_TYPE);
            if (type == Mbuf.EXT_PACKET) {
                // A packet goes back whole with its count at 1; the sole owner never changed it.
                if (!sole) {
                    mm.setCount(ref, 1);
                }
                mbufs.freeRaw(ref, mbufs.packetZone());
                if (mbufs.clusterZone().isExhausted()) {
                    // mb_dtor_pack: someone sleeps for a cluster, and cached packets hold clusters: give them back.
                    mbufs.packetZone().reclaim(Reclaim.DRAIN);
                }
            } else {
                mbufs.zones().forExtType(type).free(mm.getLong(m, OFF_EXT_BUF));
                mbufs.freeRaw(ref, mbufs.mbufZone());
            }
        }
        if (m != ref) {
            mbufs.freeRaw(m, mbufs.mbufZone());
        }
    }
}
