package org.memstat.uma.sysctl;

import static org.memstat.uma.sysctl.RegistryProtocol.*;

import java.io.EOFException;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;

/**
 * One client connection of a {@link RegistryServer}, served by its own (virtual) thread: read a frame, answer it,
 * repeat. A framing error closes only this connection. The server's reaper closes the channel when the connection's
 * deadline passes, which makes a blocked read or write fail; that is how a stuck client is dropped.
 */
final class RegistryConnection implements Runnable {
    private static final System.Logger LOG = System.getLogger(RegistryServer.class.getName());
    private static final long NO_DEADLINE = Long.MAX_VALUE;
    private static final int SHRINK_ABOVE = 1 << 20;
    private static final int INITIAL_OUT = 4096;

    /** A request whose framing is broken: the connection is closed without an answer. */
    private static final class Malformed extends Exception {
        private static final long serialVersionUID = 1L;

        Malformed(String message) {
            super(message, null, false, false);
        }
    }

    private final RegistryServer server;
    private final SocketChannel channel;
    private final boolean allowed;
    private final String peer;
    private final ByteBuffer lengthBuf = ByteBuffer.allocate(Integer.BYTES);
    private final ByteBuffer in = ByteBuffer.allocate(MAX_REQUEST_LENGTH);
    private ByteBuffer out = ByteBuffer.allocate(INITIAL_OUT);
    /** System.nanoTime() after which the reaper closes the channel; NO_DEADLINE while a handler runs. */
    private volatile long deadline;

    RegistryConnection(RegistryServer server, SocketChannel channel, boolean allowed, String peer) {
        this.server = server;
        this.channel = channel;
        this.allowed = allowed;
        this.peer = peer;
        this.deadline = System.nanoTime() + server.idleTimeoutNanos();
    }

    boolean expired(long now) {
        long d = deadline;
        return d != NO_DEADLINE && now - d > 0;
    }

    void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Closing is best effort; the peer sees EOF either way.
        }
    }

    @Override
    public void run() {
        try {
            while (serveOne()) {
                // Next request on the same connection.
            }
        } catch (Malformed e) {
            LOG.log(Level.WARNING, "registry: closing connection from {0}: {1}", peer, e.getMessage());
        } catch (ClosedChannelException | EOFException e) {
            // Closed by the peer mid-frame, by the reaper on timeout, or by server shutdown.
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "registry: connection from {0} failed: {1}", peer, e.toString());
        } finally {
            close();
            server.connectionClosed(this);
        }
    }

    /** Serves one request; false on a clean EOF or when the connection must end after the answer. */
    private boolean serveOne() throws IOException, Malformed {
        deadline = System.nanoTime() + server.idleTimeoutNanos();
        lengthBuf.clear();
        if (!readFully(lengthBuf, true)) {
            return false;
        }
        int length = lengthBuf.getInt(0);
        if (length < MIN_REQUEST_LENGTH || length > MAX_REQUEST_LENGTH) {
            throw new Malformed("frame length " + Integer.toUnsignedString(length) + " outside "
                    + MIN_REQUEST_LENGTH + ".." + MAX_REQUEST_LENGTH);
        }
        in.clear().limit(length);
        readFully(in, false);
        in.flip();
        int version = in.get() & 0xff;
        int op = in.get() & 0xff;
        int flags = in.getShort() & 0xffff;
        int id = in.getInt();
        beginResponse(op, id);
        boolean keepOpen = true;
        if (version != VERSION) {
            finishResponse(Errno.EPROTONOSUPPORT);
            keepOpen = false;
        } else if (!allowed) {
            finishResponse(Errno.EACCES);
            LOG.log(Level.WARNING, "registry: refused peer {0}", peer);
            keepOpen = false;
        } else {
            deadline = NO_DEADLINE;
            finishResponse(dispatch(op, flags));
        }
        deadline = System.nanoTime() + server.idleTimeoutNanos();
        out.flip();
        while (out.hasRemaining()) {
            channel.write(out);
        }
        if (out.capacity() > SHRINK_ABOVE) {
            out = ByteBuffer.allocate(INITIAL_OUT);
        }
        return keepOpen;
    }

    private int dispatch(int op, int flags) throws Malformed {
        int allowedFlags = op == OP_LIST ? FLAG_RECURSIVE : 0;
        if ((flags & ~allowedFlags) != 0) {
            throw new Malformed("op " + op + " with unknown flags 0x" + Integer.toHexString(flags));
        }
        return switch (op) {
            case OP_READ -> read();
            case OP_SIZE -> size();
            case OP_LIST -> list((flags & FLAG_RECURSIVE) != 0);
            case OP_WRITE -> write();
            case OP_DESCRIBE -> describe();
            case OP_INFO -> info();
            default -> Errno.EOPNOTSUPP;
        };
    }

    private int read() throws Malformed {
        long bufsize = need(Integer.BYTES).getInt() & 0xffffffffL;
        String name = name();
        end();
        if (name == null) {
            out.putInt(0);
            return Errno.ENAMETOOLONG;
        }
        int sizeAt = out.position();
        out.putInt(0);
        int[] size = new int[1];
        int errno = guarded(name, () -> server.sysctl().readValue(name, v -> {
            size[0] = v.remaining();
            if (size[0] <= bufsize) {
                ensureOut(size[0]);
                out.put(v.duplicate());
            }
        }));
        if (errno == Errno.OK && size[0] > bufsize) {
            errno = Errno.ENOMEM;
        }
        if (errno != Errno.OK) {
            out.position(sizeAt + Integer.BYTES);
        }
        out.putInt(sizeAt, errno == Errno.OK || errno == Errno.ENOMEM ? size[0] : 0);
        return errno;
    }

    private int size() throws Malformed {
        String name = name();
        end();
        if (name == null) {
            out.putInt(0);
            return Errno.ENAMETOOLONG;
        }
        SysctlResult[] r = new SysctlResult[1];
        int errno = guarded(name, () -> {
            r[0] = server.sysctl().size(name);
            return r[0].errno();
        });
        out.putInt(errno == Errno.OK ? r[0].size() : 0);
        return errno;
    }

    private int list(boolean recursive) throws Malformed {
        String name = name();
        end();
        if (name == null) {
            return Errno.ENAMETOOLONG;
        }
        List<OidInfo> entries = new ArrayList<>();
        int errno = server.sysctl().list(name, recursive, entries);
        if (errno != Errno.OK) {
            return errno;
        }
        int bodyAt = out.position();
        out.putInt(entries.size());
        for (OidInfo e : entries) {
            if (out.position() - bodyAt > MAX_LIST_BODY) {
                out.position(bodyAt);
                return Errno.E2BIG;
            }
            putEntry(e);
        }
        if (out.position() - bodyAt > MAX_LIST_BODY) {
            out.position(bodyAt);
            return Errno.E2BIG;
        }
        return Errno.OK;
    }

    private int write() throws Malformed {
        String name = name();
        long length = need(Integer.BYTES).getInt() & 0xffffffffL;
        if (length != in.remaining()) {
            throw new Malformed("WRITE value length " + length + " but " + in.remaining() + " bytes follow");
        }
        ByteBuffer value = in.slice();
        in.position(in.limit());
        if (name == null) {
            out.putInt(0);
            return Errno.ENAMETOOLONG;
        }
        if (!server.writesEnabled()) {
            out.putInt(0);
            return Errno.EPERM;
        }
        SysctlResult[] r = new SysctlResult[1];
        int errno = guarded(name, () -> {
            r[0] = server.sysctl().write(name, value);
            return r[0].errno();
        });
        out.putInt(errno == Errno.OK ? r[0].size() : 0);
        return errno;
    }

    private int describe() throws Malformed {
        String name = name();
        end();
        if (name == null) {
            return Errno.ENAMETOOLONG;
        }
        int errno = server.sysctl().lookupErrno(name);
        if (errno == Errno.OK) {
            putEntry(server.sysctl().describe(name).orElseThrow());
        }
        return errno;
    }

    private int info() throws Malformed {
        end();
        out.put((byte) (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? 0 : 1));
        out.put((byte) (server.writesEnabled() ? 1 : 0));
        out.putShort((short) Sysctl.MAX_NAME_LENGTH);
        out.putInt(MAX_REQUEST_FRAME);
        return Errno.OK;
    }

    /** Runs a registry call; a handler's exception becomes EIO and one log line, never a trace to the peer. */
    private int guarded(String name, IntSupplier call) {
        try {
            return call.getAsInt();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "registry: handler of {0} failed: {1}", name, e.toString());
            return Errno.EIO;
        }
    }

    private void putEntry(OidInfo e) {
        byte[] name = e.name().getBytes(StandardCharsets.UTF_8);
        byte[] format = e.format().getBytes(StandardCharsets.UTF_8);
        byte[] description = e.description().getBytes(StandardCharsets.UTF_8);
        ensureOut(3 * Short.BYTES + 2 + name.length + format.length + description.length);
        out.putShort((short) name.length).put(name);
        out.put((byte) e.type().ctlType());
        out.put((byte) (e.writable() ? ENTRY_WRITABLE : 0));
        out.putShort((short) format.length).put(format);
        out.putShort((short) description.length).put(description);
    }

    /** Reads a name field; null when it is longer than the registry allows (answered ENAMETOOLONG). */
    private String name() throws Malformed {
        int length = need(Short.BYTES).getShort() & 0xffff;
        need(length);
        byte[] bytes = new byte[length];
        in.get(bytes);
        // ISO-8859-1 maps bytes 1:1 to chars: any non-ASCII byte makes an invalid name (ENOENT), never an exception.
        return length > Sysctl.MAX_NAME_LENGTH ? null : new String(bytes, StandardCharsets.ISO_8859_1);
    }

    private ByteBuffer need(int bytes) throws Malformed {
        if (in.remaining() < bytes) {
            throw new Malformed("request body truncated: need " + bytes + " bytes, " + in.remaining() + " left");
        }
        return in;
    }

    private void end() throws Malformed {
        if (in.hasRemaining()) {
            throw new Malformed(in.remaining() + " unexpected bytes after the request body");
        }
    }

    private void beginResponse(int op, int id) {
        out.clear();
        out.putInt(0).put((byte) VERSION).put((byte) op).putShort((short) 0).putInt(id).putInt(0);
    }

    private void finishResponse(int errno) {
        out.putInt(OFF_LENGTH, out.position() - Integer.BYTES);
        out.putInt(OFF_ERRNO, errno);
    }

    private void ensureOut(int more) {
        if (out.remaining() < more) {
            long capacity = Math.max((long) out.position() + more, 2L * out.capacity());
            ByteBuffer bigger = ByteBuffer.allocate((int) Math.min(Integer.MAX_VALUE - 8, capacity));
            out.flip();
            bigger.put(out);
            out = bigger;
        }
    }

    /** Fills {@code b}; false on EOF before the first byte when {@code eofOk}. */
    private boolean readFully(ByteBuffer b, boolean eofOk) throws IOException {
        boolean first = true;
        while (b.hasRemaining()) {
            if (channel.read(b) < 0) {
                if (first && eofOk && b.position() == 0) {
                    return false;
                }
                throw new EOFException("EOF inside a frame");
            }
            first = false;
        }
        return true;
    }
}
