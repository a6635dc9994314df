package org.memstat.lib;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Frames of uma-core's registry socket protocol, version 1, as far as this client uses them ({@code READ} and
 * {@code INFO}). The contract is {@code docs/REGISTRY-PROTOCOL.md} of the sysctl registry; framing integers are
 * big-endian, value bytes are the server's native order.
 *
 * <pre>
 * request:  L u32 | version u8 = 1 | op u8 | flags u16 = 0 | id u32 | body
 * response: L u32 | version u8 = 1 | op u8 | flags u16 = 0 | id u32 | errno u32 | body
 *           (L counts the bytes after itself)
 * READ body:      request u32 bufsize, u16 name length, name    response u32 size, then size bytes iff errno 0
 * INFO body:      request empty          response u8 order (0 LE, 1 BE), u8 writes, u16 max name, u32 max frame
 * </pre>
 *
 * <p>Answers with {@code EACCES}, {@code EPROTONOSUPPORT} or {@code EOPNOTSUPP} have an empty body, even for
 * READ (the protocol document as of its commit 0abbce4).
 */
final class RegistryFrames {
    private RegistryFrames() {
    }

    static final int VERSION = 1;
    static final int OP_READ = 1;
    static final int OP_INFO = 6;
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

    static ByteBuffer readRequest(int id, int bufsize, byte[] name) {
        ByteBuffer b = header(OP_READ, id, 4 + 2 + name.length);
        b.putInt(bufsize).putShort((short) name.length).put(name);
        return b.flip();
    }

    static ByteBuffer infoRequest(int id) {
        return header(OP_INFO, id, 0).flip();
    }

    private static ByteBuffer header(int op, int id, int body) {
        ByteBuffer b = ByteBuffer.allocate(F_REQUEST_BODY + body);
        return b.putInt(F_REQUEST_BODY - F_VERSION + body).put((byte) VERSION).put((byte) op).putShort((short) 0)
                .putInt(id);
    }

    static byte[] name(String oid) {
        return oid.getBytes(StandardCharsets.UTF_8);
    }

    /** True when a response with {@code errno} has an empty body whatever the op. */
    static boolean bodyless(int errno) {
        return errno == 13 || errno == 43 || errno == 45;
    }

    /** True when a response to {@code op} with {@code errno} carries READ's {@code u32 size} field. */
    static boolean hasSizeField(int op, int errno) {
        return op == OP_READ && !bodyless(errno);
    }

    /** Largest L a response to {@code op} may have when the request offered {@code bufsize} value bytes. */
    static long maxLength(int op, int bufsize) {
        return RESPONSE_FIXED + (op == OP_READ ? 4L + Integer.toUnsignedLong(bufsize) : INFO_BODY);
    }

    /**
     * Checks the 12 bytes after a response's L (version through errno) against the request and the length
     * rules of its op, and returns the errno.
     *
     * @param length the response's L
     * @param head   the next 12 bytes
     * @param size   for READ, the size field that follows the errno (ignored when there is none)
     * @throws IllegalStateException with a one-line reason when the response breaks the protocol
     */
    static int checkHead(long length, ByteBuffer head, int op, int id, long size, int bufsize) {
        int version = head.get(F_VERSION - F_VERSION) & 0xFF;
        int rop = head.get(F_OP - F_VERSION) & 0xFF;
        int flags = head.getShort(F_FLAGS - F_VERSION) & 0xFFFF;
        int rid = head.getInt(F_ID - F_VERSION);
        int errno = head.getInt(F_ERRNO - F_VERSION);
        if (version != VERSION || rop != op || flags != 0 || rid != id) {
            throw new IllegalStateException("response header (version " + version + ", op " + rop + ", flags "
                    + flags + ", id " + Integer.toUnsignedString(rid) + ") does not answer request op " + op
                    + " id " + Integer.toUnsignedString(id));
        }
        long expected;
        if (bodyless(errno)) {
            expected = RESPONSE_FIXED;
        } else if (op == OP_INFO) {
            expected = RESPONSE_FIXED + (errno == 0 ? INFO_BODY : 0);
        } else {
            expected = RESPONSE_FIXED + 4 + (errno == 0 ? size : 0);
            if (errno == 0 && size > Integer.toUnsignedLong(bufsize)) {
                throw new IllegalStateException("READ value of " + size + " bytes exceeds bufsize " + bufsize);
            }
        }
        if (length != expected) {
            throw new IllegalStateException("response length is " + length + ", expected " + expected
                    + " for op " + op + " with errno " + errno);
        }
        return errno;
    }
}
