package org.memstat.lib;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Frames of uma-core's registry socket protocol, version 1, as this client uses them ({@code READ}, {@code LIST},
 * {@code WRITE}, {@code DESCRIBE}, {@code INFO}). The contract is {@code docs/REGISTRY-PROTOCOL.md} of the sysctl
 * registry; framing integers are big-endian, value bytes are the server's native order.
 *
 * <pre>
 * request:  L u32 | version u8 = 1 | op u8 | flags u16 | id u32 | body
 * response: L u32 | version u8 = 1 | op u8 | flags u16 = 0 | id u32 | errno u32 | body
 *           (L counts the bytes after itself)
 * READ body:      request u32 bufsize, name          response u32 size, then size bytes iff errno 0
 * LIST body:      request name (flag 1 recursive)    response iff errno 0: u32 count, count entries
 * WRITE body:     request name, u32 length, value    response u32 size (bytes consumed; 0 on error)
 * DESCRIBE body:  request name                       response iff errno 0: one entry
 * INFO body:      request empty                      response u8 order (0 LE, 1 BE), u8 writes, u16 max name,
 *                                                             u32 max frame
 * name:  u16 length, UTF-8 bytes
 * entry: name | u8 CTLTYPE | u8 flags (bit 0 writable) | format (u16 + bytes) | description (u16 + bytes)
 * </pre>
 *
 * <p>Answers with {@code EACCES}, {@code EPROTONOSUPPORT} or {@code EOPNOTSUPP} have an empty body, even for
 * READ and WRITE (the protocol document as of its commit 0abbce4).
 */
final class RegistryFrames {
    private RegistryFrames() {
    }

    static final int VERSION = 1;
    static final int OP_READ = 1;
    static final int OP_LIST = 3;
    static final int OP_WRITE = 4;
    static final int OP_DESCRIBE = 5;
    static final int OP_INFO = 6;
    static final int FLAG_RECURSIVE = 1;
    static final int ENTRY_WRITABLE = 1;
    static final int MAX_NAME = 1024;

    static final int F_LENGTH = 0;
    static final int F_VERSION = F_LENGTH + 4;
    static final int F_OP = F_VERSION + 1;
    static final int F_FLAGS = F_OP + 1;
    static final int F_ID = F_FLAGS + 2;
    static final int F_REQUEST_BODY = F_ID + 4;
    static final int F_ERRNO = F_REQUEST_BODY;
    static final int F_RESPONSE_BODY = F_ERRNO + 4;
    /** Response bytes counted by L before the body: version, op, flags, id, errno. */
    static final int RESPONSE_FIXED = F_RESPONSE_BODY - F_VERSION;
    static final int INFO_BODY = 1 + 1 + 2 + 4;
    /** The largest L of a request: a whole request frame is at most 64 KiB. */
    static final int MAX_REQUEST_LENGTH = (64 << 10) - 4;
    /** The largest LIST body; the server answers E2BIG rather than send more. */
    static final int MAX_LIST_BODY = 16 << 20;
    /** The largest entry: three u16-counted strings and the type and flags bytes. */
    static final int MAX_ENTRY = 3 * (2 + 0xFFFF) + 2;

    static ByteBuffer readRequest(int id, int bufsize, byte[] name) {
        return header(OP_READ, 0, id, 4 + 2 + name.length).putInt(bufsize).putShort((short) name.length).put(name)
                .flip();
    }

    static ByteBuffer infoRequest(int id) {
        return header(OP_INFO, 0, id, 0).flip();
    }

    static ByteBuffer listRequest(int id, byte[] name, boolean recursive) {
        return header(OP_LIST, recursive ? FLAG_RECURSIVE : 0, id, 2 + name.length).putShort((short) name.length)
                .put(name).flip();
    }

    static ByteBuffer describeRequest(int id, byte[] name) {
        return header(OP_DESCRIBE, 0, id, 2 + name.length).putShort((short) name.length).put(name).flip();
    }

    static ByteBuffer writeRequest(int id, byte[] name, byte[] value) {
        return header(OP_WRITE, 0, id, writeBody(name, value)).putShort((short) name.length).put(name)
                .putInt(value.length).put(value).flip();
    }

    /** The body length of a WRITE of {@code value} to {@code name}; a request's L is this plus 8. */
    static long writeBody(byte[] name, byte[] value) {
        return 2L + name.length + 4 + value.length;
    }

    private static ByteBuffer header(int op, int flags, int id, long body) {
        ByteBuffer b = ByteBuffer.allocate((int) (F_REQUEST_BODY + body));
        return b.putInt((int) (F_REQUEST_BODY - F_VERSION + body)).put((byte) VERSION).put((byte) op)
                .putShort((short) flags).putInt(id);
    }

    static byte[] name(String oid) {
        return oid.getBytes(StandardCharsets.UTF_8);
    }

    /** True when a response with {@code errno} has an empty body whatever the op. */
    static boolean bodyless(int errno) {
        return errno == 13 || errno == 43 || errno == 45;
    }

    /** True when a response to {@code op} with {@code errno} carries the {@code u32 size} field. */
    static boolean hasSizeField(int op, int errno) {
        return (op == OP_READ || op == OP_WRITE) && !bodyless(errno);
    }

    /**
     * Largest L a response to {@code op} may have.
     *
     * @param limit for READ the bufsize offered; ignored for other ops
     */
    static long maxLength(int op, long limit) {
        return RESPONSE_FIXED + switch (op) {
            case OP_READ -> 4L + limit;
            case OP_WRITE -> 4L;
            case OP_INFO -> INFO_BODY;
            case OP_DESCRIBE -> MAX_ENTRY;
            default -> MAX_LIST_BODY;
        };
    }

    /**
     * Checks the 12 bytes after a response's L (version through errno) against the request, and returns the
     * errno.
     *
     * @throws IllegalStateException with a one-line reason when the response does not answer the request
     */
    static int checkHead(ByteBuffer head, int op, int id) {
        int version = head.get(F_VERSION - F_VERSION) & 0xFF;
        int rop = head.get(F_OP - F_VERSION) & 0xFF;
        int flags = head.getShort(F_FLAGS - F_VERSION) & 0xFFFF;
        int rid = head.getInt(F_ID - F_VERSION);
        if (version != VERSION || rop != op || flags != 0 || rid != id) {
            throw new IllegalStateException("response header (version " + version + ", op " + rop + ", flags "
                    + flags + ", id " + Integer.toUnsignedString(rid) + ") does not answer request op " + op
                    + " id " + Integer.toUnsignedString(id));
        }
        return head.getInt(F_ERRNO - F_VERSION);
    }

    /**
     * Checks a response's L and size field against the length rules of its op.
     *
     * @param size  the size field, 0 when there is none
     * @param limit for READ the bufsize offered, for WRITE the value length sent
     * @throws IllegalStateException with a one-line reason when the response breaks the protocol
     */
    static void checkLength(long length, int op, int errno, long size, long limit) {
        if (hasSizeField(op, errno)) {
            if (errno == 0 && size > limit) {
                throw new IllegalStateException((op == OP_READ ? "READ value of " : "WRITE consumed ") + size
                        + " bytes, more than the " + limit + " offered");
            }
            if (errno != 0 && size != 0 && !(op == OP_READ && errno == 12)) {
                throw new IllegalStateException("size " + size + " with errno " + errno + " (must be 0)");
            }
        }
        long expected;
        if (bodyless(errno)) {
            expected = RESPONSE_FIXED;
        } else if (op == OP_INFO) {
            expected = RESPONSE_FIXED + (errno == 0 ? INFO_BODY : 0);
        } else if (op == OP_READ) {
            expected = RESPONSE_FIXED + 4 + (errno == 0 ? size : 0);
        } else if (op == OP_WRITE) {
            expected = RESPONSE_FIXED + 4;
        } else if (errno != 0) {
            expected = RESPONSE_FIXED;
        } else {
            return; // LIST and DESCRIBE bodies are checked as they are parsed.
        }
        if (length != expected) {
            throw new IllegalStateException("response length is " + length + ", expected " + expected
                    + " for op " + op + " with errno " + errno);
        }
    }

    /** Parses a DESCRIBE body: exactly one entry. */
    static SysctlEntry describeBody(byte[] body) {
        ByteBuffer b = ByteBuffer.wrap(body);
        SysctlEntry e = entry(b);
        end(b, "DESCRIBE");
        return e;
    }

    /** Parses a LIST body: a count, then exactly that many entries. */
    static List<SysctlEntry> listBody(byte[] body) {
        ByteBuffer b = ByteBuffer.wrap(body);
        long count = Integer.toUnsignedLong(need(b, 4, "LIST count").getInt());
        // An entry takes at least 8 bytes, so a count the body cannot hold fails before any allocation.
        if (count > b.remaining() / 8) {
            throw new IllegalStateException("LIST count " + count + " does not fit its " + body.length
                    + "-byte body");
        }
        List<SysctlEntry> out = new ArrayList<>((int) count);
        for (long i = 0; i < count; i++) {
            out.add(entry(b));
        }
        end(b, "LIST");
        return List.copyOf(out);
    }

    private static SysctlEntry entry(ByteBuffer b) {
        String name = string(b, "entry name");
        int type = need(b, 2, "entry type and flags").get() & 0xFF;
        boolean writable = (b.get() & ENTRY_WRITABLE) != 0;
        return new SysctlEntry(name, type, string(b, "entry format"), string(b, "entry description"), writable);
    }

    private static String string(ByteBuffer b, String what) {
        int n = need(b, 2, what).getShort() & 0xFFFF;
        byte[] s = new byte[n];
        need(b, n, what).get(s);
        return new String(s, StandardCharsets.UTF_8);
    }

    private static ByteBuffer need(ByteBuffer b, int n, String what) {
        if (b.remaining() < n) {
            throw new IllegalStateException("truncated " + what + ": " + n + " bytes needed, " + b.remaining()
                    + " left");
        }
        return b;
    }

    private static void end(ByteBuffer b, String op) {
        if (b.hasRemaining()) {
            throw new IllegalStateException(b.remaining() + " bytes after the " + op + " body");
        }
    }
}
