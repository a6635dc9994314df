package org.memstat.cli;

/**
 * The kind of an OID as {@code sysctl(8)} needs it to print or parse a value, with FreeBSD's {@code CTLTYPE_*}
 * numbers (the registry protocol carries the same numbers).
 */
enum OidKind {
    /** An interior node ({@code CTLTYPE_NODE}). */
    NODE(1, 0, false),
    /** {@code int} ({@code CTLTYPE_INT}). */
    INT(2, 4, true),
    /** A NUL-terminated string ({@code CTLTYPE_STRING}). */
    STRING(3, 0, false),
    /** A struct or stream ({@code CTLTYPE_OPAQUE}). */
    OPAQUE(5, 0, false),
    /** {@code u_int} ({@code CTLTYPE_UINT}). */
    UINT(6, 4, false),
    /** {@code long} on LP64 ({@code CTLTYPE_LONG}). */
    LONG(7, 8, true),
    /** {@code u_long} on LP64 ({@code CTLTYPE_ULONG}). */
    ULONG(8, 8, false);

    final int ctlType;
    final int size;
    final boolean signed;

    OidKind(int ctlType, int size, boolean signed) {
        this.ctlType = ctlType;
        this.size = size;
        this.signed = signed;
    }

    /** Whether values of this kind are numbers. */
    boolean numeric() {
        return size > 0;
    }

    /** The kind with FreeBSD's number {@code ctlType}, or {@link #OPAQUE} for a number this tool does not know. */
    static OidKind ofCtlType(int ctlType) {
        for (OidKind k : values()) {
            if (k.ctlType == ctlType) {
                return k;
            }
        }
        return OPAQUE;
    }
}
