package org.memstat.uma;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The off-heap layout of a bucket (UMA's {@code uma_bucket}), an item of one of the bucket zones.
 *
 * <pre>
 *  0               8       12      16                                  16 + 8 * entries
 *  +---------------+-------+-------+-----------------------------------+
 *  | next (depot)  | count |entries| item[0] item[1] ... item[entries-1]|
 *  +---------------+-------+-------+-----------------------------------+
 * </pre>
 *
 * The count in the header is only meaningful while the bucket sits in a depot; a bucket in a cache keeps its
 * count in the {@link ZoneCache} fields, where the owner reads it without touching this memory.
 */
final class Bucket {
    static final int OFF_NEXT = 0;
    static final int SIZE_NEXT = 8;
    static final int OFF_COUNT = OFF_NEXT + SIZE_NEXT;
    static final int SIZE_COUNT = 4;
    static final int OFF_ENTRIES = OFF_COUNT + SIZE_COUNT;
    static final int SIZE_ENTRIES = 4;
    static final int OFF_ITEMS = OFF_ENTRIES + SIZE_ENTRIES;
    static final int ITEM_SIZE = 8;

    /** Bucket zones as in current FreeBSD: name, entries, largest item size served. */
    static final int[] ZONE_ENTRIES = {2, 4, 8, 16, entriesOf(32), entriesOf(64), entriesOf(128), entriesOf(256)};
    static final String[] ZONE_NAMES = {"2 Bucket", "4 Bucket", "8 Bucket", "16 Bucket", "32 Bucket", "64 Bucket",
        "128 Bucket", "256 Bucket"};
    static final int[] ZONE_MAX_ITEM = {4096, 3072, 2048, 1024, 512, 256, 128, 64};
    static final int MAX = ZONE_ENTRIES[ZONE_ENTRIES.length - 1];

    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED;
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED;

    private Bucket() {
    }

    /** FreeBSD's {@code BUCKET_SIZE(n)}: entries of an {@code n}-pointer bucket after its header. */
    static int entriesOf(int pointers) {
        return (pointers * ITEM_SIZE - OFF_ITEMS) / ITEM_SIZE;
    }

    static int byteSize(int entries) {
        return OFF_ITEMS + entries * ITEM_SIZE;
    }

    /** {@code bucket_select}: the initial bucket size for an item size. */
    static int select(int itemSize) {
        if (itemSize > ZONE_MAX_ITEM[0]) {
            return Math.max(ZONE_MAX_ITEM[0] * 2 / itemSize, 1);
        }
        int best = ZONE_ENTRIES[0];
        for (int i = 0; i < ZONE_ENTRIES.length; i++) {
            if (ZONE_MAX_ITEM[i] >= itemSize) {
                best = ZONE_ENTRIES[i];
            }
        }
        return best;
    }

    /** Index of the smallest bucket zone holding at least {@code entries} items. */
    static int zoneIndex(int entries) {
        for (int i = 0; i < ZONE_ENTRIES.length; i++) {
            if (ZONE_ENTRIES[i] >= entries) {
                return i;
            }
        }
        return ZONE_ENTRIES.length - 1;
    }

    static long item(MemorySegment mem, long base, long bucket, int index) {
        return mem.get(LONG, bucket - base + OFF_ITEMS + (long) index * ITEM_SIZE);
    }

    static void setItem(MemorySegment mem, long base, long bucket, int index, long item) {
        mem.set(LONG, bucket - base + OFF_ITEMS + (long) index * ITEM_SIZE, item);
    }

    static long next(MemorySegment mem, long base, long bucket) {
        return mem.get(LONG, bucket - base + OFF_NEXT);
    }

    static void setNext(MemorySegment mem, long base, long bucket, long next) {
        mem.set(LONG, bucket - base + OFF_NEXT, next);
    }

    static int count(MemorySegment mem, long base, long bucket) {
        return mem.get(INT, bucket - base + OFF_COUNT);
    }

    static void setCount(MemorySegment mem, long base, long bucket, int count) {
        mem.set(INT, bucket - base + OFF_COUNT, count);
    }

    static int entries(MemorySegment mem, long base, long bucket) {
        return mem.get(INT, bucket - base + OFF_ENTRIES);
    }

    static void setEntries(MemorySegment mem, long base, long bucket, int entries) {
        mem.set(INT, bucket - base + OFF_ENTRIES, entries);
    }
}
