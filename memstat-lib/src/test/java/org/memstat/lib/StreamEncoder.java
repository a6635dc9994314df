package org.memstat.lib;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Test-side writer of FreeBSD's statistics streams, written from the reference tables (§1.2-§1.4, §2) with
 * literal offsets, independently of the parser's {@code StreamLayout}. Each method documents its byte groups.
 */
final class StreamEncoder {
    private StreamEncoder() {
    }

    /** One zone record: {@code struct uma_type_header} plus its per-CPU records. Fields default to 0. */
    static final class Zone {
        byte[] name;
        int align;
        int size;
        int rsize;
        int maxpages;
        int limit;
        int pages;
        int kegFree;
        int zoneFree;
        int bucketsize;
        int flags;
        long allocs;
        long frees;
        long fails;
        long sleeps;
        long xdomain;
        long reserved;
        final List<long[]> cpus = new ArrayList<>();

        Zone(String name) {
            this.name = name.getBytes(StandardCharsets.UTF_8);
        }

        Zone size(int size, int rsize) {
            this.size = size;
            this.rsize = rsize;
            return this;
        }

        Zone limit(int limit) {
            this.limit = limit;
            return this;
        }

        Zone free(int kegFree, int zoneFree) {
            this.kegFree = kegFree;
            this.zoneFree = zoneFree;
            return this;
        }

        Zone secondary() {
            this.flags = 1;
            return this;
        }

        Zone counts(long allocs, long frees, long fails, long sleeps, long xdomain) {
            this.allocs = allocs;
            this.frees = frees;
            this.fails = fails;
            this.sleeps = sleeps;
            this.xdomain = xdomain;
            return this;
        }

        /** Sets CPU {@code cpu}'s {@code ups_allocs}, {@code ups_frees}, {@code ups_cache_free}. */
        Zone cpu(int cpu, long allocs, long frees, long cacheFree) {
            while (cpus.size() <= cpu) {
                cpus.add(new long[3]);
            }
            cpus.set(cpu, new long[] {allocs, frees, cacheFree});
            return this;
        }

        long[] cpu(int cpu) {
            return cpu < cpus.size() ? cpus.get(cpu) : new long[3];
        }
    }

    /** One malloc type: {@code struct malloc_type_header} plus its per-CPU {@code malloc_type_stats}. */
    static final class MallocType {
        byte[] name;
        final List<long[]> cpus = new ArrayList<>();

        MallocType(String name) {
            this.name = name.getBytes(StandardCharsets.UTF_8);
        }

        /** Sets CPU {@code cpu}'s memalloced, memfreed, numallocs, numfrees, size bitmask. */
        MallocType cpu(int cpu, long memalloced, long memfreed, long numallocs, long numfrees, long size) {
            while (cpus.size() <= cpu) {
                cpus.add(new long[5]);
            }
            cpus.set(cpu, new long[] {memalloced, memfreed, numallocs, numfrees, size});
            return this;
        }

        long[] cpu(int cpu) {
            return cpu < cpus.size() ? cpus.get(cpu) : new long[5];
        }
    }

    /**
     * {@code vm.zone_stats}: a 16-byte {@code uma_stream_header} (version 1, maxcpus, count, pad 0), then per
     * zone the 120-byte type header and {@code maxcpus} 64-byte per-CPU records.
     */
    static byte[] uma(ByteOrder order, int maxcpus, List<Zone> zones) {
        ByteBuffer b = ByteBuffer.allocate(16 + zones.size() * (120 + 64 * maxcpus)).order(order);
        b.putInt(1).putInt(maxcpus).putInt(zones.size()).putInt(0);          // bytes 0..15 stream header
        for (Zone z : zones) {
            int start = b.position();
            b.put(name32(z.name));                                          // 0..31 uth_name
            b.putInt(z.align).putInt(z.size).putInt(z.rsize);               // 32 align, 36 size, 40 rsize
            b.putInt(z.maxpages).putInt(z.limit).putInt(z.pages);           // 44 maxpages, 48 limit, 52 pages
            b.putInt(z.kegFree).putInt(z.zoneFree);                         // 56 keg_free, 60 zone_free
            b.putInt(z.bucketsize).putInt(z.flags);                         // 64 bucketsize, 68 zone_flags
            b.putLong(z.allocs).putLong(z.frees).putLong(z.fails);          // 72 allocs, 80 frees, 88 fails
            b.putLong(z.sleeps).putLong(z.xdomain).putLong(z.reserved);     // 96 sleeps, 104 xdomain, 112 rsvd
            check(b.position() - start == 120, "uma_type_header is 120 bytes");
            for (int j = 0; j < maxcpus; j++) {
                long[] c = z.cpu(j);
                b.putLong(c[0]).putLong(c[1]).putLong(c[2]);                // 0 allocs, 8 frees, 16 cache_free
                b.put(new byte[40]);                                        // 24..63 _ups_reserved[5]
            }
        }
        check(!b.hasRemaining(), "length is 16 + count x (120 + maxcpus x 64)");
        return b.array();
    }

    /**
     * {@code kern.malloc_stats}: a 16-byte {@code malloc_type_stream_header}, then per type a 32-byte name and
     * {@code maxcpus} 64-byte {@code malloc_type_stats}.
     */
    static byte[] malloc(ByteOrder order, int maxcpus, List<MallocType> types) {
        ByteBuffer b = ByteBuffer.allocate(16 + types.size() * (32 + 64 * maxcpus)).order(order);
        b.putInt(1).putInt(maxcpus).putInt(types.size()).putInt(0);         // bytes 0..15 stream header
        for (MallocType t : types) {
            b.put(name32(t.name));                                          // 0..31 mth_name
            for (int j = 0; j < maxcpus; j++) {
                long[] c = t.cpu(j);
                b.putLong(c[0]).putLong(c[1]);                              // 0 memalloced, 8 memfreed
                b.putLong(c[2]).putLong(c[3]);                              // 16 numallocs, 24 numfrees
                b.putLong(c[4]);                                            // 32 mts_size
                b.put(new byte[24]);                                        // 40..63 reserved
            }
        }
        check(!b.hasRemaining(), "length is 16 + count x (32 + maxcpus x 64)");
        return b.array();
    }

    /** A 32-byte name field: the bytes, then zero padding. The caller may pass 32 bytes to omit the NUL. */
    static byte[] name32(byte[] name) {
        check(name.length <= 32, "name fits its field");
        return Arrays.copyOf(name, 32);
    }

    static byte[] ints(ByteOrder order, int... values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(order);
        for (int v : values) {
            b.putInt(v);
        }
        return b.array();
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError(what);
        }
    }
}
