package org.memstat.uma.sysctl;

/** Validates and applies a new value of an int or uint OID. */
@FunctionalInterface
public interface IntWriter {
    /**
     * Validates and applies a new value, atomically: either the value is applied entirely, or nothing changes.
     * Calls are serialized by the registry.
     *
     * @param value the new value (raw 32 bits for a uint OID)
     * @return 0 when applied, or an errno such as {@link Errno#EINVAL}
     */
    int write(int value);
}
