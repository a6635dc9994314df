package org.memstat.cli;

import org.memstat.lib.SysctlException;

/** A source that can also set values ({@code sysctl NAME=VALUE}): the in-process demo and {@code unix:}. */
interface WritableSource extends ListableSource {
    /**
     * Writes {@code value} (already encoded in the producer's byte order) to {@code oid}.
     *
     * @param oid   the name
     * @param value the bytes
     * @throws SysctlException with EPERM for a read-only OID or a server that refuses writes, EINVAL for a
     *                         rejected value, ENOENT for no such OID
     */
    void write(String oid, byte[] value) throws SysctlException;
}
