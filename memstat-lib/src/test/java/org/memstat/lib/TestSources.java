package org.memstat.lib;

import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.memstat.lib.SysctlException.Errno;

/** Sources for tests: a kernel-like snapshot with every scalar present, and one that injects errors. */
final class TestSources {
    private TestSources() {
    }

    /**
     * Values as a FreeBSD kernel of byte order {@code o} serves them: both streams plus explicit scalars (so
     * nothing is derived). The scalar values are placeholders; a refresh reads them only for libmemstat's error
     * mapping, except the malloc zone table.
     */
    static Map<String, byte[]> kernel(ByteOrder o, byte[] zoneStats, byte[] mallocStats) {
        Map<String, byte[]> m = new HashMap<>();
        m.put("kern.smp.maxid", StreamEncoder.ints(o, 1));
        m.put("vm.zone_count", StreamEncoder.ints(o, 5));
        m.put("kern.smp.maxcpus", StreamEncoder.ints(o, 2));
        m.put("kern.malloc_count", StreamEncoder.ints(o, 3));
        m.put("vm.malloc.zone_count", StreamEncoder.ints(o, 14));
        m.put("vm.malloc.zone_sizes", StreamEncoder.ints(o,
                16, 32, 64, 128, 256, 384, 512, 1024, 2048, 4096, 8192, 16384, 32768, 65536));
        if (zoneStats != null) {
            m.put(GoldenStreams.ZONE_STATS, zoneStats);
        }
        if (mallocStats != null) {
            m.put(GoldenStreams.MALLOC_STATS, mallocStats);
        }
        return m;
    }

    /** A kernel whose streams are golden directory {@code dir}'s, with {@code oid} replaced by {@code value}. */
    static SysctlSource goldenWith(String dir, String oid, byte[] value) {
        Map<String, byte[]> g = GoldenStreams.generate(dir);
        ByteOrder o = dir.startsWith("be") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        Map<String, byte[]> m = kernel(o, g.get(GoldenStreams.ZONE_STATS), g.get(GoldenStreams.MALLOC_STATS));
        m.put(oid, value);
        return SysctlSource.of(m);
    }

    /** A snapshot that fails chosen OIDs with chosen errnos, a number of times, and counts every read. */
    static final class Scripted implements SysctlSource {
        private final SysctlSource values;
        private final Map<String, Errno> errors = new ConcurrentHashMap<>();
        private final Map<String, AtomicInteger> remaining = new ConcurrentHashMap<>();
        final Map<String, AtomicInteger> reads = new ConcurrentHashMap<>();

        Scripted(Map<String, byte[]> values) {
            this.values = SysctlSource.of(values);
        }

        /** Fails reads of {@code oid} with {@code errno}, the next {@code times} times (-1: always). */
        Scripted fail(String oid, Errno errno, int times) {
            errors.put(oid, errno);
            remaining.put(oid, new AtomicInteger(times));
            return this;
        }

        int reads(String oid) {
            AtomicInteger n = reads.get(oid);
            return n == null ? 0 : n.get();
        }

        private void maybeFail(String oid) throws SysctlException {
            reads.computeIfAbsent(oid, k -> new AtomicInteger()).incrementAndGet();
            Errno e = errors.get(oid);
            if (e != null && remaining.get(oid).getAndDecrement() != 0) {
                throw new SysctlException(oid, e, "injected by the test");
            }
        }

        @Override
        public byte[] read(String oid) throws SysctlException {
            maybeFail(oid);
            return values.read(oid);
        }

        @Override
        public int readInt(String oid) throws SysctlException {
            maybeFail(oid);
            return values.readInt(oid);
        }

        @Override
        public String uri() {
            return "scripted:";
        }
    }
}
