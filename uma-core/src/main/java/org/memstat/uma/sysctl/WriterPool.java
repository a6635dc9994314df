package org.memstat.uma.sysctl;

import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Supplier;

/**
 * A small lock-free pool of stream writers, so concurrent readers of one stream OID each get their own writer
 * without blocking, and a warm writer (grown buffer) is reused. Bounded: extra writers are dropped.
 */
final class WriterPool<W> {
    private final AtomicReferenceArray<W> slots;
    private final Supplier<W> factory;

    WriterPool(int size, Supplier<W> factory) {
        this.slots = new AtomicReferenceArray<>(size);
        this.factory = factory;
    }

    W take() {
        for (int i = 0; i < slots.length(); i++) {
            W w = slots.getAndSet(i, null);
            if (w != null) {
                return w;
            }
        }
        return factory.get();
    }

    void give(W w) {
        for (int i = 0; i < slots.length(); i++) {
            if (slots.compareAndSet(i, null, w)) {
                return;
            }
        }
    }
}
