package org.memstat.uma.sysctl;

/** Validates and applies a new value of a long or ulong OID. */
@FunctionalInterface
public interface LongWriter {
    /**
     * Validates and applies a new value, atomically. Calls are serialized by the registry.
     *
     * @param value the new value (raw 64 bits for a ulong OID)
     * @return 0 when applied, or an errno such as {@link Errno#EINVAL}
     */
    int write(long value);
}
