package org.memstat.lib;

import java.io.Serial;

/**
 * A failed refresh: libmemstat's error code and text, plus where it happened.
 *
 * <p>The message is one line: {@code "<strerror>: <detail> (oid O, byte B, record R, source S)"}, leaving out the
 * coordinates that do not apply. A refresh that throws leaves its {@link MemoryTypeList} exactly as it was.
 */
public final class MemstatException extends Exception {
    @Serial
    private static final long serialVersionUID = 1L;

    /** The libmemstat error. */
    private final MemstatError error;
    /** What was wrong, without coordinates. */
    private final String detail;
    /** The source URI, or null. */
    private final String source;
    /** The OID, or null. */
    private final String oid;
    /** The byte offset in the OID's value, or -1. */
    private final long offset;
    /** The record index in stream order, or -1. */
    private final int record;

    MemstatException(MemstatError error, String detail, String source, String oid, long offset, int record,
            Throwable cause) {
        super(format(error, detail, source, oid, offset, record), cause);
        this.error = error;
        this.detail = detail;
        this.source = source;
        this.oid = oid;
        this.offset = offset;
        this.record = record;
    }

    private static String format(MemstatError error, String detail, String source, String oid, long offset,
            int record) {
        StringBuilder sb = new StringBuilder(error.text()).append(": ").append(detail);
        StringBuilder where = new StringBuilder();
        if (oid != null) {
            where.append("oid ").append(oid);
        }
        if (offset >= 0) {
            where.append(where.isEmpty() ? "" : ", ").append("byte ").append(offset);
        }
        if (record >= 0) {
            where.append(where.isEmpty() ? "" : ", ").append("record ").append(record);
        }
        if (source != null) {
            where.append(where.isEmpty() ? "" : ", ").append("source ").append(source);
        }
        if (!where.isEmpty()) {
            sb.append(" (").append(where).append(')');
        }
        return sb.toString();
    }

    /**
     * Returns the libmemstat error.
     *
     * @return the error, never {@code null}
     */
    public MemstatError error() {
        return error;
    }

    /**
     * Returns libmemstat's numeric code ({@code memstat_mtl_geterror}).
     *
     * @return {@code error().code()}
     */
    public int code() {
        return error.code();
    }

    /**
     * Returns the {@code memstat_strerror} text of the error.
     *
     * @return for example "Data format error"
     */
    public String strerror() {
        return error.text();
    }

    /**
     * Returns what exactly was wrong, without the coordinates.
     *
     * @return a short phrase
     */
    public String detail() {
        return detail;
    }

    /**
     * Returns the source's URI, if the failure came from a source.
     *
     * @return for example {@code dir:/var/tmp/snap}, or {@code null}
     */
    public String source() {
        return source;
    }

    /**
     * Returns the OID being read or parsed.
     *
     * @return for example {@code vm.zone_stats}, or {@code null}
     */
    public String oid() {
        return oid;
    }

    /**
     * Returns the byte offset in the OID's value where the problem was found.
     *
     * @return a byte offset, or -1 when it does not apply
     */
    public long offset() {
        return offset;
    }

    /**
     * Returns the index, in stream order, of the record where the problem was found.
     *
     * @return a record index, or -1 when it does not apply
     */
    public int record() {
        return record;
    }
}
