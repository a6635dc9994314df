package org.memstat.uma.mbuf;

/**
 * mbuf constants ({@code sys/param.h}, {@code sys/mbuf.h}) and the off-heap layout of an mbuf.
 *
 * <p>An mbuf is a 256-byte item ({@link #MSIZE}) of the {@code mbuf} zone. Its header is modelled on
 * {@code struct mbuf}; the packet header and {@code m_ext} overlay the data area as FreeBSD's unions do:
 *
 * <pre>
 *  0         8          16       20      24       28      30      32
 *  +---------+----------+--------+-------+--------+-------+-------+
 *  | m_next  | m_nextpkt| m_data | m_len | m_flags| m_type| (pad) |   header (MHSIZE = 32)
 *  +---------+----------+--------+-------+--------+-------+-------+
 *  32        36         40                48
 *  +---------+----------+-----------------+                          m_dat[MLEN = 224] starts at 32
 *  | pkt.len | (pad)    | pkt.tags        |                          packet header (M_PKTHDR only)
 *  +---------+----------+-----------------+
 *  48        56         64         68         72        74       76
 *  +---------+----------+----------+----------+---------+--------+   m_pktdat[MHLEN = 208] starts at 48,
 *  | ext_buf | ext_ref  | ext_count| ext_size | ext_type|ext_flag|   m_ext overlays it (M_EXT only)
 *  +---------+----------+----------+----------+---------+--------+
 * </pre>
 *
 * <ul>
 *   <li>{@code m_data} is the offset of the first data byte from the start of the storage: the mbuf itself
 *       (internal data) or {@code ext_buf} (with {@link #M_EXT}). {@code mtod(m) = storage + m_data}.
 *   <li>{@code ext_ref} is the address of the mbuf that holds the reference count in its {@code ext_count}
 *       (itself, with {@link #EXT_FLAG_EMBREF}); every mbuf sharing the storage points at that one, as current
 *       FreeBSD's embedded refcount ({@code ext_cnt}) does.
 *   <li>{@code pkt.tags} is the first {@code m_tag} of the packet (0 for none), see {@link MbufTags}.
 * </ul>
 */
public final class Mbuf {
    /** Size of an mbuf. */
    public static final int MSIZE = 256;
    /** Size of a standard cluster. */
    public static final int MCLBYTES = 2048;
    /** Size of a page-sized jumbo cluster (4096 on usual platforms). */
    public static final int MJUMPAGESIZE = 4096;
    /** Size of a 9k jumbo cluster. */
    public static final int MJUM9BYTES = 9 * 1024;
    /** Size of a 16k jumbo cluster. */
    public static final int MJUM16BYTES = 16 * 1024;

    /** {@code m_flags}: external storage is attached. */
    public static final int M_EXT = 0x00000001;
    /** {@code m_flags}: the mbuf starts a packet and has a packet header. */
    public static final int M_PKTHDR = 0x00000002;
    /** {@code m_flags}: end of record. */
    public static final int M_EOR = 0x00000004;
    /** {@code m_flags}: the storage is read-only (shared). */
    public static final int M_RDONLY = 0x00000008;

    /** {@code ext_type}: a 2048-byte cluster. */
    public static final int EXT_CLUSTER = 1;
    /** {@code ext_type}: a page-sized jumbo cluster. */
    public static final int EXT_JUMBOP = 3;
    /** {@code ext_type}: a 9k jumbo cluster. */
    public static final int EXT_JUMBO9 = 4;
    /** {@code ext_type}: a 16k jumbo cluster. */
    public static final int EXT_JUMBO16 = 5;
    /** {@code ext_type}: an mbuf and cluster pair from the {@code mbuf_packet} zone. */
    public static final int EXT_PACKET = 6;
    /** {@code ext_flags}: this mbuf holds the storage's reference count. */
    public static final int EXT_FLAG_EMBREF = 0x000001;

    /** {@code m_type}: free mbuf (never handed out). */
    public static final int MT_NOTMBUF = 0;
    /** {@code m_type}: dynamic data. */
    public static final int MT_DATA = 1;
    /** {@code m_type}: packet header (the same value as {@link #MT_DATA}). */
    public static final int MT_HEADER = MT_DATA;
    /** {@code m_type}: socket name. */
    public static final int MT_SONAME = 8;
    /** {@code m_type}: extra-data protocol message. */
    public static final int MT_CONTROL = 14;
    /** {@code m_type}: expedited data. */
    public static final int MT_OOBDATA = 15;

    static final int OFF_NEXT = 0;
    static final int SIZE_NEXT = 8;
    static final int OFF_NEXTPKT = OFF_NEXT + SIZE_NEXT;
    static final int SIZE_NEXTPKT = 8;
    static final int OFF_DATA = OFF_NEXTPKT + SIZE_NEXTPKT;
    static final int SIZE_DATA = 4;
    static final int OFF_LEN = OFF_DATA + SIZE_DATA;
    static final int SIZE_LEN = 4;
    static final int OFF_FLAGS = OFF_LEN + SIZE_LEN;
    static final int SIZE_FLAGS = 4;
    static final int OFF_TYPE = OFF_FLAGS + SIZE_FLAGS;
    static final int SIZE_TYPE = 2;
    static final int SIZE_HDR_PAD = 2;
    /** End of the header: {@code m_dat} begins here. */
    static final int OFF_DAT = OFF_TYPE + SIZE_TYPE + SIZE_HDR_PAD;

    static final int OFF_PKT_LEN = OFF_DAT;
    static final int SIZE_PKT_LEN = 4;
    static final int SIZE_PKT_PAD = 4;
    static final int OFF_PKT_TAGS = OFF_PKT_LEN + SIZE_PKT_LEN + SIZE_PKT_PAD;
    static final int SIZE_PKT_TAGS = 8;
    /** End of the packet header: {@code m_pktdat} and {@code m_ext} begin here. */
    static final int OFF_PKTDAT = OFF_PKT_TAGS + SIZE_PKT_TAGS;

    static final int OFF_EXT_BUF = OFF_PKTDAT;
    static final int SIZE_EXT_BUF = 8;
    static final int OFF_EXT_REF = OFF_EXT_BUF + SIZE_EXT_BUF;
    static final int SIZE_EXT_REF = 8;
    static final int OFF_EXT_COUNT = OFF_EXT_REF + SIZE_EXT_REF;
    static final int SIZE_EXT_COUNT = 4;
    static final int OFF_EXT_SIZE = OFF_EXT_COUNT + SIZE_EXT_COUNT;
    static final int SIZE_EXT_SIZE = 4;
    static final int OFF_EXT_TYPE = OFF_EXT_SIZE + SIZE_EXT_SIZE;
    static final int SIZE_EXT_TYPE = 2;
    static final int OFF_EXT_FLAGS = OFF_EXT_TYPE + SIZE_EXT_TYPE;
    static final int SIZE_EXT_FLAGS = 2;
    static final int END_EXT = OFF_EXT_FLAGS + SIZE_EXT_FLAGS;

    /** Data bytes of an mbuf without a packet header. */
    public static final int MLEN = MSIZE - OFF_DAT;
    /** Data bytes of an mbuf with a packet header. */
    public static final int MHLEN = MSIZE - OFF_PKTDAT;

    private Mbuf() {
    }
}
