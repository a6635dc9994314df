package org.memstat.lib;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.memstat.lib.SysctlException.Errno;

/**
 * Reads the OIDs of one libmemstat query from a source, in libmemstat's order and with its error mapping
 * (reference §3.4 steps 1-4, §3.5 steps 1-3), but with a bounded retry.
 *
 * <p>The scalar OIDs ({@code kern.smp.maxid}, {@code vm.zone_count}, ...) are read although parsing needs only
 * the stream headers: libmemstat reads them first, so a source that cannot serve them fails here as FreeBSD's
 * library would. Their values are not used; per-CPU arrays are sized from the stream header instead.
 */
final class Fetch {
    private Fetch() {
    }

    /** Attempts at reading a stream that keeps changing size (libmemstat retries forever). */
    static final int MAX_ATTEMPTS = 8;
    /** libmemstat's bound on {@code vm.malloc.zone_count} (its zone size table has 32 slots). */
    static final int MAX_MALLOC_ZONES = 32;

    /**
     * What a malloc query read: the stream and the raw zone table ({@code vm.malloc.zone_count} and
     * {@code vm.malloc.zone_sizes}), decoded by {@link #zoneTable} once the stream's byte order is known, because
     * a source that is not in this process cannot know the producer's order before it has seen a stream.
     */
    record Malloc(byte[] stream, byte[] zoneCount, byte[] zoneSizes) {
    }

    static byte[] uma(SysctlSource s) throws MemstatException {
        for (int attempt = 1; ; attempt++) {
            scalar(s, "kern.smp.maxid", MemstatError.DATAERROR);
            scalar(s, "vm.zone_count", MemstatError.VERSION);
            try {
                return s.read(StreamKind.UMA.oid);
            } catch (SysctlException e) {
                if (e.errno() != Errno.ENOMEM || attempt == MAX_ATTEMPTS) {
                    throw streamFailure(s, e);
                }
            }
        }
    }

    static Malloc malloc(SysctlSource s) throws MemstatException {
        for (int attempt = 1; ; attempt++) {
            scalar(s, "kern.smp.maxcpus", MemstatError.DATAERROR);
            scalar(s, "kern.malloc_count", MemstatError.VERSION);
            byte[] zoneCount;
            byte[] zoneSizes;
            try {
                zoneCount = s.read("vm.malloc.zone_count");
                zoneSizes = s.read("vm.malloc.zone_sizes");
            } catch (SysctlException e) {
                // memstat_malloc_zone_init reports every failure, even a permission error, as VERSION.
                throw new MemstatException(MemstatError.VERSION, e.reason(), s.uri(), e.oid(), -1, -1, e);
            }
            try {
                return new Malloc(s.read(StreamKind.MALLOC.oid), zoneCount, zoneSizes);
            } catch (SysctlException e) {
                if (e.errno() != Errno.ENOMEM || attempt == MAX_ATTEMPTS) {
                    throw streamFailure(s, e);
                }
            }
        }
    }

    /**
     * Reads an optional stream such as {@code vm.zone_samples}: {@code null} when the source has no such OID
     * ({@code ENOENT}, as a FreeBSD dump), a value that keeps changing size retried as {@link #uma} retries it,
     * and other failures mapped as a stream's (permission errors PERMISSION, the rest VERSION).
     */
    static byte[] optional(SysctlSource s, String oid) throws MemstatException {
        for (int attempt = 1; ; attempt++) {
            try {
                return s.read(oid);
            } catch (SysctlException e) {
                if (e.errno() == Errno.ENOENT) {
                    return null;
                }
                if (e.errno() != Errno.ENOMEM || attempt == MAX_ATTEMPTS) {
                    throw streamFailure(s, e);
                }
            }
        }
    }

    /**
     * Decodes the zone table of {@code m} in {@code order} into {@code sizes} (zeros past the count) and returns
     * the count; every problem is VERSION, as in {@code memstat_malloc_zone_init}.
     */
    static int zoneTable(Malloc m, ByteOrder order, int[] sizes, String uri) throws MemstatException {
        if (m.zoneCount().length != 4) {
            throw new MemstatException(MemstatError.VERSION, "value is " + m.zoneCount().length
                    + " bytes, not a 4-byte int", uri, "vm.malloc.zone_count", -1, -1, null);
        }
        ByteBuffer count = ByteBuffer.wrap(m.zoneCount()).order(order);
        long n = Integer.toUnsignedLong(count.getInt(0));
        if (n > MAX_MALLOC_ZONES) {
            throw new MemstatException(MemstatError.VERSION, "value is " + n + ", more than " + MAX_MALLOC_ZONES,
                    uri, "vm.malloc.zone_count", -1, -1, null);
        }
        if (m.zoneSizes().length < 4 * n) {
            throw new MemstatException(MemstatError.VERSION, "value is " + m.zoneSizes().length
                    + " bytes, too short for " + n + " ints", uri, "vm.malloc.zone_sizes", m.zoneSizes().length, -1,
                    null);
        }
        ByteBuffer table = ByteBuffer.wrap(m.zoneSizes()).order(order);
        for (int i = 0; i < sizes.length; i++) {
            sizes[i] = i < n ? table.getInt(4 * i) : 0;
        }
        return (int) n;
    }

    /** Reads an int scalar: permission errors, a wrong size (EINVAL) as DATAERROR, anything else as {@code other}. */
    private static void scalar(SysctlSource s, String oid, MemstatError other) throws MemstatException {
        try {
            s.readInt(oid);
        } catch (SysctlException e) {
            throw failure(e.errno() == Errno.EINVAL ? MemstatError.DATAERROR : other, s, e);
        }
    }

    private static MemstatException streamFailure(SysctlSource s, SysctlException e) {
        if (e.errno() == Errno.ENOMEM) {
            return new MemstatException(MemstatError.NOMEMORY, "value changed size on " + MAX_ATTEMPTS
                    + " consecutive reads (" + e.reason() + ")", s.uri(), e.oid(), -1, -1, e);
        }
        return failure(MemstatError.VERSION, s, e);
    }

    private static MemstatException failure(MemstatError other, SysctlSource s, SysctlException e) {
        boolean denied = e.errno() == Errno.EACCES || e.errno() == Errno.EPERM;
        return new MemstatException(denied ? MemstatError.PERMISSION : other, e.reason(), s.uri(), e.oid(),
                -1, -1, e);
    }
}
