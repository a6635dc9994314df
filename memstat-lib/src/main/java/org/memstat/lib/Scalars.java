package org.memstat.lib;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.memstat.lib.SysctlException.Errno;

/** Small helpers for scalar OID values: decoding ints, text snapshots, and byte order of stream headers. */
final class Scalars {
    private static final VarHandle LE32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle BE32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

    private Scalars() {
    }

    static int decodeInt(String oid, byte[] v, ByteOrder order) throws SysctlException {
        if (v.length != 4) {
            throw new SysctlException(oid, Errno.EINVAL, "value is " + v.length + " bytes, not a 4-byte int");
        }
        return order == ByteOrder.BIG_ENDIAN ? (int) BE32.get(v, 0) : (int) LE32.get(v, 0);
    }

    /** Byte order of a stream whose first bytes are {@code head}, or {@code null} if its version word is not 1. */
    static ByteOrder streamOrder(byte[] head) {
        if (head == null || head.length < 4) {
            return null;
        }
        int word = (int) LE32.get(head, 0);
        if (word == StreamLayout.STREAM_VERSION) {
            return ByteOrder.LITTLE_ENDIAN;
        }
        return word == StreamLayout.STREAM_VERSION_SWAPPED ? ByteOrder.BIG_ENDIAN : null;
    }

    static byte[] encodeInts(ByteOrder order, int... values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(order);
        for (int v : values) {
            b.putInt(v);
        }
        return b.array();
    }

    /** True for a non-empty value of ASCII digits, signs and whitespace with at least one digit. */
    static boolean isDecimalText(byte[] v) {
        boolean digit = false;
        for (byte c : v) {
            if (c >= '0' && c <= '9') {
                digit = true;
            } else if (c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '+' && c != '-') {
                return false;
            }
        }
        return digit;
    }

    /**
     * Encodes decimal text as native ints in {@code order}: one int per number, or one long when the text is a
     * single number outside the 32-bit range.
     */
    static byte[] fromText(String oid, byte[] text, ByteOrder order) throws SysctlException {
        String[] words = new String(text, StandardCharsets.US_ASCII).trim().split("\\s+");
        long[] values = new long[words.length];
        for (int i = 0; i < words.length; i++) {
            try {
                values[i] = Long.parseLong(words[i]);
            } catch (NumberFormatException e) {
                throw new SysctlException(oid, Errno.EINVAL, "\"" + words[i] + "\" is not a decimal number", e);
            }
        }
        if (values.length == 1 && !fitsInt(values[0])) {
            return ByteBuffer.allocate(8).order(order).putLong(values[0]).array();
        }
        int[] ints = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            if (!fitsInt(values[i])) {
                throw new SysctlException(oid, Errno.EINVAL, values[i] + " does not fit a 32-bit int");
            }
            ints[i] = (int) values[i];
        }
        return encodeInts(order, ints);
    }

    /** Signed or unsigned 32-bit: {@code u_int} scalars such as {@code vm.malloc.zone_count} may exceed 2^31. */
    private static boolean fitsInt(long v) {
        return v >= Integer.MIN_VALUE && v <= 0xFFFF_FFFFL;
    }
}
