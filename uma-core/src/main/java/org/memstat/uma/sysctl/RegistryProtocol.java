package org.memstat.uma.sysctl;

/**
 * Constants of the registry socket protocol, version 1 ({@code docs/REGISTRY-PROTOCOL.md}). Framing integers are
 * big-endian; OID values travel in the server's native order.
 *
 * <pre>
 * request:  u32 length | u8 version | u8 op | u16 flags | u32 request id | body
 * response: u32 length | u8 version | u8 op | u16 flags | u32 request id | u32 errno | body
 * </pre>
 */
final class RegistryProtocol {
    static final int VERSION = 1;

    static final int OP_READ = 1;
    static final int OP_SIZE = 2;
    static final int OP_LIST = 3;
    static final int OP_WRITE = 4;
    static final int OP_DESCRIBE = 5;
    static final int OP_INFO = 6;

    /** LIST flag: every descendant, depth-first, instead of the direct children. */
    static final int FLAG_RECURSIVE = 0x1;
    /** Entry flag: the OID has a write handler. */
    static final int ENTRY_WRITABLE = 0x1;

    static final int OFF_LENGTH = 0;
    static final int OFF_VERSION = OFF_LENGTH + Integer.BYTES;
    static final int OFF_OP = OFF_VERSION + Byte.BYTES;
    static final int OFF_FLAGS = OFF_OP + Byte.BYTES;
    static final int OFF_ID = OFF_FLAGS + Short.BYTES;
    /** Request header size; the request body starts here. */
    static final int REQUEST_HEADER = OFF_ID + Integer.BYTES;
    static final int OFF_ERRNO = REQUEST_HEADER;
    /** Response header size; the response body starts here. */
    static final int RESPONSE_HEADER = OFF_ERRNO + Integer.BYTES;

    /** The largest whole request frame, length field included. */
    static final int MAX_REQUEST_FRAME = 64 * 1024;
    /** The largest value of a request's length field. */
    static final int MAX_REQUEST_LENGTH = MAX_REQUEST_FRAME - Integer.BYTES;
    /** The smallest value of a request's length field (header without body). */
    static final int MIN_REQUEST_LENGTH = REQUEST_HEADER - Integer.BYTES;
    /** The largest LIST response body; a larger listing answers E2BIG. */
    static final int MAX_LIST_BODY = 16 * 1024 * 1024;

    private RegistryProtocol() {
    }
}
