package org.memstat.cli;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A test-side encoder of FreeBSD's two statistics streams, written from the reference tables (freebsd-uma.md
 * §1.2-§1.4 and §2), independent of uma-core's writer and memstat-lib's parser.
 *
 * <pre>
 * vm.zone_stats:     header 16 = version u32 | maxcpus u32 | count u32 | pad u32
 *                    record    = uma_type_header 120 | maxcpus x uma_percpu_stat 64
 * uma_type_header:   name[32] | align size rsize maxpages limit pages keg_free zone_free bucketsize flags (u32 each)
 *                    | allocs frees fails sleeps xdomain reserved (u64 each)
 * uma_percpu_stat:   allocs frees cache_free (u64) | reserved 40
 * kern.malloc_stats: header 16 as above; record = name[32] | maxcpus x malloc_type_stats 64
 * malloc_type_stats: memalloced memfreed numallocs numfrees size (u64) | reserved 24
 * </pre>
 */
final class TestStreams {
    private TestStreams() {
    }

    static final int UTH_ZONE_SECONDARY = 1;

    /** One zone record. */
    static final class Zone {
        final String name;
        long size;
        long limit;
        long kegFree;
        long zoneFree;
        long flags;
        long allocs;
        long frees;
        long fails;
        long sleeps;
        long xdomain;
        final long[][] cpu;

        Zone(String name, int maxcpus) {
            this.name = name;
            this.cpu = new long[maxcpus][3];
        }

        Zone size(long v) { size = v; return this; }
        Zone limit(long v) { limit = v; return this; }
        Zone kegFree(long v) { kegFree = v; return this; }
        Zone zoneFree(long v) { zoneFree = v; return this; }
        Zone secondary() { flags = UTH_ZONE_SECONDARY; return this; }
        Zone allocs(long v) { allocs = v; return this; }
        Zone frees(long v) { frees = v; return this; }
        Zone fails(long v) { fails = v; return this; }
        Zone sleeps(long v) { sleeps = v; return this; }
        Zone xdomain(long v) { xdomain = v; return this; }

        /** Per-CPU allocs, frees and cache_free of CPU {@code i}. */
        Zone cpu(int i, long a, long f, long cacheFree) {
            cpu[i][0] = a;
            cpu[i][1] = f;
            cpu[i][2] = cacheFree;
            return this;
        }
    }

    /** A vm.zone_stats stream under construction; records in stream order. */
    static final class Uma {
        final int maxcpus;
        final List<Zone> zones = new ArrayList<>();

        Uma(int maxcpus) {
            this.maxcpus = maxcpus;
        }

        Zone zone(String name) {
            Zone z = new Zone(name, maxcpus);
            zones.add(z);
            return z;
        }

        byte[] bytes(ByteOrder order) {
            ByteBuffer b = ByteBuffer.allocate(16 + zones.size() * (120 + maxcpus * 64)).order(order);
            b.putInt(1).putInt(maxcpus).putInt(zones.size()).putInt(0);
            for (Zone z : zones) {
                name(b, z.name);
                b.putInt(0).putInt((int) z.size).putInt((int) z.size).putInt(0).putInt((int) z.limit).putInt(0)
                        .putInt((int) z.kegFree).putInt((int) z.zoneFree).putInt(0).putInt((int) z.flags);
                b.putLong(z.allocs).putLong(z.frees).putLong(z.fails).putLong(z.sleeps).putLong(z.xdomain)
                        .putLong(0);
                for (long[] c : z.cpu) {
                    b.putLong(c[0]).putLong(c[1]).putLong(c[2]).put(new byte[40]);
                }
            }
            return b.array();
        }
    }

    /** One malloc type: per-CPU memalloced, memfreed, numallocs, numfrees, size mask. */
    static final class Type {
        final String name;
        final long[][] cpu;

        Type(String name, int maxcpus) {
            this.name = name;
            this.cpu = new long[maxcpus][5];
        }

        Type cpu(int i, long memalloced, long memfreed, long numallocs, long numfrees, long sizeMask) {
            cpu[i] = new long[] {memalloced, memfreed, numallocs, numfrees, sizeMask};
            return this;
        }
    }

    /** A kern.malloc_stats stream under construction. */
    static final class Malloc {
        final int maxcpus;
        final List<Type> types = new ArrayList<>();

        Malloc(int maxcpus) {
            this.maxcpus = maxcpus;
        }

        Type type(String name) {
            Type t = new Type(name, maxcpus);
            types.add(t);
            return t;
        }

        byte[] bytes(ByteOrder order) {
            ByteBuffer b = ByteBuffer.allocate(16 + types.size() * (32 + maxcpus * 64)).order(order);
            b.putInt(1).putInt(maxcpus).putInt(types.size()).putInt(0);
            for (Type t : types) {
                name(b, t.name);
                for (long[] c : t.cpu) {
                    b.putLong(c[0]).putLong(c[1]).putLong(c[2]).putLong(c[3]).putLong(c[4]).put(new byte[24]);
                }
            }
            return b.array();
        }
    }

    private static void name(ByteBuffer b, String name) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        if (n.length > 31) {
            throw new IllegalArgumentException("name longer than 31 bytes: " + name);
        }
        b.put(n).put(new byte[32 - n.length]);
    }

    /** Ints in {@code order}, as a scalar OID's raw value. */
    static byte[] ints(ByteOrder order, int... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(order);
        for (int i : v) {
            b.putInt(i);
        }
        return b.array();
    }

    /** Longs in {@code order} ({@code struct sfstat}). */
    static byte[] longs(ByteOrder order, long... v) {
        ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(order);
        for (long l : v) {
            b.putLong(l);
        }
        return b.array();
    }
}
