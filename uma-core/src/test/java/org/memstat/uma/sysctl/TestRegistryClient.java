package org.memstat.uma.sysctl;

import java.io.EOFException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A client of the registry protocol written from docs/REGISTRY-PROTOCOL.md with literal offsets, for the tests.
 * Every wait is bounded: a response that does not come within the timeout fails with SocketTimeoutException.
 */
final class TestRegistryClient implements AutoCloseable {
    static final int READ = 1;
    static final int SIZE = 2;
    static final int LIST = 3;
    static final int WRITE = 4;
    static final int DESCRIBE = 5;
    static final int INFO = 6;

    private final SocketChannel channel;
    private final Selector selector;
    private final Duration timeout;
    private int nextId = 1;

    record Response(int version, int op, int flags, int id, int errno, byte[] body) {
        ByteBuffer bodyBuffer() {
            return ByteBuffer.wrap(body);
        }

        /** The u32 size field of READ, SIZE and WRITE answers. */
        int size() {
            return bodyBuffer().getInt(0);
        }

        /** The value bytes of a successful READ. */
        byte[] value() {
            byte[] v = new byte[body.length - 4];
            System.arraycopy(body, 4, v, 0, v.length);
            return v;
        }

        List<OidInfo> entries() {
            ByteBuffer b = bodyBuffer();
            int count = op == LIST ? b.getInt() : 1;
            List<OidInfo> list = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String name = string(b);
                OidType type = OidType.ofCtlType(b.get() & 0xff);
                boolean writable = (b.get() & 1) != 0;
                list.add(new OidInfo(name, type, string(b), string(b), writable));
            }
            if (b.hasRemaining()) {
                throw new IllegalStateException(b.remaining() + " bytes after the entries");
            }
            return list;
        }

        private static String string(ByteBuffer b) {
            byte[] s = new byte[b.getShort() & 0xffff];
            b.get(s);
            return new String(s, StandardCharsets.UTF_8);
        }
    }

    private TestRegistryClient(SocketChannel channel, Duration timeout) throws IOException {
        this.channel = channel;
        this.timeout = timeout;
        channel.configureBlocking(false);
        this.selector = Selector.open();
    }

    static TestRegistryClient connect(Path socket) throws IOException {
        return connect(socket, Duration.ofSeconds(20));
    }

    static TestRegistryClient connect(Path socket, Duration timeout) throws IOException {
        return new TestRegistryClient(SocketChannel.open(UnixDomainSocketAddress.of(socket)), timeout);
    }

    static SocketChannel rawChannel(Path socket) throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        ch.connect(UnixDomainSocketAddress.of(socket));
        return ch;
    }

    static byte[] name(String name) {
        return name(name.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] name(byte[] bytes) {
        return ByteBuffer.allocate(2 + bytes.length).putShort((short) bytes.length).put(bytes).array();
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        ByteBuffer b = ByteBuffer.allocate(n);
        for (byte[] p : parts) {
            b.put(p);
        }
        return b.array();
    }

    static byte[] u32(long v) {
        return ByteBuffer.allocate(4).putInt((int) v).array();
    }

    /** Length, version, op, flags, request id, body: all big-endian. */
    static byte[] frame(int version, int op, int flags, int id, byte[] body) {
        return ByteBuffer.allocate(12 + body.length).putInt(8 + body.length).put((byte) version).put((byte) op)
                .putShort((short) flags).putInt(id).put(body).array();
    }

    Response call(int op, int flags, byte[] body) throws IOException {
        int id = nextId++;
        send(frame(1, op, flags, id, body));
        Response r = receive();
        if (r.id() != id || r.op() != op) {
            throw new IllegalStateException("answer to op " + r.op() + " id " + r.id() + ", expected " + op + "/" + id);
        }
        return r;
    }

    Response read(String name, long bufsize) throws IOException {
        return call(READ, 0, concat(u32(bufsize), name(name)));
    }

    Response size(String name) throws IOException {
        return call(SIZE, 0, name(name));
    }

    Response list(String name, boolean recursive) throws IOException {
        return call(LIST, recursive ? 1 : 0, name(name));
    }

    Response write(String name, byte[] value) throws IOException {
        return call(WRITE, 0, concat(name(name), u32(value.length), value));
    }

    Response describe(String name) throws IOException {
        return call(DESCRIBE, 0, name(name));
    }

    Response info() throws IOException {
        return call(INFO, 0, new byte[0]);
    }

    void send(byte[] bytes) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (b.hasRemaining()) {
            if (channel.write(b) == 0) {
                await(SelectionKey.OP_WRITE, deadline);
            }
        }
    }

    Response receive() throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        ByteBuffer length = ByteBuffer.allocate(4);
        fill(length, deadline);
        int n = length.getInt(0);
        if (n < 12 || n > (256 << 20)) {
            throw new IOException("bad response length " + n);
        }
        ByteBuffer frame = ByteBuffer.allocate(n);
        fill(frame, deadline);
        frame.flip();
        int version = frame.get() & 0xff;
        int op = frame.get() & 0xff;
        int flags = frame.getShort() & 0xffff;
        int id = frame.getInt();
        int errno = frame.getInt();
        byte[] body = new byte[frame.remaining()];
        frame.get(body);
        return new Response(version, op, flags, id, errno, body);
    }

    /** Reads until the server closes the connection; false if it stays open past the timeout. */
    boolean closedByServer(Duration within) throws IOException {
        long deadline = System.nanoTime() + within.toNanos();
        ByteBuffer sink = ByteBuffer.allocate(4096);
        while (true) {
            sink.clear();
            int n;
            try {
                n = channel.read(sink);
            } catch (IOException reset) {
                return true;
            }
            if (n < 0) {
                return true;
            }
            if (n == 0) {
                try {
                    await(SelectionKey.OP_READ, deadline);
                } catch (SocketTimeoutException e) {
                    return false;
                }
            }
        }
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
            throw new SocketTimeoutException("no answer within " + timeout);
        }
        SelectionKey key = channel.register(selector, ops);
        try {
            if (selector.select(Math.max(1, left / 1_000_000)) == 0 && System.nanoTime() - deadline >= 0) {
                throw new SocketTimeoutException("no answer within " + timeout);
            }
        } finally {
            selector.selectedKeys().clear();
            key.interestOps(0);
        }
    }

    @Override
    public void close() throws IOException {
        selector.close();
        channel.close();
    }
}
