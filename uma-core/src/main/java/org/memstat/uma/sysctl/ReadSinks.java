package org.memstat.uma.sysctl;

import java.nio.ByteBuffer;
import java.util.function.Consumer;

/** The sinks {@link Sysctl#read} hands to OID readers. */
final class ReadSinks {
    private ReadSinks() {
    }

    /** Enforces the "hand the value over once" contract of {@link OpaqueReader}. */
    static final class Once implements Consumer<ByteBuffer> {
        private final Consumer<ByteBuffer> target;
        boolean called;

        Once(Consumer<ByteBuffer> target) {
            this.target = target;
        }

        @Override
        public void accept(ByteBuffer value) {
            if (called) {
                throw new IllegalStateException("OID reader handed its value to the sink twice");
            }
            called = true;
            target.accept(value);
        }
    }

    /** Copies a produced value into the caller's buffer, or records the size needed. */
    static final class Capture implements Consumer<ByteBuffer> {
        private final ByteBuffer oldp;
        private int errno;
        private int size;

        Capture(ByteBuffer oldp) {
            this.oldp = oldp;
        }

        @Override
        public void accept(ByteBuffer value) {
            size = value.remaining();
            if (oldp == null) {
                return;
            }
            // As FreeBSD's sysctl: copy as much as fits, then report ENOMEM if that was not all of it.
            int n = Math.min(size, oldp.remaining());
            oldp.put(oldp.position(), value, value.position(), n);
            oldp.position(oldp.position() + n);
            if (n < size) {
                errno = Errno.ENOMEM;
            }
        }

        SysctlResult result() {
            return new SysctlResult(errno, size);
        }
    }
}
