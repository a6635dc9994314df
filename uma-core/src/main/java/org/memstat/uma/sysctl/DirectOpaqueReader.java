package org.memstat.uma.sysctl;

import java.nio.ByteBuffer;

/**
 * An opaque reader that can also write its value straight into the caller's buffer, as FreeBSD's
 * {@code sbuf_new_for_sysctl} streams into the user's buffer, so a large value is written once instead of being
 * produced into a buffer of its own and then copied. {@link Sysctl#read} uses {@link #writeInto} when it has a
 * writable buffer and falls back to {@link #read} (produce, then copy what fits) when this returns -1, for size
 * queries and for the socket server.
 */
public interface DirectOpaqueReader extends OpaqueReader {
    /**
     * Writes the whole current value into {@code dst}, starting at its position, when it fits before the limit.
     * Numbers go in native order, whatever {@code dst}'s own byte order; the position is not moved.
     *
     * @param dst the destination, writable
     * @return the value's size in bytes, all of them written; or -1 when the value did not fit: then the bytes from
     *         the position to the limit may have been changed and hold nothing meaningful
     */
    int writeInto(ByteBuffer dst);
}
