package org.memstat.cli;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.memstat.lib.SysctlException;
import org.memstat.lib.SysctlException.Errno;

/**
 * The registry socket operations memstat-lib's {@code unix:} source does not offer: LIST, DESCRIBE, WRITE and
 * INFO of protocol version 1 ({@code docs/REGISTRY-PROTOCOL.md}, written from that document). One connection per
 * call, each with a deadline; every framing problem is {@code EIO}.
 *
 * <pre>
 * request:  u32 L | u8 version=1 | u8 op | u16 flags | u32 id | body          (L counts bytes after itself)
 * response: u32 L | u8 version=1 | u8 op | u16 flags | u32 id | u32 errno | body
 * entry:    name(u16+utf8) | u8 ctltype | u8 flags (bit 0 writable) | format(u16+utf8) | description(u16+utf8)
 * </pre>
 */
final class RegistryClient {
    private static final int OP_LIST = 3;
    private static final int OP_WRITE = 4;
    private static final int OP_DESCRIBE = 5;
    private static final int OP_INFO = 6;
    private static final int FLAG_RECURSIVE = 1;
    private static final int REQUEST_HEADER = 12;
    private static final int RESPONSE_HEADER = 16;
    private static final int MAX_RESPONSE = 16 << 20;

    private final Path socket;
    private final long timeoutNanos;

    RegistryClient(Path socket, Duration timeout) {
        this.socket = socket;
        this.timeoutNanos = timeout.toNanos();
    }

    /** What INFO reports. */
    record Info(ByteOrder order, boolean writesEnabled) {
    }

    Info info() throws SysctlException {
        ByteBuffer r = exchange("(info)", OP_INFO, 0, new byte[0]);
        int order = Byte.toUnsignedInt(r.get());
        boolean writes = r.get() != 0;
        return new Info(order == 1 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN, writes);
    }

    List<OidEntry> list() throws SysctlException {
        ByteBuffer r = exchange("(list)", OP_LIST, FLAG_RECURSIVE, name(""));
        long count = Integer.toUnsignedLong(r.getInt());
        List<OidEntry> out = new ArrayList<>();
        for (long i = 0; i < count; i++) {
            out.add(entry("(list)", r));
        }
        return out;
    }

    OidEntry describe(String oid) throws SysctlException {
        return entry(oid, exchange(oid, OP_DESCRIBE, 0, name(oid)));
    }

    void write(String oid, byte[] value) throws SysctlException {
        byte[] n = name(oid);
        ByteBuffer body = ByteBuffer.allocate(n.length + 4 + value.length);
        body.put(n).putInt(value.length).put(value);
        exchange(oid, OP_WRITE, 0, body.array());
    }

    private static byte[] name(String oid) {
        byte[] utf8 = oid.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(2 + utf8.length).putShort((short) utf8.length).put(utf8).array();
    }

    private static OidEntry entry(String oid, ByteBuffer r) throws SysctlException {
        try {
            String name = string(r);
            OidKind kind = OidKind.ofCtlType(Byte.toUnsignedInt(r.get()));
            boolean writable = (r.get() & 1) != 0;
            String format = string(r);
            string(r);
            return new OidEntry(name, kind, format, writable);
        } catch (java.nio.BufferUnderflowException e) {
            throw new SysctlException(oid, Errno.EIO, "truncated entry in the registry's answer", e);
        }
    }

    private static String string(ByteBuffer r) {
        byte[] b = new byte[Short.toUnsignedInt(r.getShort())];
        r.get(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    /** Sends one request on a fresh connection and returns the response body after the errno, or throws it. */
    private ByteBuffer exchange(String oid, int op, int flags, byte[] body) throws SysctlException {
        long deadline = System.nanoTime() + timeoutNanos;
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
             Selector sel = Selector.open()) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ch.configureBlocking(false);
            ByteBuffer req = ByteBuffer.allocate(REQUEST_HEADER + body.length);
            req.putInt(8 + body.length).put((byte) 1).put((byte) op).putShort((short) flags).putInt(1).put(body);
            req.flip();
            SelectionKey key = ch.register(sel, SelectionKey.OP_WRITE);
            while (req.hasRemaining()) {
                await(sel, deadline, oid);
                ch.write(req);
            }
            key.interestOps(SelectionKey.OP_READ);
            ByteBuffer head = fill(ch, sel, ByteBuffer.allocate(RESPONSE_HEADER), deadline, oid);
            long len = Integer.toUnsignedLong(head.getInt(0));
            if (len < RESPONSE_HEADER - 4 || len > MAX_RESPONSE || head.get(4) != 1 || head.get(5) != op) {
                throw new SysctlException(oid, Errno.EIO, "malformed answer from the registry at " + socket);
            }
            ByteBuffer rest = fill(ch, sel, ByteBuffer.allocate((int) len - (RESPONSE_HEADER - 4)), deadline, oid);
            int errno = head.getInt(12);
            if (errno != 0) {
                Errno e = Errno.fromNumber(errno);
                throw new SysctlException(oid, e == null ? Errno.EIO : e, "refused by the registry at " + socket
                        + (e == null ? " (errno " + errno + ")" : ""));
            }
            return rest.flip();
        } catch (IOException e) {
            throw new SysctlException(oid, Errno.EIO, "registry at " + socket + ": " + e.getMessage(), e);
        }
    }

    private static ByteBuffer fill(SocketChannel ch, Selector sel, ByteBuffer b, long deadline, String oid)
            throws IOException, SysctlException {
        while (b.hasRemaining()) {
            await(sel, deadline, oid);
            if (ch.read(b) < 0) {
                throw new SysctlException(oid, Errno.EIO, "the registry closed the connection");
            }
        }
        return b;
    }

    private static void await(Selector sel, long deadline, String oid) throws IOException, SysctlException {
        long left = deadline - System.nanoTime();
        if (left <= 0 || sel.select(Math.max(1, left / 1_000_000)) == 0 && deadline - System.nanoTime() <= 0) {
            throw new SysctlException(oid, Errno.ETIMEDOUT, "the registry did not answer in time");
        }
        sel.selectedKeys().clear();
    }
}
