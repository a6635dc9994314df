package org.memstat.cli;

/**
 * One OID as a listing shows it.
 *
 * @param name     the full dotted name
 * @param kind     its kind
 * @param format   FreeBSD's format string ({@code "I"}, {@code "s,struct uma_type_header"}, ...), or ""
 * @param writable whether the OID has a write handler
 */
record OidEntry(String name, OidKind kind, String format, boolean writable) {
}
