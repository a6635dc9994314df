package org.memstat.lib;

import java.io.EOFException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.memstat.lib.SysctlException.Errno;

/**
 * {@code unix:PATH}: reads OIDs from a running JVM's sysctl registry socket (registry protocol version 1, see
 * {@link RegistryFrames}).
 *
 * <p>One connection is opened lazily and reused; every exchange has a deadline (default 5 s, {@code ETIMEDOUT}).
 * A response is checked against its request before its value is read, and the value is read into an array that
 * grows with the bytes received, so a misbehaving server costs at most what it sends. Any protocol or I/O error
 * closes the connection; the next read reconnects. A reused connection that the server closed while idle is
 * reopened once, transparently, because READ has no side effects.
 *
 * <p>A {@code READ} offers the size this source last learned for the OID (64 KiB at first). The server answers
 * {@code ENOMEM} with the size needed; the source retries once at that size plus slack, and if the value grew
 * again reports {@code ENOMEM}, which a refresh retries (at most 8 times). Ints are decoded in the byte order
 * the server's first {@code INFO} answer gave (client and server share a host, so it cannot change).
 */
final class UnixSource implements SysctlSource {
    static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final int FIRST_BUFSIZE = 64 << 10;
    private static final int CHUNK = 64 << 10;

    private final Path path;
    private final long timeoutNanos;
    private final Map<String, Integer> sizes = new HashMap<>();
    private SocketChannel channel;
    private Selector selector;
    private ByteOrder order;
    private boolean used;
    private int nextId = 1;

    UnixSource(Path path, Duration timeout) {
        this.path = path;
        this.timeoutNanos = timeout.toNanos();
    }

    @Override
    public String uri() {
        return "unix:" + path;
    }

    @Override
    public synchronized byte[] read(String oid) throws SysctlException {
        byte[] name = checkName(oid);
        int bufsize = sizes.getOrDefault(oid, FIRST_BUFSIZE);
        Reply r = exchange(oid, RegistryFrames.OP_READ, name, bufsize);
        if (r.errno == Errno.ENOMEM.number()) {
            bufsize = withSlack(oid, r.size);
            r = exchange(oid, RegistryFrames.OP_READ, name, bufsize);
            if (r.errno == Errno.ENOMEM.number()) {
                withSlack(oid, r.size);
                throw new SysctlException(oid, Errno.ENOMEM, "value grew from " + bufsize + " to " + r.size
                        + " bytes while being read");
            }
        }
        failIfError(oid, r.errno);
        return r.value;
    }

    @Override
    public synchronized int readInt(String oid) throws SysctlException {
        byte[] name = checkName(oid);
        if (order == null) {
            Reply info = exchange(oid, RegistryFrames.OP_INFO, null, 0);
            failIfError(oid, info.errno);
            order = info.order;
        }
        Reply r = exchange(oid, RegistryFrames.OP_READ, name, 4);
        if (r.errno == Errno.ENOMEM.number()) {
            throw new SysctlException(oid, Errno.EINVAL, "value is " + r.size + " bytes, not a 4-byte int");
        }
        failIfError(oid, r.errno);
        return Scalars.decodeInt(oid, r.value, order);
    }

    private static byte[] checkName(String oid) throws SysctlException {
        byte[] name = RegistryFrames.name(oid);
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
        if (e == Errno.EACCES) {
            // The server closes after refusing a peer; do not reuse the connection.
            disconnect();
        }
        throw new SysctlException(oid, e == null ? Errno.EIO : e, e == null ? "server answered errno " + errno
                : "from " + uri());
    }

    private record Reply(int errno, long size, byte[] value, ByteOrder order) {
    }

    private Reply exchange(String oid, int op, byte[] name, int bufsize) throws SysctlException {
        long deadline = System.nanoTime() + timeoutNanos;
        boolean reused = channel != null && used;
        try {
            connect(oid, deadline);
            try {
                return send(op, name, bufsize, deadline);
            } catch (IOException e) {
                if (!reused || e instanceof Deadline) {
                    throw e;
                }
                // The server drops idle connections; a fresh one is the normal cure.
                disconnect();
                connect(oid, deadline);
                return send(op, name, bufsize, deadline);
            }
        } catch (SysctlException e) {
            disconnect();
            throw e;
        } catch (IllegalStateException e) {
            disconnect();
            throw new SysctlException(oid, Errno.EIO, "malformed response from " + uri() + ": " + e.getMessage());
        } catch (Deadline e) {
            disconnect();
            throw new SysctlException(oid, Errno.ETIMEDOUT, "no answer from " + uri() + " within "
                    + timeoutNanos / 1_000_000 + " ms");
        } catch (IOException e) {
            disconnect();
            throw new SysctlException(oid, Errno.EIO, "talking to " + uri() + " failed: " + e.getMessage(), e);
        }
    }

    private Reply send(int op, byte[] name, int bufsize, long deadline) throws IOException {
        int id = nextId++;
        used = true;
        ByteBuffer request = op == RegistryFrames.OP_READ
                ? RegistryFrames.readRequest(id, bufsize, name)
                : RegistryFrames.infoRequest(id);
        while (request.hasRemaining()) {
            if (channel.write(request) == 0) {
                await(SelectionKey.OP_WRITE, deadline);
            }
        }
        ByteBuffer head = ByteBuffer.allocate(RegistryFrames.F_RESPONSE_BODY + 4);
        head.limit(RegistryFrames.F_RESPONSE_BODY);
        fill(head, deadline);
        long length = Integer.toUnsignedLong(head.getInt(RegistryFrames.F_LENGTH));
        if (length > RegistryFrames.maxLength(op, bufsize) || length < RegistryFrames.RESPONSE_FIXED) {
            throw new IllegalStateException("response length " + length + " is out of range for op " + op);
        }
        int errno = head.getInt(RegistryFrames.F_ERRNO);
        long size = 0;
        if (RegistryFrames.hasSizeField(op, errno)) {
            if (length < RegistryFrames.RESPONSE_FIXED + 4) {
                throw new IllegalStateException("READ response of length " + length + " has no size field");
            }
            head.limit(RegistryFrames.F_RESPONSE_BODY + 4);
            fill(head, deadline);
            size = Integer.toUnsignedLong(head.getInt(RegistryFrames.F_RESPONSE_BODY));
        }
        RegistryFrames.checkHead(length, head.slice(RegistryFrames.F_VERSION, RegistryFrames.RESPONSE_FIXED),
                op, id, size, bufsize);
        if (op == RegistryFrames.OP_INFO) {
            if (errno != 0) {
                return new Reply(errno, 0, null, null);
            }
            ByteBuffer body = ByteBuffer.allocate(RegistryFrames.INFO_BODY);
            fill(body, deadline);
            int o = body.get(0) & 0xFF;
            if (o > 1) {
                throw new IllegalStateException("INFO byte order is " + o);
            }
            return new Reply(0, 0, null, o == 0 ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
        }
        return new Reply(errno, size, errno == 0 ? readValue((int) size, deadline) : null, null);
    }

    /** Reads exactly {@code size} bytes into an array that grows as they arrive, ending at exactly that size. */
    private byte[] readValue(int size, long deadline) throws IOException {
        byte[] value = new byte[Math.min(size, CHUNK)];
        int got = 0;
        while (got < size) {
            if (got == value.length) {
                value = Arrays.copyOf(value, (int) Math.min(size, 2L * value.length));
            }
            ByteBuffer b = ByteBuffer.wrap(value, got, value.length - got);
            fill(b, deadline);
            got = value.length;
        }
        return value;
    }

    private void fill(ByteBuffer b, long deadline) throws IOException {
        while (b.hasRemaining()) {
            int n = channel.read(b);
            if (n < 0) {
                throw new EOFException("server closed the connection");
            }
            if (n == 0) {
                await(SelectionKey.OP_READ, deadline);
            }
        }
    }

    private void await(int ops, long deadline) throws IOException {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw new Deadline();
        }
        SelectionKey key = channel.keyFor(selector);
        key.interestOps(ops);
        selector.select(Math.max(1, left / 1_000_000));
        selector.selectedKeys().clear();
    }

    private void connect(String oid, long deadline) throws IOException, SysctlException {
        if (channel != null) {
            return;
        }
        if (!Files.exists(path)) {
            throw new SysctlException(oid, Errno.ENOENT, "no socket at " + path);
        }
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            ch.configureBlocking(false);
            Selector sel = Selector.open();
            channel = ch;
            selector = sel;
            ch.register(sel, 0);
            if (!ch.connect(UnixDomainSocketAddress.of(path))) {
                while (!ch.finishConnect()) {
                    await(SelectionKey.OP_CONNECT, deadline);
                }
            }
        } catch (IOException e) {
            disconnect();
            ch.close();
            throw e;
        }
        used = false;
    }

    private void disconnect() {
        try {
            if (selector != null) {
                selector.close();
            }
            if (channel != null) {
                channel.close();
            }
        } catch (IOException e) {
            // Closing a socket we are abandoning; nothing useful to do with the error.
        } finally {
            selector = null;
            channel = null;
        }
    }

    @Override
    public synchronized void close() {
        disconnect();
    }

    /** The exchange's deadline passed. */
    private static final class Deadline extends IOException {
        @java.io.Serial
        private static final long serialVersionUID = 1L;
    }
}
