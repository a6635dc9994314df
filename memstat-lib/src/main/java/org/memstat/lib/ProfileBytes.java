package org.memstat.lib;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Checked reads from one {@code vm.zone_samples} or {@code vm.zone_peaks} value (docs/PROFILES.md, "Stream
 * formats"), for {@link SampleStream} and {@link PeakStream}: the byte order from the version word, bounds checked
 * before every read, u64 fields that must fit a Java {@code long}, strict UTF-8, and errors with the oid, byte
 * offset, record index and source, as {@link StreamView} reports them.
 *
 * <p>Not thread-safe (it holds a {@link CharsetDecoder}); one instance decodes one value.
 */
final class ProfileBytes {
    private static final VarHandle LE16 = MethodHandles.byteArrayViewVarHandle(short[].class,
            ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle BE16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LE32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle BE32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LE64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle BE64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    final byte[] bytes;
    final boolean bigEndian;
    private final String oid;
    private final String source;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);

    private ProfileBytes(byte[] bytes, boolean bigEndian, String oid, String source) {
        this.bytes = bytes;
        this.bigEndian = bigEndian;
        this.oid = oid;
        this.source = source;
    }

    /**
     * Checks {@code b} holds at least a header of {@code headerBytes} and a version word of 1 in either byte order
     * (VERSION otherwise), and returns a reader in the order the version word reveals.
     *
     * @param source the source URI for messages, or {@code null} for a value decoded on its own
     */
    static ProfileBytes open(byte[] b, String oid, int headerBytes, String source) throws MemstatException {
        if (b.length < headerBytes) {
            throw new MemstatException(MemstatError.VERSION, "value is " + b.length + " bytes, shorter than the "
                    + headerBytes + "-byte header", source, oid, b.length, -1, null);
        }
        ByteOrder order = Scalars.streamOrder(b);
        if (order == null) {
            throw new MemstatException(MemstatError.VERSION, String.format("version word is 0x%08x in"
                    + " little-endian order; expected 1 from a little-endian or big-endian producer",
                    (int) LE32.get(b, 0)), source, oid, 0, -1, null);
        }
        return new ProfileBytes(b, order == ByteOrder.BIG_ENDIAN, oid, source);
    }

    /** A DATAERROR at byte {@code offset} of record {@code record} (-1: none). */
    MemstatException error(String detail, long offset, int record) {
        return new MemstatException(MemstatError.DATAERROR, detail, source, oid, offset, record, null);
    }

    /** Bytes left from {@code off} to the end of the value. */
    int remaining(int off) {
        return bytes.length - off;
    }

    /**
     * Checks that {@code count} items of at least {@code each} bytes could fit in the bytes from {@code off} on,
     * before anything is sized by {@code count}.
     *
     * @param field    the count's field name, for the message
     * @param fieldOff the count's own offset, where the error is reported
     */
    void checkCount(long count, int each, int off, String field, int fieldOff, int record) throws MemstatException {
        if (count * each > remaining(off)) {
            throw error(field + " is " + count + " but the " + remaining(off) + " bytes from byte " + off
                    + " hold at most " + remaining(off) / each + " of " + each + " bytes", fieldOff, record);
        }
    }

    /** Checks that {@code n} bytes (a record or field called {@code what}) are there at {@code off}. */
    void need(int off, long n, String what, int record) throws MemstatException {
        if (n > remaining(off)) {
            throw error(what + " needs " + n + " bytes at byte " + off + " but the value ends at byte "
                    + bytes.length, bytes.length, record);
        }
    }

    /** Checks nothing follows the last record, which ended at {@code end}. */
    void checkEnd(int end) throws MemstatException {
        if (end != bytes.length) {
            throw error(remaining(end) + " trailing bytes after the last record", end, -1);
        }
    }

    int u16(int off) {
        return (bigEndian ? (short) BE16.get(bytes, off) : (short) LE16.get(bytes, off)) & 0xFFFF;
    }

    long u32(int off) {
        return i32(off) & 0xFFFF_FFFFL;
    }

    int i32(int off) {
        return bigEndian ? (int) BE32.get(bytes, off) : (int) LE32.get(bytes, off);
    }

    /** An unsigned 64-bit field that must fit a Java {@code long}. */
    long u64(int off, String field, int record) throws MemstatException {
        long v = bigEndian ? (long) BE64.get(bytes, off) : (long) LE64.get(bytes, off);
        if (v < 0) {
            throw error(field + " is " + Long.toUnsignedString(v) + ", more than a Java long holds (2^63 - 1)",
                    off, record);
        }
        return v;
    }

    /**
     * Decodes {@code len} bytes at {@code off} as strict UTF-8 without NULs.
     *
     * @param what names the string in the message, for example {@code "string 3"}
     */
    String utf8(int off, int len, String what, int record) throws MemstatException {
        if (len == 0) {
            return "";
        }
        for (int i = 0; i < len; i++) {
            if (bytes[off + i] == 0) {
                throw error(what + " holds a NUL at its byte " + i, off + i, record);
            }
        }
        try {
            CharBuffer chars = utf8.reset().decode(ByteBuffer.wrap(bytes, off, len));
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw error(what + " (" + len + " bytes) is not valid UTF-8", off, record);
        }
    }
}
