package org.memstat.daemon;

import java.io.IOException;
import org.memstat.lib.SysctlException;
import org.memstat.lib.WritableSysctlSource;
import org.memstat.uma.sysctl.Errno;

/**
 * The write side of a {@code unix:} source: memstat-lib's registry client, which sends each write once (a failed
 * connection is reported, never resent). The registry's refusals come back as their errno; a transport failure
 * ({@code EIO}: the registry is gone, the connection broke, or the answer was malformed) as an {@link IOException},
 * answered 502.
 */
final class RegistryWriter implements OidWriter {
    private final WritableSysctlSource registry;

    RegistryWriter(WritableSysctlSource registry) {
        this.registry = registry;
    }

    @Override
    public int write(String oid, byte[] value) throws IOException {
        try {
            registry.write(oid, value);
            return Errno.OK;
        } catch (SysctlException e) {
            return errno(e);
        }
    }

    /** From DESCRIBE's type: 4 for int/uint, 8 for long/ulong, 0 otherwise. */
    @Override
    public int numericSize(String oid) throws IOException {
        try {
            return registry.describe(oid).numericSize();
        } catch (SysctlException e) {
            return -errno(e);
        }
    }

    private static int errno(SysctlException e) throws IOException {
        if (e.errno() == SysctlException.Errno.EIO) {
            throw new IOException(e.getMessage(), e);
        }
        return e.errno().number();
    }
}
