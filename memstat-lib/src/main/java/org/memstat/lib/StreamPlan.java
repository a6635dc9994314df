package org.memstat.lib;

import java.util.ArrayList;
import java.util.Arrays;

/**
 * Applies one validated stream to a list in two steps, so that a refresh is all or nothing.
 *
 * <p>{@link #prepare} matches every record to the type it will update and allocates everything the update needs
 * (new types, larger per-CPU arrays) without changing anything a caller can see; it may run out of memory, and
 * {@link #abort} then forgets it. {@link #apply} then cannot fail: it only links the new types and writes
 * numbers. The scratch arrays are kept for the next refresh, so a warm refresh allocates nothing per record.
 */
final class StreamPlan {
    private static final MemoryType[] NONE = new MemoryType[0];

    private StreamView view;
    private boolean search;
    /** Per record: the existing type it updates, or {@code null} when it missed the index while planning. */
    private MemoryType[] targets = NONE;
    /** Per record that missed: a new type, used unless an earlier record of the same stream created one. */
    private MemoryType[] fresh = NONE;
    private int freshCount;

    /**
     * Plans {@code v}. With {@code search} false (libmemstat's {@code hint_dontsearch}: the list was empty when
     * this query started) every record gets a new type, even a repeated name, exactly as in libmemstat.
     */
    void prepare(StreamView v, TypeIndex index, boolean search) {
        view = v;
        this.search = search;
        freshCount = 0;
        if (targets.length < v.count) {
            targets = new MemoryType[v.count];
            fresh = new MemoryType[v.count];
        }
        Allocator a = v.kind.allocator;
        byte[] b = v.bytes;
        for (int i = 0; i < v.count; i++) {
            int off = v.recordOffset(i);
            int len = v.nameLength(off);
            int hash = TypeIndex.hash(a, b, off, len);
            MemoryType t = search ? index.find(a, b, off, len, hash) : null;
            targets[i] = t;
            if (t == null) {
                fresh[i] = new MemoryType(a, b, off, len, hash, v.maxCpus);
                freshCount++;
            } else {
                t.reserveCpus(v.maxCpus);
            }
        }
    }

    /** Upper bound of the types {@link #apply} will add. */
    int freshCount() {
        return freshCount;
    }

    /** Forgets a prepared plan, including per-CPU storage reserved on existing types. */
    void abort() {
        if (view == null) {
            return;
        }
        for (int i = 0; i < view.count; i++) {
            if (targets[i] != null) {
                targets[i].dropReserve();
            }
        }
        release();
    }

    /** Applies the prepared plan; the caller has reserved room for {@link #freshCount} more types. */
    void apply(ArrayList<MemoryType> entries, TypeIndex index) {
        StreamView v = view;
        Allocator a = v.kind.allocator;
        for (int i = 0; i < v.count; i++) {
            int off = v.recordOffset(i);
            MemoryType t = targets[i];
            if (t == null) {
                MemoryType n = fresh[i];
                if (search) {
                    // The same name earlier in this stream already added a type; libmemstat updates that one.
                    t = index.find(a, v.bytes, off, n.nameBytes.length, n.nameHash);
                }
                if (t == null) {
                    t = n;
                    entries.add(t);
                    index.put(t);
                }
            }
            if (v.kind == StreamKind.UMA) {
                Decoder.uma(v, off, t);
            } else {
                Decoder.malloc(v, off, t);
            }
        }
        release();
    }

    private void release() {
        Arrays.fill(targets, 0, view.count, null);
        Arrays.fill(fresh, 0, view.count, null);
        view = null;
        freshCount = 0;
    }
}
