package org.memstat.bench;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.memstat.lib.MemoryTypeList;
import org.memstat.lib.MemstatException;
import org.memstat.lib.SysctlSource;
import org.memstat.uma.Uma;
import org.memstat.uma.Zone;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * memstat-lib: parse a {@code vm.zone_stats} stream of {@code zones} x 64 CPU slots and refresh a warm
 * {@link MemoryTypeList} in place (goal: at least 1 GB/s for 1,000 zones, about 4.2 MB, and no allocation per
 * zone once warm: run with {@code -prof gc}). The stream was written by uma-core for a real allocator and is
 * served from memory, so the parser and the list are what is measured. Throughput = stream bytes / avgt.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {FairFlags.XMS, FairFlags.XMX, FairFlags.PRE_TOUCH, FairFlags.GC,
        FairFlags.NATIVE_ACCESS})
public class RefreshBenchmark {
    /** Zones in the stream. */
    @Param({"1000"})
    public int zones;

    private SysctlSource source;
    private MemoryTypeList list;
    /** The stream's length in bytes, printed at set-up to turn avgt into bytes per second. */
    public int streamBytes;

    /** Creates the state; JMH calls it. */
    public RefreshBenchmark() {
    }

    /**
     * Writes the stream with uma-core once and warms the list.
     *
     * @throws MemstatException if the first refresh fails
     */
    @Setup(Level.Trial)
    public void setUp() throws MemstatException {
        Map<String, byte[]> snap = new HashMap<>();
        try (Uma uma = Uma.builder().kmemSize(1L << 30).maxCpus(64).build()) {
            for (int i = 0; i < zones; i++) {
                Zone z = uma.zcreate(String.format("zone_%04d", i), 64 + 16 * (i % 64), null, null, null, null,
                        Uma.ALIGN_PTR, 0);
                z.free(z.alloc(Uma.M_WAITOK));
            }
            for (String oid : List.of("kern.smp.maxid", "kern.smp.maxcpus", "vm.zone_count", "vm.zone_stats")) {
                ByteBuffer b = ByteBuffer.allocate(uma.sysctl().size(oid).size());
                uma.sysctl().read(oid, b);
                snap.put(oid, b.array());
            }
        }
        streamBytes = snap.get("vm.zone_stats").length;
        System.out.println("vm.zone_stats: " + streamBytes + " bytes");
        source = SysctlSource.of(snap);
        list = new MemoryTypeList();
        list.refreshUma(source);
    }

    /**
     * One refresh in place.
     *
     * @return the list
     * @throws MemstatException never: the stream is valid
     */
    @Benchmark
    public MemoryTypeList refreshUma() throws MemstatException {
        list.refreshUma(source);
        return list;
    }
}
