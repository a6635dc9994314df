package org.memstat.uma.sysctl;

/** Validates and applies a new value of a string OID. */
@FunctionalInterface
public interface StringWriter {
    /**
     * Validates and applies a new value, atomically. Calls are serialized by the registry.
     *
     * @param value the new value, decoded from UTF-8 up to the first NUL
     * @return 0 when applied, or an errno such as {@link Errno#EINVAL}
     */
    int write(String value);
}
