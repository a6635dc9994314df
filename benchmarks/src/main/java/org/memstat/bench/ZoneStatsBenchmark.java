package org.memstat.bench;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;
import org.memstat.uma.Uma;
import org.memstat.uma.Zone;
import org.memstat.uma.sysctl.SysctlResult;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Producing {@code vm.zone_stats} through the registry ({@code sysctl.read} into a caller buffer) for a
 * {@code zones} x 64-CPU-slot allocator whose zones each have a live cache, warm (goal: 100 zones in at most
 * 25 us, 1,000 zones in at most 1 ms). Each zone had one allocation made, so every zone walks a real cache.
 *
 * <p>{@link #zoneStats()} is the cost a reader pays (the stream written straight into its direct buffer);
 * {@link #zoneStatsSizeQuery()} runs the same producer and writer into the writer's pooled heap buffer and delivers
 * nothing, which separates writing the stream from delivering it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {FairFlags.XMS, FairFlags.XMX, FairFlags.PRE_TOUCH, FairFlags.GC,
        FairFlags.NATIVE_ACCESS})
public class ZoneStatsBenchmark {
    /** Number of user zones (the 8 bucket zones come on top). */
    @Param({"100", "1000"})
    public int zones;

    private Uma uma;
    private ByteBuffer buffer;

    /** Creates the state; JMH calls it. */
    public ZoneStatsBenchmark() {
    }

    /** Builds the allocator and its zones. */
    @Setup(Level.Trial)
    public void setUp() {
        uma = Uma.builder().kmemSize(4L << 30).maxCpus(64).build();
        for (int i = 0; i < zones; i++) {
            Zone z = uma.zcreate("zone_" + i, 64 + 16 * (i % 32), null, null, null, null, Uma.ALIGN_PTR, 0);
            z.free(z.alloc(Uma.M_WAITOK));
        }
        buffer = ByteBuffer.allocateDirect(uma.sysctl().size("vm.zone_stats").size() + 65536)
                .order(ByteOrder.nativeOrder());
    }

    /** Unmaps the allocator's memory. */
    @TearDown(Level.Trial)
    public void tearDown() {
        uma.close();
    }

    /**
     * One {@code sysctl vm.zone_stats} read.
     *
     * @return the read's result
     */
    @Benchmark
    public SysctlResult zoneStats() {
        buffer.clear();
        return uma.sysctl().read("vm.zone_stats", buffer);
    }

    /**
     * One {@code sysctl vm.zone_stats} size query: the whole stream is produced into the writer's own buffer and
     * only its length is returned (the writer-only cost).
     *
     * @return the query's result
     */
    @Benchmark
    public SysctlResult zoneStatsSizeQuery() {
        return uma.sysctl().size("vm.zone_stats");
    }
}
