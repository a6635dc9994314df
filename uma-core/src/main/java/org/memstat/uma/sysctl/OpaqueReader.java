package org.memstat.uma.sysctl;

import java.nio.ByteBuffer;
import java.util.function.Consumer;

/** Produces the current value of an opaque OID on every read. */
@FunctionalInterface
public interface OpaqueReader {
    /**
     * Produces the value and hands it to {@code sink} once. The bytes between the buffer's position and limit are
     * the value; they need to stay valid only until {@code sink} returns, so a reader may pass a reused buffer.
     * The sink copies and never blocks on I/O. Not calling the sink yields an empty value.
     *
     * @param sink receives the value
     */
    void read(Consumer<ByteBuffer> sink);
}
