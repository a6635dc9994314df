package org.memstat.lib;

import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.memstat.lib.SysctlException.Errno;

/**
 * {@code unix:PATH}: reads, describes, lists and writes OIDs of a running JVM's sysctl registry socket (registry
 * protocol version 1, see {@link RegistryFrames}) over one reused connection ({@link RegistryChannel}, default
 * deadline 5 s per exchange).
 *
 * <p>A {@code READ} offers the size this source last learned for the OID (64 KiB at first). The server answers
 * {@code ENOMEM} with the size needed; the source retries once at that size plus slack, and if the value grew
 * again reports {@code ENOMEM}, which a refresh retries (at most 8 times). Ints are decoded in the byte order
 * the server's first {@code INFO} answer gave (client and server share a host, so it cannot change).
 *
 * <p>READ, LIST, DESCRIBE and INFO have no side effects and are repeated once when a reused connection turns out
 * closed by the server. WRITE never is. Instead, a write over a reused connection first exchanges an INFO: that
 * reopens a connection the server dropped while idle, and restarts the server's idle timer, so the WRITE that
 * follows is not cut off by it.
 */
final class UnixSource implements WritableSysctlSource {
    static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final int FIRST_BUFSIZE = 64 << 10;

    private final Path path;
    private final RegistryChannel channel;
    private final Map<String, Integer> sizes = new HashMap<>();
    private ByteOrder order;

    UnixSource(Path path, Duration timeout) {
        this.path = path;
        this.channel = new RegistryChannel(path, "unix:" + path, timeout);
    }

    @Override
    public String uri() {
        return "unix:" + path;
    }

    @Override
    public synchronized byte[] read(String oid) throws SysctlException {
        byte[] name = checkName(oid);
        int bufsize = sizes.getOrDefault(oid, FIRST_BUFSIZE);
        RegistryChannel.Reply r = readExchange(oid, name, bufsize);
        if (r.errno() == Errno.ENOMEM.number()) {
            bufsize = withSlack(oid, r.size());
            r = readExchange(oid, name, bufsize);
            if (r.errno() == Errno.ENOMEM.number()) {
                withSlack(oid, r.size());
                throw new SysctlException(oid, Errno.ENOMEM, "value grew from " + bufsize + " to " + r.size()
                        + " bytes while being read");
            }
        }
        failIfError(oid, r.errno());
        return r.body();
    }

    @Override
    public synchronized int readInt(String oid) throws SysctlException {
        byte[] name = checkName(oid);
        ByteOrder o = order(oid);
        RegistryChannel.Reply r = readExchange(oid, name, 4);
        if (r.errno() == Errno.ENOMEM.number()) {
            throw new SysctlException(oid, Errno.EINVAL, "value is " + r.size() + " bytes, not a 4-byte int");
        }
        failIfError(oid, r.errno());
        return Scalars.decodeInt(oid, r.body(), o);
    }

    private RegistryChannel.Reply readExchange(String oid, byte[] name, int bufsize) throws SysctlException {
        return channel.exchange(oid, RegistryFrames.OP_READ, bufsize,
                id -> RegistryFrames.readRequest(id, bufsize, name), true);
    }

    @Override
    public synchronized ByteOrder order() throws SysctlException {
        return order("(info)");
    }

    private ByteOrder order(String oid) throws SysctlException {
        if (order == null) {
            order = info(oid).order();
        }
        return order;
    }

    @Override
    public synchronized int write(String oid, byte[] value) throws SysctlException {
        byte[] name = checkName(oid);
        Objects.requireNonNull(value, "value");
        long body = RegistryFrames.writeBody(name, value);
        if (body + RegistryFrames.F_REQUEST_BODY - RegistryFrames.F_VERSION > RegistryFrames.MAX_REQUEST_LENGTH) {
            throw new SysctlException(oid, Errno.EINVAL, "a value of " + value.length + " bytes does not fit in "
                    + "one request frame (64 KiB with the name)");
        }
        if (channel.reused()) {
            info(oid);
        }
        RegistryChannel.Reply r = channel.exchange(oid, RegistryFrames.OP_WRITE, value.length,
                id -> RegistryFrames.writeRequest(id, name, value), false);
        if (r.errno() == Errno.EPERM.number()) {
            throw new SysctlException(oid, Errno.EPERM, refusal(oid));
        }
        failIfError(oid, r.errno());
        return (int) r.size();
    }

    /** Why a write was refused with EPERM: the protocol uses it both for read-only OIDs and for a server without
     * writes, and only INFO tells them apart. */
    private String refusal(String oid) {
        try {
            return info(oid).writes() ? "the OID is not writable on the registry server at " + path
                    : "writes are disabled on the registry server at " + path;
        } catch (SysctlException e) {
            return "refused by the registry server at " + path;
        }
    }

    @Override
    public synchronized SysctlEntry describe(String oid) throws SysctlException {
        byte[] name = checkName(oid);
        RegistryChannel.Reply r = channel.exchange(oid, RegistryFrames.OP_DESCRIBE, 0,
                id -> RegistryFrames.describeRequest(id, name), true);
        failIfError(oid, r.errno());
        try {
            return RegistryFrames.describeBody(r.body());
        } catch (IllegalStateException e) {
            throw channel.malformed(oid, e);
        }
    }

    @Override
    public synchronized List<SysctlEntry> list(String node, boolean recursive) throws SysctlException {
        byte[] name = checkName(node);
        RegistryChannel.Reply r = channel.exchange(node, RegistryFrames.OP_LIST, 0,
                id -> RegistryFrames.listRequest(id, name, recursive), true);
        failIfError(node, r.errno());
        try {
            return RegistryFrames.listBody(r.body());
        } catch (IllegalStateException e) {
            throw channel.malformed(node, e);
        }
    }

    /** What INFO reports. */
    private record Info(ByteOrder order, boolean writes) {
    }

    private Info info(String oid) throws SysctlException {
        RegistryChannel.Reply r = channel.exchange(oid, RegistryFrames.OP_INFO, 0, RegistryFrames::infoRequest,
                true);
        failIfError(oid, r.errno());
        int o = r.body()[0] & 0xFF;
        int w = r.body()[1] & 0xFF;
        if (o > 1 || w > 1) {
            throw channel.malformed(oid, new IllegalStateException("INFO byte order " + o + ", writes " + w
                    + " (each must be 0 or 1)"));
        }
        return new Info(o == 0 ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN, w == 1);
    }

    private static byte[] checkName(String oid) throws SysctlException {
        byte[] name = RegistryFrames.name(Objects.requireNonNull(oid, "oid"));
        if (name.length > RegistryFrames.MAX_NAME) {
            throw new SysctlException(oid, Errno.ENAMETOOLONG, "name is " + name.length + " bytes, more than "
                    + RegistryFrames.MAX_NAME);
        }
        return name;
    }

    private int withSlack(String oid, long needed) throws SysctlException {
        if (needed > MAX_VALUE_BYTES) {
            throw new SysctlException(oid, Errno.E2BIG, "value of " + needed + " bytes exceeds the limit of "
                    + MAX_VALUE_BYTES);
        }
        int size = (int) Math.min(MAX_VALUE_BYTES, needed + needed / 8 + 4096);
        sizes.put(oid, size);
        return size;
    }

    private void failIfError(String oid, int errno) throws SysctlException {
        if (errno == 0) {
            return;
        }
        Errno e = Errno.fromNumber(errno);
        if (e == Errno.EACCES || e == Errno.EPROTONOSUPPORT) {
            // The server closes after refusing a peer or a version; do not reuse the connection.
            channel.close();
        }
        throw new SysctlException(oid, e == null ? Errno.EIO : e, e == null ? "server answered errno " + errno
                : "from " + uri());
    }

    @Override
    public synchronized void close() {
        channel.close();
    }
}
