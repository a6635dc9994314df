package org.memstat.cli;

import java.nio.ByteOrder;
import org.memstat.lib.SysctlException;
import org.memstat.lib.SysctlSource;

/**
 * The producer's byte order as its streams reveal it: both streams start with the version word 1, so its first
 * byte says little- or big-endian. memstat-lib detects the same internally but does not expose it (a
 * {@code SysctlSource.byteOrder()} there would make this class unnecessary).
 */
final class StreamOrder {
    private StreamOrder() {
    }

    /**
     * The order of {@code source}'s producer: from {@code vm.zone_stats}, else {@code kern.malloc_stats}, else
     * little-endian (memstat-lib's choice for a source without streams, too).
     *
     * @param source the source
     * @return the order
     */
    static ByteOrder of(SysctlSource source) {
        for (String oid : new String[] {KnownOids.ZONE_STATS, KnownOids.MALLOC_STATS}) {
            try {
                ByteOrder o = of(source.read(oid));
                if (o != null) {
                    return o;
                }
            } catch (SysctlException e) {
                // Not there or unreadable: try the other stream, then fall back.
            }
        }
        return ByteOrder.LITTLE_ENDIAN;
    }

    /** The order a stream's version word shows, or null when it is not the word 1 in either order. */
    static ByteOrder of(byte[] stream) {
        if (stream.length < 4) {
            return null;
        }
        if (stream[0] == 1 && stream[1] == 0 && stream[2] == 0 && stream[3] == 0) {
            return ByteOrder.LITTLE_ENDIAN;
        }
        if (stream[0] == 0 && stream[1] == 0 && stream[2] == 0 && stream[3] == 1) {
            return ByteOrder.BIG_ENDIAN;
        }
        return null;
    }
}
