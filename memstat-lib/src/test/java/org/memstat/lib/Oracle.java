package org.memstat.lib;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import org.memstat.lib.StreamEncoder.MallocType;
import org.memstat.lib.StreamEncoder.Zone;

/**
 * What libmemstat derives from one record, computed in test code straight from reference §3.4/§3.5 (products
 * and the 32-bit byteslimit through {@link BigInteger}), to compare a parsed {@link MemoryType} against.
 *
 * <p>Reusable for the uma-core cross-check: describe a uma-core zone as a {@link Zone} (or compute an
 * {@link Expected} from its {@code ZoneStats}), parse uma-core's written stream, and call {@link #check}.
 */
final class Oracle {
    private Oracle() {
    }

    private static final BigInteger MOD64 = BigInteger.ONE.shiftLeft(64);
    private static final BigInteger MOD32 = BigInteger.ONE.shiftLeft(32);

    /** Every observable value of one type; per-CPU arrays are indexed by CPU. */
    record Expected(Allocator allocator, String name, long size, long rsize, long countLimit, long bytesLimit,
            long sizeMask, long memAlloced, long memFreed, long numAllocs, long numFrees, long bytes, long count,
            long free, long failures, long sleeps, long xdomain, long zoneFree, long kegFree, long[] pcMemAlloced,
            long[] pcMemFreed, long[] pcNumAllocs, long[] pcNumFrees, long[] pcSizeMask, long[] pcFree) {
    }

    private static long u(int v) {
        return Integer.toUnsignedLong(v);
    }

    private static long times(long a, long b) {
        return new BigInteger(Long.toUnsignedString(a)).multiply(BigInteger.valueOf(b)).mod(MOD64).longValue();
    }

    static Expected uma(Zone z, int cpus) {
        long allocs = z.allocs;
        long frees = z.frees;
        long cacheFree = 0;
        long[] pcFree = new long[cpus];
        for (int j = 0; j < cpus; j++) {
            long[] c = z.cpu(j);
            allocs += c[0];
            frees += c[1];
            cacheFree += c[2];
            pcFree[j] = c[2];
        }
        if (Long.compareUnsigned(allocs, frees) < 0) {
            allocs = frees;
        }
        boolean secondary = (z.flags & 1) != 0;
        long kegFree = secondary ? 0 : u(z.kegFree);
        long size = u(z.size);
        long bytesLimit = BigInteger.valueOf(u(z.limit)).multiply(BigInteger.valueOf(size)).mod(MOD32).longValue();
        long memAlloced = times(allocs, size);
        long memFreed = times(frees, size);
        return new Expected(Allocator.UMA, name(z.name), size, u(z.rsize), u(z.limit), bytesLimit, 0, memAlloced,
                memFreed, allocs, frees, memAlloced - memFreed, allocs - frees, cacheFree + u(z.zoneFree) + kegFree,
                z.fails, z.sleeps, z.xdomain, u(z.zoneFree), kegFree, new long[cpus], new long[cpus], new long[cpus],
                new long[cpus], new long[cpus], pcFree);
    }

    static Expected malloc(MallocType t, int cpus) {
        long[][] pc = new long[5][cpus];
        long[] sum = new long[5];
        for (int j = 0; j < cpus; j++) {
            long[] c = t.cpu(j);
            for (int f = 0; f < 5; f++) {
                pc[f][j] = c[f];
                sum[f] = f == 4 ? sum[f] | c[f] : sum[f] + c[f];
            }
        }
        return new Expected(Allocator.MALLOC, name(t.name), 0, 0, 0, 0, sum[4], sum[0], sum[1], sum[2], sum[3],
                sum[0] - sum[1], sum[2] - sum[3], 0, 0, 0, 0, 0, 0, pc[0], pc[1], pc[2], pc[3], pc[4], new long[cpus]);
    }

    private static String name(byte[] field) {
        int n = 0;
        while (n < field.length && field[n] != 0) {
            n++;
        }
        return new String(field, 0, n, StandardCharsets.UTF_8);
    }

    /** Throws an {@link AssertionError} naming the first field where {@code t} differs from {@code e}. */
    static void check(MemoryType t, Expected e) {
        same(t, "allocator", t.allocator().code(), e.allocator().code());
        if (!t.name().equals(e.name())) {
            throw new AssertionError("name " + t.name() + " != " + e.name());
        }
        long[] actual = {t.size(), t.rsize(), t.countLimit(), t.bytesLimit(), t.sizeMask(), t.memAlloced(),
            t.memFreed(), t.numAllocs(), t.numFrees(), t.bytes(), t.count(), t.free(), t.failures(), t.sleeps(),
            t.xdomain(), t.zoneFree(), t.kegFree()};
        long[] expected = {e.size(), e.rsize(), e.countLimit(), e.bytesLimit(), e.sizeMask(), e.memAlloced(),
            e.memFreed(), e.numAllocs(), e.numFrees(), e.bytes(), e.count(), e.free(), e.failures(), e.sleeps(),
            e.xdomain(), e.zoneFree(), e.kegFree()};
        String[] names = {"size", "rsize", "countlimit", "byteslimit", "sizemask", "memalloced", "memfreed",
            "numallocs", "numfrees", "bytes", "count", "free", "failures", "sleeps", "xdomain", "zonefree",
            "kegfree"};
        for (int i = 0; i < names.length; i++) {
            same(t, names[i], actual[i], expected[i]);
        }
        same(t, "cpuCount", t.cpuCount(), e.pcFree().length);
        for (int c = 0; c < t.cpuCount(); c++) {
            same(t, "percpu memalloced " + c, t.percpuMemAlloced(c), e.pcMemAlloced()[c]);
            same(t, "percpu memfreed " + c, t.percpuMemFreed(c), e.pcMemFreed()[c]);
            same(t, "percpu numallocs " + c, t.percpuNumAllocs(c), e.pcNumAllocs()[c]);
            same(t, "percpu numfrees " + c, t.percpuNumFrees(c), e.pcNumFrees()[c]);
            same(t, "percpu sizemask " + c, t.percpuSizeMask(c), e.pcSizeMask()[c]);
            same(t, "percpu free " + c, t.percpuFree(c), e.pcFree()[c]);
        }
    }

    private static void same(MemoryType t, String field, long actual, long expected) {
        if (actual != expected) {
            throw new AssertionError(t + ": " + field + " is " + Long.toUnsignedString(actual) + ", expected "
                    + Long.toUnsignedString(expected));
        }
    }
}
