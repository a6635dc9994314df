package org.memstat.daemon;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.memstat.lib.SysctlException;
import org.memstat.lib.SysctlSource;
import org.memstat.uma.sysctl.Errno;
import org.memstat.uma.sysctl.OidInfo;
import org.memstat.uma.sysctl.Sysctl;
import org.memstat.uma.sysctl.SysctlResult;

/** Adapters from an in-process uma-core {@link Sysctl} registry to the daemon's read and write sides. */
final class InProcess {
    /** Values may grow between the size query and the read (a zone created meanwhile); bounded retries. */
    private static final int ATTEMPTS = 8;

    private InProcess() {
    }

    /** A memstat-lib source reading {@code sysctl} like {@code sysctlbyname(3)}: size query, then read. */
    static SysctlSource reader(String name, Sysctl sysctl) {
        return SysctlSource.of(name, oid -> read(sysctl, oid));
    }

    private static byte[] read(Sysctl sysctl, String oid) throws SysctlException {
        int size = 0;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            SysctlResult need = sysctl.size(oid);
            if (!need.ok()) {
                throw failure(oid, need.errno());
            }
            size = Math.max(size, need.size());
            // Slack so a stream that grew by a zone or two since the size query still fits.
            ByteBuffer buf = ByteBuffer.allocate(size + size / 8 + 256);
            SysctlResult got = sysctl.read(oid, buf);
            if (got.ok()) {
                return Arrays.copyOf(buf.array(), got.size());
            }
            if (got.errno() != Errno.ENOMEM) {
                throw failure(oid, got.errno());
            }
            size = got.size();
        }
        throw new SysctlException(oid, SysctlException.Errno.ENOMEM, "value kept growing over " + ATTEMPTS
                + " reads");
    }

    private static SysctlException failure(String oid, int errno) {
        SysctlException.Errno e = SysctlException.Errno.fromNumber(errno);
        return new SysctlException(oid, e == null ? SysctlException.Errno.EIO : e, e == null ? Errno.name(errno)
                + " from the in-process registry" : "from the in-process registry");
    }

    /** The write side over {@code sysctl}. */
    static OidWriter writer(Sysctl sysctl) {
        return new OidWriter() {
            @Override
            public int write(String oid, byte[] value) {
                return sysctl.write(oid, ByteBuffer.wrap(value)).errno();
            }

            @Override
            public int numericSize(String oid) {
                return sysctl.describe(oid).map(InProcess::numericSize).orElse(-Errno.ENOENT);
            }
        };
    }

    private static int numericSize(OidInfo info) {
        return Math.max(0, info.type().fixedSize());
    }
}
