package org.memstat.cli;

import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.memstat.lib.SysctlException;
import org.memstat.lib.SysctlException.Errno;
import org.memstat.lib.SysctlSource;

/**
 * {@code unix:PATH}: reads through memstat-lib's source, lists, describes and writes through
 * {@link RegistryClient}. Writes work only when the server was started with writes enabled.
 */
final class UnixRegistrySource implements WritableSource {
    private final SysctlSource reads;
    private final RegistryClient client;
    private RegistryClient.Info info;

    UnixRegistrySource(SysctlSource reads, Path socket) {
        this.reads = reads;
        this.client = new RegistryClient(socket, Duration.ofSeconds(5));
    }

    @Override
    public byte[] read(String oid) throws SysctlException {
        return reads.read(oid);
    }

    @Override
    public int readInt(String oid) throws SysctlException {
        return reads.readInt(oid);
    }

    @Override
    public String uri() {
        return reads.uri();
    }

    @Override
    public List<OidEntry> list() throws SysctlException {
        return client.list();
    }

    @Override
    public OidEntry describe(String oid) throws SysctlException {
        return client.describe(oid);
    }

    @Override
    public ByteOrder order() throws SysctlException {
        return info().order();
    }

    private RegistryClient.Info info() throws SysctlException {
        if (info == null) {
            info = client.info();
        }
        return info;
    }

    @Override
    public void write(String oid, byte[] value) throws SysctlException {
        if (!info().writesEnabled()) {
            throw new SysctlException(oid, Errno.EPERM, "writes are disabled on the registry server at "
                    + uri().substring("unix:".length()));
        }
        client.write(oid, value);
    }

    @Override
    public void close() {
        reads.close();
    }
}
