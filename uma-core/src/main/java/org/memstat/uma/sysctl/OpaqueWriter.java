package org.memstat.uma.sysctl;

import java.nio.ByteBuffer;

/** Validates and applies a new value of an opaque OID. */
@FunctionalInterface
public interface OpaqueWriter {
    /**
     * Validates and applies a new value, atomically. Calls are serialized by the registry.
     *
     * @param value the new bytes (read-only, position to limit)
     * @return 0 when applied, or an errno such as {@link Errno#EINVAL}
     */
    int write(ByteBuffer value);
}
