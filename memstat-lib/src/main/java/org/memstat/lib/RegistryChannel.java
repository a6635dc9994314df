package org.memstat.lib;

import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.function.IntFunction;
import org.memstat.lib.SysctlException.Errno;

/**
 * The connection of a {@link UnixSource}: one request/response exchange at a time on a socket opened lazily and
 * reused, every exchange with a deadline ({@code ETIMEDOUT}). Not thread-safe; the source serialises calls.
 *
 * <p>A response is checked against its request (header, then length rules) before its body is read, and the body
 * is read into an array that grows with the bytes received, so a misbehaving server costs at most what it sends.
 * Any protocol or I/O error closes the connection; the next exchange reconnects. An idempotent exchange on a reused
 * connection that the server closed while idle is repeated once on a fresh one; any other exchange is not, and its
 * failure says whether the request had gone out.
 */
final class RegistryChannel {
    private static final int CHUNK = 64 << 10;

    private final Path path;
    private final String uri;
    private final long timeoutNanos;
    private SocketChannel channel;
    private Selector selector;
    private boolean used;
    private boolean sent;
    private int nextId = 1;

    /**
     * A checked response.
     *
     * @param errno the errno field
     * @param size  the size field of READ and WRITE, else 0
     * @param body  the bytes after the errno (and after the size field)
     */
    record Reply(int errno, long size, byte[] body) {
    }

    RegistryChannel(Path path, String uri, Duration timeout) {
        this.path = path;
        this.uri = uri;
        this.timeoutNanos = timeout.toNanos();
    }

    /** True when the next exchange would go over a connection that has carried one before. */
    boolean reused() {
        return channel != null && used;
    }

    /**
     * Sends the request {@code frame} makes for a fresh request id and reads its response.
     *
     * @param limit      for READ the bufsize offered, for WRITE the value length sent (see RegistryFrames)
     * @param idempotent whether the request may be sent again after a reused connection failed
     */
    Reply exchange(String oid, int op, long limit, IntFunction<ByteBuffer> frame, boolean idempotent)
            throws SysctlException {
        long deadline = System.nanoTime() + timeoutNanos;
        boolean reused = reused();
        sent = false;
        try {
            connect(oid, deadline);
            try {
                return send(op, limit, frame, deadline);
            } catch (IOException e) {
                if (!idempotent || !reused || e instanceof Deadline || e instanceof InterruptedIOException) {
                    throw e;
                }
                // The server drops idle connections; a fresh one is the normal cure.
                close();
                connect(oid, deadline);
                return send(op, limit, frame, deadline);
            }
        } catch (SysctlException e) {
            close();
            throw e;
        } catch (IllegalStateException e) {
            close();
            throw malformed(oid, e);
        } catch (Deadline e) {
            close();
            throw new SysctlException(oid, Errno.ETIMEDOUT, "no answer from " + uri + " within "
                    + timeoutNanos / 1_000_000 + " ms" + mayHaveApplied(idempotent));
        } catch (IOException e) {
            close();
            throw new SysctlException(oid, Errno.EIO, "talking to " + uri + " failed: " + e.getMessage()
                    + mayHaveApplied(idempotent), e);
        }
    }

    private String mayHaveApplied(boolean idempotent) {
        return idempotent || !sent ? "" : "; the request had been sent and may have been applied";
    }

    /** The error for a response that breaks the protocol; the connection is closed, as it can't be trusted. */
    SysctlException malformed(String oid, IllegalStateException e) {
        close();
        return new SysctlException(oid, Errno.EIO, "malformed response from " + uri + ": " + e.getMessage());
    }

    private Reply send(int op, long limit, IntFunction<ByteBuffer> frame, long deadline) throws IOException {
        int id = nextId++;
        used = true;
        ByteBuffer request = frame.apply(id);
        while (request.hasRemaining()) {
            if (channel.write(request) == 0) {
                await(SelectionKey.OP_WRITE, deadline);
            } else {
                sent = true;
            }
        }
        ByteBuffer head = ByteBuffer.allocate(RegistryFrames.F_RESPONSE_BODY + 4);
        head.limit(RegistryFrames.F_VERSION);
        fill(head, deadline);
        long length = Integer.toUnsignedLong(head.getInt(RegistryFrames.F_LENGTH));
        if (length > RegistryFrames.maxLength(op, limit) || length < RegistryFrames.RESPONSE_FIXED) {
            throw new IllegalStateException("response length " + length + " is out of range for op " + op);
        }
        head.limit(RegistryFrames.F_RESPONSE_BODY);
        fill(head, deadline);
        int errno = RegistryFrames.checkHead(head.slice(RegistryFrames.F_VERSION, RegistryFrames.RESPONSE_FIXED),
                op, id);
        long size = 0;
        long read = RegistryFrames.RESPONSE_FIXED;
        if (RegistryFrames.hasSizeField(op, errno)) {
            if (length < RegistryFrames.RESPONSE_FIXED + 4) {
                throw new IllegalStateException("response of length " + length + " to op " + op
                        + " has no size field");
            }
            head.limit(RegistryFrames.F_RESPONSE_BODY + 4);
            fill(head, deadline);
            size = Integer.toUnsignedLong(head.getInt(RegistryFrames.F_RESPONSE_BODY));
            read += 4;
        }
        RegistryFrames.checkLength(length, op, errno, size, limit);
        return new Reply(errno, size, body((int) (length - read), deadline));
    }

    /** Reads exactly {@code size} bytes into an array that grows as they arrive, ending at exactly that size. */
    private byte[] body(int size, long deadline) throws IOException {
        byte[] value = new byte[Math.min(size, CHUNK)];
        int got = 0;
        while (got < size) {
            if (got == value.length) {
                value = Arrays.copyOf(value, (int) Math.min(size, 2L * value.length));
            }
            fill(ByteBuffer.wrap(value, got, value.length - got), deadline);
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
        // An interrupted thread's select returns at once: without this check it would spin until the deadline.
        if (Thread.currentThread().isInterrupted()) {
            throw new InterruptedIOException("interrupted");
        }
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
            close();
            ch.close();
            throw e;
        }
        used = false;
    }

    /** Closes the connection, if any; the next exchange opens a new one. */
    void close() {
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

    /** The exchange's deadline passed. */
    private static final class Deadline extends IOException {
        @java.io.Serial
        private static final long serialVersionUID = 1L;
    }
}
