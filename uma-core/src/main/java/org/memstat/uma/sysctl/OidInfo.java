package org.memstat.uma.sysctl;

/**
 * What the registry says about one OID: its full name, kind, format string, description and whether it can be
 * written. Nodes have type {@link OidType#NODE} and an empty format.
 *
 * @param name        the full dotted name
 * @param type        the kind of value
 * @param format      FreeBSD's format string ({@code "I"}, {@code "IU"}, {@code "s,struct uma_type_header"}, ...)
 * @param description a one-line description
 * @param writable    true when the OID has a write handler
 */
public record OidInfo(String name, OidType type, String format, String description, boolean writable) {
    /** {@return true for an interior node} */
    public boolean isNode() {
        return type == OidType.NODE;
    }
}
