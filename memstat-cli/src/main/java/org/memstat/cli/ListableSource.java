package org.memstat.cli;

import java.util.List;
import org.memstat.lib.SysctlException;
import org.memstat.lib.SysctlSource;

/**
 * A source that can list its OIDs ({@code sysctl -a}) and say what kind each one is: {@code dir:} lists its files,
 * {@code demo} asks its in-process registry, and {@code unix:} is memstat-lib's {@code WritableSysctlSource}
 * seen through {@link RegistrySource}.
 */
interface ListableSource extends SysctlSource {
    /**
     * Lists every OID (leaves and nodes) in tree order: depth first, children by their last name component.
     *
     * @return the entries
     * @throws SysctlException if the listing fails
     */
    List<OidEntry> list() throws SysctlException;

    /**
     * Describes one OID.
     *
     * @param oid the name
     * @return the entry
     * @throws SysctlException with ENOENT if there is no such OID
     */
    OidEntry describe(String oid) throws SysctlException;

    /**
     * The byte order of the producer's native ints, as {@code sysctl -b} would give them.
     *
     * @return the order
     * @throws SysctlException if it cannot be found out
     */
    java.nio.ByteOrder order() throws SysctlException;
}
