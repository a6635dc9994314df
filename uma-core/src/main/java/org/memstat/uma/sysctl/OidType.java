package org.memstat.uma.sysctl;

/** The kind of an OID, with FreeBSD's {@code CTLTYPE_*} number and default format string. */
public enum OidType {
    /** An interior node ({@code CTLTYPE_NODE}). */
    NODE(1, "", -1),
    /** A signed 32-bit int ({@code CTLTYPE_INT}, format {@code "I"}). */
    INT(2, "I", 4),
    /** A NUL-terminated UTF-8 string ({@code CTLTYPE_STRING}, format {@code "A"}). */
    STRING(3, "A", -1),
    /** Opaque bytes or a struct stream ({@code CTLTYPE_OPAQUE}, the same number as {@code CTLTYPE_STRUCT}). */
    OPAQUE(5, "", -1),
    /** An unsigned 32-bit int ({@code CTLTYPE_UINT}, format {@code "IU"}). */
    UINT(6, "IU", 4),
    /** A signed 64-bit long ({@code CTLTYPE_LONG} on LP64, format {@code "L"}). */
    LONG(7, "L", 8),
    /** An unsigned 64-bit long ({@code CTLTYPE_ULONG} on LP64, format {@code "LU"}). */
    ULONG(8, "LU", 8);

    private final int ctlType;
    private final String defaultFormat;
    private final int fixedSize;

    OidType(int ctlType, String defaultFormat, int fixedSize) {
        this.ctlType = ctlType;
        this.defaultFormat = defaultFormat;
        this.fixedSize = fixedSize;
    }

    /** {@return FreeBSD's {@code CTLTYPE_*} number, as the socket protocol carries it} */
    public int ctlType() {
        return ctlType;
    }

    /** {@return the format string FreeBSD uses for this type by default} */
    public String defaultFormat() {
        return defaultFormat;
    }

    /** {@return the value size in bytes, or -1 when it varies} */
    public int fixedSize() {
        return fixedSize;
    }

    /**
     * Finds a type by its {@code CTLTYPE_*} number.
     *
     * @param ctlType the number
     * @return the type, or {@code null} when no type has that number
     */
    public static OidType ofCtlType(int ctlType) {
        for (OidType t : values()) {
            if (t.ctlType == ctlType) {
                return t;
            }
        }
        return null;
    }
}
