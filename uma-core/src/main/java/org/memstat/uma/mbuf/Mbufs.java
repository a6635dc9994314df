package org.memstat.uma.mbuf;

import static org.memstat.uma.mbuf.Mbuf.M_EXT;
import static org.memstat.uma.mbuf.Mbuf.M_PKTHDR;
import static org.memstat.uma.mbuf.Mbuf.OFF_DATA;
import static org.memstat.uma.mbuf.Mbuf.OFF_FLAGS;
import static org.memstat.uma.mbuf.Mbuf.OFF_LEN;
import static org.memstat.uma.mbuf.Mbuf.OFF_NEXT;
import static org.memstat.uma.mbuf.Mbuf.OFF_NEXTPKT;
import static org.memstat.uma.mbuf.Mbuf.OFF_PKT_LEN;
import static org.memstat.uma.mbuf.Mbuf.OFF_PKT_TAGS;
import static org.memstat.uma.mbuf.Mbuf.OFF_TYPE;

import org.memstat.uma.Reclaim;
import org.memstat.uma.Uma;
import org.memstat.uma.Zone;
import org.memstat.uma.malloc.Malloc;

/**
 * FreeBSD's mbuf allocator ({@code kern_mbuf.c}) on the zones of a {@link Uma}: mbufs, clusters, the
 * {@code mbuf_packet} zone of mbuf and cluster pairs, and jumbo clusters. Mbufs are {@code long} addresses of
 * 256-byte items laid out as {@link Mbuf} describes; the field accessors ({@code mtod}, {@code m_len}, ...) are
 * methods of this class too. Packet tags are in {@link MbufTags}, limits in {@link MbufTunables}.
 *
 * <p>{@link #create} makes, in {@code mbuf_init}'s order (so the newest-keg-first stream lists them as FreeBSD
 * does): {@code mbuf} (256 bytes, align {@code MSIZE - 1}, {@code ZONE_MAXBUCKET}), {@code mbuf_cluster} (2048,
 * {@code ALIGN_PTR}), {@code mbuf_packet} (a secondary zone of {@code mbuf} whose zinit attaches a cluster),
 * {@code mbuf_jumbo_page} (4096), {@code mbuf_jumbo_9k} (9216) and {@code mbuf_jumbo_16k} (16384), each limited
 * by its tunable with the warning {@code "kern.ipc.NAME limit reached"}; and the malloc type {@code mbuf_tag}.
 *
 * <p>Shared storage is reference counted as in current FreeBSD: the count is embedded in the mbuf the storage was
 * first attached to, which therefore stays allocated until the last reference is freed (not in a
 * {@code ZONE_REFCNT} keg as in FreeBSD 6, which would need a slab lookup per reference).
 *
 * <p>{@code how} is {@link Uma#M_WAITOK} or {@link Uma#M_NOWAIT}. As {@code mb_zinit_pack}, the packet zone's
 * zinit asks for its cluster with the caller's {@code how}, so {@link #m_getcl} with {@code M_WAITOK} sleeps in
 * the cluster zone when clusters run out; as {@code mb_dtor_pack}, freeing a packet while someone sleeps there
 * drains the packet zone, which gives back the clusters its cached packets hold.
 *
 * <p>Thread-safe: the zones are, and an mbuf is used by one thread at a time (its owner), as in the kernel;
 * only the reference count of shared storage is touched by several threads, atomically.
 */
public final class Mbufs extends MbufAccess {
    private static final Object CREATE_LOCK = new Object();

    private final Uma uma;
    private final MbufZones zones;
    private final Zone mbuf;
    private final Zone cluster;
    private final Zone packet;
    private final MbufTunables tunables;
    private final MbufTags tags;
    private final ExtStorage ext;

    private Mbufs(Malloc malloc, MbufTunables.Boot boot) {
        super(new MbufMem(malloc.uma().memory()));
        this.uma = malloc.uma();
        this.tags = new MbufTags(mm, malloc, malloc.define("mbuf_tag"));
        this.ext = new ExtStorage(mm, this);
        this.tunables = new MbufTunables(uma.kmemSize(), boot);
        this.zones = new MbufZones(uma, tunables, mm, ext);
        this.mbuf = zones.mbuf;
        this.cluster = zones.cluster;
        this.packet = zones.packet;
    }

    /** Creates the mbuf zones with every limit derived from {@code kmemSize()}; see the two-argument form. */
    public static Mbufs create(Malloc malloc) {
        return create(malloc, MbufTunables.Boot.DEFAULTS);
    }

    /**
     * Creates the mbuf zones on {@code malloc}'s Uma ({@code tunable_mbinit} then {@code mbuf_init}) and registers
     * the malloc type {@code mbuf_tag} in {@code malloc}.
     *
     * @throws IllegalStateException    if the Uma already has an {@code mbuf} zone
     * @throws IllegalArgumentException if {@code mbuf_tag} is already a malloc type; nothing is created then
     */
    public static Mbufs create(Malloc malloc, MbufTunables.Boot boot) {
        synchronized (CREATE_LOCK) {
            Uma uma = malloc.uma();
            for (Zone z : uma.zones()) {
                if (z.name().equals("mbuf")) {
                    throw new IllegalStateException("this Uma already has mbuf zones");
                }
            }
            for (var t : malloc.types()) {
                if (t.name().equals("mbuf_tag")) {
                    throw new IllegalArgumentException("malloc type mbuf_tag is already defined");
                }
            }
            return new Mbufs(malloc, boot);
        }
    }

    // ---- allocation ------------------------------------------------------------------------------------

    /** An mbuf without packet header ({@code m_get}); 0 only when {@code M_NOWAIT} failed. */
    public long m_get(int how, int type) {
        checkHow(how);
        return allocMbuf(how, checkType(type), 0);
    }

    /** An mbuf with a packet header ({@code m_gethdr}); 0 only when {@code M_NOWAIT} failed. */
    public long m_gethdr(int how, int type) {
        checkHow(how);
        return allocMbuf(how, checkType(type), M_PKTHDR);
    }

    /**
     * An mbuf with a 2048-byte cluster from the {@code mbuf_packet} zone ({@code m_getcl}; FreeBSD uses the packet
     * zone whatever the flags).
     *
     * @param flags 0 or {@link Mbuf#M_PKTHDR}, optionally with {@link Mbuf#M_EOR}
     * @return the mbuf ({@code EXT_PACKET}), 0 when {@code M_NOWAIT} found no cluster
     */
    public long m_getcl(int how, int type, int flags) {
        checkHow(how);
        checkType(type);
        checkFlags(flags);
        long m = packet.alloc(how);
        if (m != 0) {
            header(m, type, flags | M_EXT, 0);
        }
        return m;
    }

    /**
     * Attaches a 2048-byte cluster to {@code m} ({@code m_clget}). When {@code M_NOWAIT} finds none, the packet
     * zone is drained ({@code Reclaim.DRAIN}), which frees the clusters parked in its cached packets, and the
     * allocation is tried once more.
     *
     * @return true when a cluster is attached
     * @throws IllegalArgumentException if {@code m} already has external storage
     */
    public boolean m_clget(long m, int how) {
        checkHow(how);
        requireNoExt(m);
        long cl = cluster.alloc(how);
        if (cl == 0 && (how & Uma.M_NOWAIT) != 0) {
            packet.reclaim(Reclaim.DRAIN);
            cl = cluster.alloc(how);
        }
        if (cl == 0) {
            return false;
        }
        ext.attach(m, cl, Mbuf.MCLBYTES, Mbuf.EXT_CLUSTER);
        return true;
    }

    /**
     * Attaches a cluster of {@code size} bytes (2048, 4096, 9216 or 16384) to {@code m} ({@code m_cljget}), with no
     * drain and retry.
     *
     * @return true when the cluster is attached
     */
    public boolean m_cljget(long m, int how, int size) {
        checkHow(how);
        requireNoExt(m);
        long cl = zones.forSize(size).alloc(how);
        if (cl == 0) {
            return false;
        }
        ext.attach(m, cl, size, MbufZones.extTypeForSize(size));
        return true;
    }

    /**
     * An mbuf with a cluster of {@code size} bytes ({@code m_getjcl}): {@link Mbuf#MCLBYTES} is {@link #m_getcl};
     * {@link Mbuf#MJUMPAGESIZE}, {@link Mbuf#MJUM9BYTES} and {@link Mbuf#MJUM16BYTES} come from the jumbo zones.
     *
     * @return the mbuf, or 0 when {@code M_NOWAIT} failed (nothing is left allocated then)
     */
    public long m_getjcl(int how, int type, int flags, int size) {
        if (size == Mbuf.MCLBYTES) {
            return m_getcl(how, type, flags);
        }
        checkHow(how);
        checkType(type);
        checkFlags(flags);
        Zone z = zones.forSize(size);
        long m = allocMbuf(how, type, flags);
        if (m == 0) {
            return 0;
        }
        long cl = z.alloc(how);
        if (cl == 0) {
            freeRaw(m, mbuf);
            return 0;
        }
        ext.attach(m, cl, size, MbufZones.extTypeForSize(size));
        return m;
    }

    /**
     * The smallest storage holding {@code size} bytes ({@code m_get2}): a plain mbuf, a packet-zone cluster, or a
     * page-sized jumbo cluster; 0 above {@link Mbuf#MJUMPAGESIZE} or when {@code M_NOWAIT} failed.
     */
    public long m_get2(int size, int how, int type, int flags) {
        checkHow(how);
        checkType(type);
        checkFlags(flags);
        if (size <= ((flags & M_PKTHDR) != 0 ? Mbuf.MHLEN : Mbuf.MLEN)) {
            return allocMbuf(how, type, flags);
        }
        if (size <= Mbuf.MCLBYTES) {
            return m_getcl(how, type, flags);
        }
        return size > Mbuf.MJUMPAGESIZE ? 0 : m_getjcl(how, type, flags, Mbuf.MJUMPAGESIZE);
    }

    /**
     * A new mbuf sharing {@code m}'s external storage, data offset and length (an {@code m_copym}-style reference,
     * through {@link #mb_dupcl}).
     *
     * @return the new mbuf, or 0 when {@code M_NOWAIT} failed
     */
    public long m_refcl(long m, int how) {
        checkHow(how);
        requireExt(m);
        long n = allocMbuf(how, type(m), 0);
        if (n != 0) {
            ext.dup(n, m);
        }
        return n;
    }

    /**
     * Makes {@code n} share {@code m}'s external storage ({@code mb_dupcl}): the reference count is raised and
     * {@code n} takes {@code m}'s data offset and length.
     *
     * @throws IllegalArgumentException if {@code m} has no external storage or {@code n} has some
     */
    public void mb_dupcl(long n, long m) {
        requireExt(m);
        requireNoExt(n);
        ext.dup(n, m);
    }

    // ---- free ------------------------------------------------------------------------------------------

    /**
     * Frees one mbuf and returns its {@code m_next} ({@code m_free}). Shared storage is freed with its last
     * reference; the mbuf holding the count stays allocated until then; an {@code EXT_PACKET} mbuf goes back
     * whole to the packet zone. A packet header's tags are freed with the mbuf.
     */
    public long m_free(long m) {
        long n = next(m);
        if ((flags(m) & M_EXT) != 0) {
            ext.free(m);
        } else {
            freeRaw(m, mbuf);
        }
        return n;
    }

    /** Frees a chain linked by {@code m_next} ({@code m_freem}); 0 does nothing. */
    public void m_freem(long m) {
        while (m != 0) {
            m = m_free(m);
        }
    }

    void freeRaw(long m, Zone zone) {
        if ((flags(m) & M_PKTHDR) != 0 && mm.getLong(m, OFF_PKT_TAGS) != 0) {
            tags.m_tag_delete_chain(m);
        }
        zone.free(m);
    }

    // ---- helpers ---------------------------------------------------------------------------------------

    private long allocMbuf(int how, int type, int flags) {
        long m = mbuf.alloc(how);
        if (m != 0) {
            header(m, type, flags, (flags & M_PKTHDR) != 0 ? Mbuf.OFF_PKTDAT : Mbuf.OFF_DAT);
        }
        return m;
    }

    /** {@code m_init}: a fresh header; {@code M_EXT} keeps the {@code m_ext} area set by the packet zinit. */
    private void header(long m, int type, int flags, int data) {
        mm.setLong(m, OFF_NEXT, 0);
        mm.setLong(m, OFF_NEXTPKT, 0);
        // m_data and m_len (0) are adjacent ints, m_flags and m_type (+ pad) fill the next 8 bytes: one store each.
        mm.setIntPair(m, OFF_DATA, data, 0);
        mm.setIntPair(m, OFF_FLAGS, flags, type & 0xffff);
        if ((flags & M_PKTHDR) != 0) {
            mm.setLong(m, OFF_PKT_LEN, 0);
            mm.setLong(m, OFF_PKT_TAGS, 0);
        }
    }

    private static void checkHow(int how) {
        if (how != Uma.M_NOWAIT && how != Uma.M_WAITOK) {
            throw new IllegalArgumentException("how must be M_WAITOK or M_NOWAIT: 0x" + Integer.toHexString(how));
        }
    }

    private static int checkType(int type) {
        if (type < 0 || type > 0xff) {
            throw new IllegalArgumentException("mbuf type must be 0..255: " + type);
        }
        return type;
    }

    private static void checkFlags(int flags) {
        if ((flags & ~(M_PKTHDR | Mbuf.M_EOR)) != 0) {
            throw new IllegalArgumentException("mbuf flags may be M_PKTHDR and M_EOR only: 0x"
                    + Integer.toHexString(flags));
        }
    }

    // ---- zones and companions --------------------------------------------------------------------------

    /** The {@code mbuf} zone. */
    public Zone mbufZone() {
        return mbuf;
    }

    /** The {@code mbuf_cluster} zone. */
    public Zone clusterZone() {
        return cluster;
    }

    /** The {@code mbuf_packet} zone (secondary zone of {@code mbuf}). */
    public Zone packetZone() {
        return packet;
    }

    /** The {@code mbuf_jumbo_page} zone. */
    public Zone jumbopZone() {
        return zones.jumbop;
    }

    /** The {@code mbuf_jumbo_9k} zone. */
    public Zone jumbo9Zone() {
        return zones.jumbo9;
    }

    /** The {@code mbuf_jumbo_16k} zone. */
    public Zone jumbo16Zone() {
        return zones.jumbo16;
    }

    MbufZones zones() {
        return zones;
    }

    /** The {@code kern.ipc.nmb*} limits. */
    public MbufTunables tunables() {
        return tunables;
    }

    /** Packet tags and the {@code mbuf_tag} malloc type. */
    public MbufTags tags() {
        return tags;
    }

    /** The allocator the zones live in. */
    public Uma uma() {
        return uma;
    }
}
