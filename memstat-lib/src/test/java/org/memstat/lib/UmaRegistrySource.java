package org.memstat.lib;

import java.nio.ByteBuffer;
import org.memstat.lib.SysctlException.Errno;
import org.memstat.uma.sysctl.Sysctl;
import org.memstat.uma.sysctl.SysctlResult;

/** A test-side {@link SysctlSource} over a live uma-core registry in this process (size query, then read). */
final class UmaRegistrySource implements SysctlSource {
    private final Sysctl sysctl;

    UmaRegistrySource(Sysctl sysctl) {
        this.sysctl = sysctl;
    }

    @Override
    public byte[] read(String oid) throws SysctlException {
        SysctlResult size = sysctl.size(oid);
        if (!size.ok()) {
            throw new SysctlException(oid, Errno.fromNumber(size.errno()), "size query failed");
        }
        ByteBuffer b = ByteBuffer.allocate(size.size());
        SysctlResult r = sysctl.read(oid, b);
        if (!r.ok()) {
            throw new SysctlException(oid, Errno.fromNumber(r.errno()), "read failed");
        }
        byte[] out = new byte[b.position()];
        b.flip().get(out);
        return out;
    }

    @Override
    public String uri() {
        return "uma-core:in-process";
    }
}
