package org.memstat.uma.mbuf;

import java.lang.foreign.MemorySegment;
import org.memstat.uma.Uma;
import org.memstat.uma.malloc.Malloc;
import org.memstat.uma.malloc.MallocType;

/**
 * Packet tags ({@code m_tag(9)}): small records hung off a packet header, allocated with {@code malloc(9)} under
 * the malloc type {@code mbuf_tag}, whose bytes {@code netstat -m} adds to "bytes allocated to network".
 *
 * <pre>
 *  0                8          10          12             16
 *  +----------------+----------+-----------+--------------+-------------+
 *  | m_tag_next     | m_tag_id | m_tag_len | m_tag_cookie | data[len]   |
 *  +----------------+----------+-----------+--------------+-------------+
 * </pre>
 *
 * A packet's tags are deleted when its mbuf is freed. Tags of one packet are used by one thread at a time, as the
 * packet is.
 */
public final class MbufTags {
    /** {@code MTAG_ABI_COMPAT}: the cookie of tags made by {@link #m_tag_get}. */
    public static final int MTAG_ABI_COMPAT = 0;
    static final int OFF_NEXT = 0;
    static final int SIZE_NEXT = 8;
    static final int OFF_ID = OFF_NEXT + SIZE_NEXT;
    static final int SIZE_ID = 2;
    static final int OFF_LEN = OFF_ID + SIZE_ID;
    static final int SIZE_LEN = 2;
    static final int OFF_COOKIE = OFF_LEN + SIZE_LEN;
    static final int SIZE_COOKIE = 4;
    /** Size of the tag header; the tag's data follows it. */
    public static final int TAG_HDR = OFF_COOKIE + SIZE_COOKIE;
    private static final int MAX_LEN = 0xffff;

    private final MbufMem mm;
    private final Malloc malloc;
    private final MallocType type;

    MbufTags(MbufMem mm, Malloc malloc, MallocType type) {
        this.mm = mm;
        this.malloc = malloc;
        this.type = type;
    }

    /** The malloc type tags are counted under ({@code mbuf_tag}). */
    public MallocType mallocType() {
        return type;
    }

    /** Allocates a tag with cookie {@link #MTAG_ABI_COMPAT}; see {@link #m_tag_alloc}. */
    public long m_tag_get(int tagType, int len, int how) {
        return m_tag_alloc(MTAG_ABI_COMPAT, tagType, len, how);
    }

    /**
     * Allocates a tag of {@code len} data bytes, not yet attached to a packet.
     *
     * @param tagType 0..65535
     * @param len     0..65535
     * @param how     {@link Uma#M_WAITOK} or {@link Uma#M_NOWAIT}
     * @return the tag's address, or 0 when an {@code M_NOWAIT} allocation failed
     */
    public long m_tag_alloc(int cookie, int tagType, int len, int how) {
        if (tagType < 0 || tagType > MAX_LEN || len < 0 || len > MAX_LEN) {
            throw new IllegalArgumentException("m_tag type and length must be 0..65535: " + tagType + ", " + len);
        }
        long t = malloc.malloc(TAG_HDR + len, type, how);
        if (t != 0) {
            mm.setLong(t, OFF_NEXT, 0);
            mm.setShort(t, OFF_ID, tagType);
            mm.setShort(t, OFF_LEN, len);
            mm.setInt(t, OFF_COOKIE, cookie);
        }
        return t;
    }

    /** Frees a tag that is not attached to a packet. */
    public void m_tag_free(long t) {
        malloc.free(t, type);
    }

    /** Attaches {@code t} in front of the packet's tags; {@code m} must have a packet header. */
    public void m_tag_prepend(long m, long t) {
        requirePkthdr(m);
        mm.setLong(t, OFF_NEXT, mm.getLong(m, Mbuf.OFF_PKT_TAGS));
        mm.setLong(m, Mbuf.OFF_PKT_TAGS, t);
    }

    /** The packet's first tag, 0 for none. */
    public long m_tag_first(long m) {
        requirePkthdr(m);
        return mm.getLong(m, Mbuf.OFF_PKT_TAGS);
    }

    /** The tag after {@code t}, 0 at the end. */
    public long m_tag_next(long t) {
        return mm.getLong(t, OFF_NEXT);
    }

    /** The first tag with this cookie and type after {@code start} (or from the first tag when 0); 0 if none. */
    public long m_tag_locate(long m, int cookie, int tagType, long start) {
        long t = start == 0 ? m_tag_first(m) : m_tag_next(start);
        while (t != 0 && (cookie(t) != cookie || type(t) != tagType)) {
            t = m_tag_next(t);
        }
        return t;
    }

    /** Detaches {@code t} from the packet and frees it. */
    public void m_tag_delete(long m, long t) {
        m_tag_unlink(m, t);
        m_tag_free(t);
    }

    /** Detaches {@code t} from the packet without freeing it. */
    public void m_tag_unlink(long m, long t) {
        long prev = 0;
        for (long p = m_tag_first(m); p != 0; prev = p, p = m_tag_next(p)) {
            if (p == t) {
                long next = m_tag_next(t);
                if (prev == 0) {
                    mm.setLong(m, Mbuf.OFF_PKT_TAGS, next);
                } else {
                    mm.setLong(prev, OFF_NEXT, next);
                }
                mm.setLong(t, OFF_NEXT, 0);
                return;
            }
        }
        throw new IllegalArgumentException(String.format("tag 0x%x is not attached to mbuf 0x%x", t, m));
    }

    /** Frees every tag of the packet. */
    public void m_tag_delete_chain(long m) {
        long t = m_tag_first(m);
        mm.setLong(m, Mbuf.OFF_PKT_TAGS, 0);
        while (t != 0) {
            long next = m_tag_next(t);
            m_tag_free(t);
            t = next;
        }
    }

    /** The tag's type ({@code m_tag_id}). */
    public int type(long t) {
        return mm.getShort(t, OFF_ID);
    }

    /** The tag's data length. */
    public int len(long t) {
        return mm.getShort(t, OFF_LEN);
    }

    /** The tag's cookie. */
    public int cookie(long t) {
        return mm.getInt(t, OFF_COOKIE);
    }

    /** A view of the tag's {@link #len} data bytes. */
    public MemorySegment data(long t) {
        return mm.slice(t + TAG_HDR, len(t));
    }

    private void requirePkthdr(long m) {
        if ((mm.getInt(m, Mbuf.OFF_FLAGS) & Mbuf.M_PKTHDR) == 0) {
            throw new IllegalArgumentException(String.format("mbuf 0x%x has no packet header", m));
        }
    }
}
