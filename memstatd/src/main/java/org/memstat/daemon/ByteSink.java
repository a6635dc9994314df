package org.memstat.daemon;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A growable byte array that is also an {@link OutputStream}, without {@link java.io.ByteArrayOutputStream}'s
 * per-call lock (tens of thousands of small writes per {@code /metrics} body) and without its copy on the way out:
 * {@link #asBuffer()} wraps the array itself. Not thread-safe; {@link #reset} keeps the array for reuse.
 */
final class ByteSink extends OutputStream {
    private byte[] buf;
    private int size;

    ByteSink(int capacity) {
        buf = new byte[Math.max(16, capacity)];
    }

    @Override
    public void write(int b) {
        ensure(1);
        buf[size++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, buf, size, len);
        size += len;
    }

    /** Appends all of {@code b}. */
    @Override
    public void write(byte[] b) {
        write(b, 0, b.length);
    }

    /** Appends the chars of {@code s}, which must all be below 0x80. */
    void ascii(CharSequence s) {
        int n = s.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            buf[size + i] = (byte) s.charAt(i);
        }
        size += n;
    }

    /** Appends the decimal digits of {@code v >= 0}. */
    void digits(long v) {
        int n = 1;
        for (long t = v; t >= 10; t /= 10) {
            n++;
        }
        ensure(n);
        for (int i = size + n - 1; i >= size; i--) {
            buf[i] = (byte) ('0' + v % 10);
            v /= 10;
        }
        size += n;
    }

    /** Forgets the bytes written, keeping the array for the next body. */
    void reset() {
        size = 0;
    }

    int size() {
        return size;
    }

    /** The bytes written so far, without copying; valid until the sink is written or reset. */
    ByteBuffer asBuffer() {
        return ByteBuffer.wrap(buf, 0, size);
    }

    /** Writes the bytes written so far to {@code out}. */
    void writeTo(OutputStream out) throws IOException {
        out.write(buf, 0, size);
    }

    /** A copy of the bytes written so far. */
    byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }

    private void ensure(int more) {
        if (buf.length - size < more) {
            // Doubling keeps appends amortised O(1); a body rarely grows because the endpoint sizes the sink from
            // the previous body.
            buf = Arrays.copyOf(buf, Math.max(buf.length << 1, size + more));
        }
    }
}
