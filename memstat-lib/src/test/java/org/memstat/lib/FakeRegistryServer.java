package org.memstat.lib;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small registry server written in the test from {@code docs/REGISTRY-PROTOCOL.md} (version 1, READ, WRITE and
 * INFO), with switches for the misbehaviours a client must survive. Blocking I/O, one thread per connection.
 */
final class FakeRegistryServer implements AutoCloseable {
    final Map<String, byte[]> values = new ConcurrentHashMap<>();
    /** Raw frames to send instead of computed answers, one per request, in order. */
    final Queue<byte[]> scripted = new ConcurrentLinkedQueue<>();
    /** Every request frame received, L included. */
    final List<byte[]> requests = new CopyOnWriteArrayList<>();
    final AtomicInteger connections = new AtomicInteger();
    volatile byte order;
    volatile boolean deny;
    volatile boolean stall;
    volatile boolean closeAfterEachAnswer;
    /** Close the connection after the next answer only (a server dropping an idle connection). */
    final AtomicBoolean closeAfterNextAnswer = new AtomicBoolean();
    /** Take WRITE requests, then close without an answer (a server that dies while applying one). */
    volatile boolean dropWrites;
    /** OIDs whose value always seems to have grown past the offered buffer. */
    final Map<String, Boolean> growing = new ConcurrentHashMap<>();

    private final ServerSocketChannel server;
    private final CountDownLatch released = new CountDownLatch(1);
    private final Thread acceptor;

    FakeRegistryServer(Path socket) throws IOException {
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        acceptor = Thread.ofPlatform().daemon().start(this::accept);
    }

    private void accept() {
        while (server.isOpen()) {
            try {
                SocketChannel c = server.accept();
                connections.incrementAndGet();
                Thread.ofVirtual().start(() -> serve(c));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(SocketChannel c) {
        try (c) {
            while (true) {
                ByteBuffer len = ByteBuffer.allocate(4);
                if (!readFully(c, len)) {
                    return;
                }
                int l = len.getInt(0);
                ByteBuffer frame = ByteBuffer.allocate(l);
                if (!readFully(c, frame)) {
                    return;
                }
                requests.add(ByteBuffer.allocate(4 + l).putInt(l).put(frame.array()).array());
                if (stall) {
                    released.await();
                    return;
                }
                if (dropWrites && frame.get(1) == 4) {
                    return;
                }
                byte[] answer = scripted.poll();
                c.write(ByteBuffer.wrap(answer != null ? answer : answer(frame.flip())));
                if (deny || closeAfterEachAnswer || closeAfterNextAnswer.getAndSet(false)) {
                    return;
                }
            }
        } catch (IOException | InterruptedException e) {
            // The client went away or the test is over.
        }
    }

    private byte[] answer(ByteBuffer f) {
        f.get();
        int op = f.get() & 0xFF;
        f.getShort();
        int id = f.getInt();
        if (deny) {
            return frame(op, id, 13, new byte[0]);
        }
        if (op == 6) {
            return frame(op, id, 0, new byte[] {order, 1, 4, 0, 0, 1, 0, 0});
        }
        if (op == 4) {
            byte[] name = new byte[f.getShort() & 0xFFFF];
            f.get(name);
            byte[] value = new byte[f.getInt()];
            f.get(value);
            values.put(new String(name, StandardCharsets.UTF_8), value);
            return frame(op, id, 0, ByteBuffer.allocate(4).putInt(value.length).array());
        }
        int bufsize = f.getInt();
        byte[] name = new byte[f.getShort() & 0xFFFF];
        f.get(name);
        byte[] value = values.get(new String(name, StandardCharsets.UTF_8));
        if (value == null) {
            return frame(op, id, 2, new byte[4]);
        }
        int needed = growing.containsKey(new String(name, StandardCharsets.UTF_8)) ? bufsize + 1 : value.length;
        if (needed > bufsize) {
            return frame(op, id, 12, ByteBuffer.allocate(4).putInt(needed).array());
        }
        return frame(op, id, 0, ByteBuffer.allocate(4 + value.length).putInt(value.length).put(value).array());
    }

    /** A response frame: L, version 1, op, flags 0, id, errno, body (all framing big-endian). */
    static byte[] frame(int op, int id, int errno, byte[] body) {
        return ByteBuffer.allocate(16 + body.length).putInt(12 + body.length).put((byte) 1).put((byte) op)
                .putShort((short) 0).putInt(id).putInt(errno).put(body).array();
    }

    /** Bytes from hex digits, spaces ignored (the protocol doc's examples). */
    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    /** The remaining bytes of a frame. */
    static byte[] bytes(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.get(a);
        return a;
    }

    private static boolean readFully(SocketChannel c, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            if (c.read(b) < 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() throws IOException {
        released.countDown();
        server.close();
        try {
            acceptor.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
