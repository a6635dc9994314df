package org.memstat.cli;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.memstat.lib.SysctlEntry;
import org.memstat.lib.SysctlException;
import org.memstat.lib.WritableSysctlSource;

/**
 * {@code unix:PATH}: memstat-lib's registry source, which reads, lists, describes and writes, seen through the
 * CLI's {@link WritableSource} so {@code sysctl} treats it like the demo. Writes work only when the server was
 * started with writes enabled (memstat-lib's EPERM detail says so).
 */
final class RegistrySource implements WritableSource {
    private final WritableSysctlSource lib;

    RegistrySource(WritableSysctlSource lib) {
        this.lib = lib;
    }

    @Override
    public byte[] read(String oid) throws SysctlException {
        return lib.read(oid);
    }

    @Override
    public int readInt(String oid) throws SysctlException {
        return lib.readInt(oid);
    }

    @Override
    public String uri() {
        return lib.uri();
    }

    @Override
    public List<OidEntry> list() throws SysctlException {
        List<SysctlEntry> all = lib.list("", true);
        List<OidEntry> out = new ArrayList<>(all.size());
        for (SysctlEntry e : all) {
            out.add(entry(e));
        }
        return out;
    }

    @Override
    public OidEntry describe(String oid) throws SysctlException {
        return entry(lib.describe(oid));
    }

    private static OidEntry entry(SysctlEntry e) {
        return new OidEntry(e.name(), OidKind.ofCtlType(e.ctlType()), e.format(), e.writable());
    }

    @Override
    public ByteOrder order() throws SysctlException {
        return lib.order();
    }

    @Override
    public void write(String oid, byte[] value) throws SysctlException {
        lib.write(oid, value);
    }

    @Override
    public void close() {
        lib.close();
    }
}
