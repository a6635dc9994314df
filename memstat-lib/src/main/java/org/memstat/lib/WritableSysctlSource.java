package org.memstat.lib;

import java.nio.ByteOrder;
import java.util.List;

/**
 * A {@link SysctlSource} that can also set values ({@code sysctl NAME=VALUE}), describe and list its OIDs:
 * what {@link SysctlSource#parse(String)} returns for {@code unix:PATH} (uma-core's registry protocol, version 1).
 *
 * <p>A write is sent once. Reads are retried once on a fresh connection when the server closed an idle one, but a
 * write never is, because it has side effects: when the connection fails after the request went out, the write
 * fails with {@code EIO} (or {@code ETIMEDOUT}) and a detail saying it may have been applied. The server applies
 * a value atomically, so a refused write ({@code EPERM}, {@code EINVAL}, ...) changed nothing.
 */
public interface WritableSysctlSource extends SysctlSource {
    /**
     * Sets {@code oid} to {@code value}.
     *
     * @param oid   a dotted OID name
     * @param value the new value exactly as {@link #read} would return it: an int as 4 bytes and a long as 8 in
     *              {@link #order()}, a string as UTF-8 (a NUL ends it early), an opaque value as its handler
     *              takes it
     * @return the number of bytes the OID's handler consumed
     * @throws SysctlException {@code EPERM} for an OID without a write handler or a server started without
     *                         writes (the detail says which), {@code EINVAL} for a value of the wrong length or one
     *                         the handler rejected, or one too large for a request frame, {@code ENOENT} for no
     *                         such OID, {@code EISDIR} for a node, {@code EACCES} when the server refuses this
     *                         peer, and {@code EIO}/{@code ETIMEDOUT} when the transport fails
     */
    int write(String oid, byte[] value) throws SysctlException;

    /**
     * Describes one OID (a leaf or a node).
     *
     * @param oid a dotted OID name
     * @return its entry
     * @throws SysctlException {@code ENOENT} for no such OID, {@code ENOTDIR} for a name through a leaf, and as
     *                         {@link #read} for transport failures
     */
    SysctlEntry describe(String oid) throws SysctlException;

    /**
     * Lists the OIDs below {@code node}, in tree order (children by the byte order of their last name component);
     * the node itself is not listed.
     *
     * @param node      a dotted node name, or {@code ""} for the root
     * @param recursive every descendant (nodes and leaves, depth first, pre-order) instead of the direct children
     * @return the entries
     * @throws SysctlException {@code ENOTDIR} for a leaf, {@code ENOENT} for no such node, {@code E2BIG} when the
     *                         listing exceeds 16 MiB, and as {@link #read} for transport failures
     */
    List<SysctlEntry> list(String node, boolean recursive) throws SysctlException;

    /**
     * The byte order of the producer's native numbers, in which values are read and must be written.
     *
     * @return the order the server reports
     * @throws SysctlException as {@link #read} for transport failures
     */
    ByteOrder order() throws SysctlException;
}
