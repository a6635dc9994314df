package org.memstat.lib;

/**
 * One OID as a sysctl registry describes it ({@code sysctl -d} and the kind {@code sysctl(8)} needs to print or
 * parse a value): what {@link WritableSysctlSource#describe} and {@link WritableSysctlSource#list} return.
 *
 * @param name        the full dotted name
 * @param ctlType     FreeBSD's {@code CTLTYPE_*} number: 1 node, 2 int, 3 string, 5 opaque, 6 uint, 7 long,
 *                    8 ulong; other numbers are passed through as the server sent them
 * @param format      FreeBSD's format string ({@code "I"}, {@code "LU"}, {@code "s,struct uma_type_header"}, ...),
 *                    empty for nodes
 * @param description a one-line description
 * @param writable    whether the OID has a write handler (whether or not the server accepts writes)
 */
public record SysctlEntry(String name, int ctlType, String format, String description, boolean writable) {
    /** {@code CTLTYPE_NODE}: an interior node. */
    public static final int CTLTYPE_NODE = 1;

    /**
     * Tells whether this is an interior node, which has children instead of a value.
     *
     * @return true for {@code CTLTYPE_NODE}
     */
    public boolean isNode() {
        return ctlType == CTLTYPE_NODE;
    }

    /**
     * The size of this OID's value when it is a fixed-size number: what a write must send, in the producer's
     * byte order.
     *
     * @return 4 for int and uint, 8 for long and ulong (the registry is LP64), 0 for every other type
     */
    public int numericSize() {
        return switch (ctlType) {
            case 2, 6 -> 4;
            case 7, 8 -> 8;
            default -> 0;
        };
    }
}
