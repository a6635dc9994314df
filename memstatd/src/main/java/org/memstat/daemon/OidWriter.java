package org.memstat.daemon;

import java.io.IOException;

/**
 * The write side of a source ({@code sysctl -w}); read-only sources have none. Errno values are FreeBSD's, as
 * {@link org.memstat.uma.sysctl.Errno} numbers them.
 */
interface OidWriter {
    /**
     * Writes {@code value} (native byte order for numbers) to {@code oid}.
     *
     * @return 0, or the errno ({@code EPERM} for a read-only OID, {@code EINVAL} for a rejected value, ...)
     * @throws IOException when the source cannot be reached
     */
    int write(String oid, byte[] value) throws IOException;

    /**
     * The size of {@code oid}'s fixed-size numeric value, so a decimal {@code ?value=} can be encoded.
     *
     * @return 4 or 8 for ints and longs, 0 for other types, or minus the errno when there is no such OID
     * @throws IOException when the source cannot be reached
     */
    int numericSize(String oid) throws IOException;
}
