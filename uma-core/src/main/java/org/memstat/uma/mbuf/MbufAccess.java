package org.memstat.uma.mbuf;

import static org.memstat.uma.mbuf.Mbuf.M_EXT;
import static org.memstat.uma.mbuf.Mbuf.M_PKTHDR;
import static org.memstat.uma.mbuf.Mbuf.OFF_DATA;
import static org.memstat.uma.mbuf.Mbuf.OFF_EXT_BUF;
import static org.memstat.uma.mbuf.Mbuf.OFF_EXT_REF;
import static org.memstat.uma.mbuf.Mbuf.OFF_EXT_SIZE;
import static org.memstat.uma.mbuf.Mbuf.OFF_EXT_TYPE;
import static org.memstat.uma.mbuf.Mbuf.OFF_FLAGS;
import static org.memstat.uma.mbuf.Mbuf.OFF_LEN;
import static org.memstat.uma.mbuf.Mbuf.OFF_NEXT;
import static org.memstat.uma.mbuf.Mbuf.OFF_NEXTPKT;
import static org.memstat.uma.mbuf.Mbuf.OFF_PKT_LEN;
import static org.memstat.uma.mbuf.Mbuf.OFF_TYPE;

import java.lang.foreign.MemorySegment;

/**
 * Field accessors of {@link Mbufs} ({@code mtod}, {@code m_len}, {@code M_TRAILINGSPACE}, ...), kept apart from the
 * allocation code. Every accessor takes the mbuf's address; the caller must own the mbuf.
 *
 * <p>Storage: without {@link Mbuf#M_EXT} the data lives in the mbuf itself, from offset {@code MHSIZE} (32), or
 * {@code MPKTHSIZE} (48) with a packet header, to {@link Mbuf#MSIZE}; with it, in {@code [0, ext_size)} of the
 * external buffer. The data offset and length must stay inside the storage.
 */
abstract sealed class MbufAccess permits Mbufs {
    final MbufMem mm;

    MbufAccess(MbufMem mm) {
        this.mm = mm;
    }

    /** {@code m_next}: the next mbuf of this packet, 0 at the end. */
    public long next(long m) {
        return mm.getLong(m, OFF_NEXT);
    }

    /** Sets {@code m_next}. */
    public void setNext(long m, long next) {
        mm.setLong(m, OFF_NEXT, next);
    }

    /** {@code m_nextpkt}: the next packet of a queue, 0 at the end. */
    public long nextPkt(long m) {
        return mm.getLong(m, OFF_NEXTPKT);
    }

    /** Sets {@code m_nextpkt}. */
    public void setNextPkt(long m, long next) {
        mm.setLong(m, OFF_NEXTPKT, next);
    }

    /** {@code m_flags}. */
    public int flags(long m) {
        return mm.getInt(m, OFF_FLAGS);
    }

    /** {@code m_type}. */
    public int type(long m) {
        return mm.getShort(m, OFF_TYPE);
    }

    /** {@code m_len}: bytes of data in this mbuf. */
    public int len(long m) {
        return mm.getInt(m, OFF_LEN);
    }

    /**
     * Sets {@code m_len}.
     *
     * @throws IllegalArgumentException if the data would not fit between the data offset and the storage's end
     */
    public void setLen(long m, int len) {
        if (len < 0 || (long) dataOffset(m) + len > storageEnd(m)) {
            throw new IllegalArgumentException("m_len " + len + " does not fit: data offset " + dataOffset(m)
                    + ", storage end " + storageEnd(m));
        }
        mm.setInt(m, OFF_LEN, len);
    }

    /** The data offset ({@code m_data}) from the start of the storage (the mbuf, or the external buffer). */
    public int dataOffset(long m) {
        return mm.getInt(m, OFF_DATA);
    }

    /**
     * Moves the data start, keeping {@code m_len} (to leave room for a header in front, as {@code M_ALIGN} does).
     *
     * @throws IllegalArgumentException if {@code [offset, offset + m_len)} is not inside the storage
     */
    public void setDataOffset(long m, int offset) {
        if (offset < storageStart(m) || (long) offset + len(m) > storageEnd(m)) {
            throw new IllegalArgumentException("data offset " + offset + " with m_len " + len(m)
                    + " is outside the storage [" + storageStart(m) + ", " + storageEnd(m) + ")");
        }
        mm.setInt(m, OFF_DATA, offset);
    }

    /** {@code mtod}: the address of the first data byte. */
    public long mtod(long m) {
        return storageBase(m) + dataOffset(m);
    }

    /** A view of exactly the {@code m_len} data bytes. */
    public MemorySegment data(long m) {
        return mm.slice(mtod(m), len(m));
    }

    /** A view from the first data byte to the end of the storage: {@code m_len + M_TRAILINGSPACE} bytes. */
    public MemorySegment buffer(long m) {
        return mm.slice(mtod(m), storageEnd(m) - dataOffset(m));
    }

    /** {@code M_LEADINGSPACE}: free bytes before the data. */
    public int leadingSpace(long m) {
        return dataOffset(m) - storageStart(m);
    }

    /** {@code M_TRAILINGSPACE}: free bytes after the data. */
    public int trailingSpace(long m) {
        return storageEnd(m) - dataOffset(m) - len(m);
    }

    /** {@code m_pkthdr.len}: the packet's total length, as kept by the caller. */
    public int pktLen(long m) {
        requirePkthdr(m);
        return mm.getInt(m, OFF_PKT_LEN);
    }

    /** Sets {@code m_pkthdr.len}. */
    public void setPktLen(long m, int len) {
        requirePkthdr(m);
        if (len < 0) {
            throw new IllegalArgumentException("negative packet length " + len);
        }
        mm.setInt(m, OFF_PKT_LEN, len);
    }

    /** {@code m_length}: the sum of {@code m_len} over the chain linked by {@code m_next}. */
    public long m_length(long m) {
        long n = 0;
        for (; m != 0; m = next(m)) {
            n += len(m);
        }
        return n;
    }

    /** {@code ext_type} ({@link Mbuf#EXT_CLUSTER}, ...), 0 without external storage. */
    public int extType(long m) {
        return (flags(m) & M_EXT) == 0 ? 0 : mm.getShort(m, OFF_EXT_TYPE);
    }

    /** {@code ext_size}, 0 without external storage. */
    public int extSize(long m) {
        return (flags(m) & M_EXT) == 0 ? 0 : mm.getInt(m, OFF_EXT_SIZE);
    }

    /** {@code ext_buf}: the external buffer's address, 0 without external storage. */
    public long extBuf(long m) {
        return (flags(m) & M_EXT) == 0 ? 0 : mm.getLong(m, OFF_EXT_BUF);
    }

    /** The reference count of {@code m}'s external storage (a racy read when it is shared). */
    public int refCount(long m) {
        requireExt(m);
        return mm.count(mm.getLong(m, OFF_EXT_REF));
    }

    private long storageBase(long m) {
        return (flags(m) & M_EXT) != 0 ? mm.getLong(m, OFF_EXT_BUF) : m;
    }

    private int storageStart(long m) {
        int f = flags(m);
        return (f & M_EXT) != 0 ? 0 : (f & M_PKTHDR) != 0 ? Mbuf.OFF_PKTDAT : Mbuf.OFF_DAT;
    }

    private int storageEnd(long m) {
        return (flags(m) & M_EXT) != 0 ? mm.getInt(m, OFF_EXT_SIZE) : Mbuf.MSIZE;
    }

    void requireExt(long m) {
        if ((flags(m) & M_EXT) == 0) {
            throw new IllegalArgumentException(String.format("mbuf 0x%x has no external storage", m));
        }
    }

    void requireNoExt(long m) {
        if ((flags(m) & M_EXT) != 0) {
            throw new IllegalArgumentException(String.format("mbuf 0x%x already has external storage", m));
        }
    }

    private void requirePkthdr(long m) {
        if ((flags(m) & M_PKTHDR) == 0) {
            throw new IllegalArgumentException(String.format("mbuf 0x%x has no packet header", m));
        }
    }
}
