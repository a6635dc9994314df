package org.memstat.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.memstat.daemon.MetricsRenderer;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * memstatd's {@code /metrics} body for a 1,000-zone source: read the source's streams, parse them with
 * memstat-lib, and write the exposition (goal: at most 5 ms), with the daemon's own writer and, as the peer in the
 * same run, with client_java's snapshots and writers (the same bytes). The source is a frozen in-memory snapshot of
 * a real 1,000-zone allocator, so what is measured is the daemon's work, not the allocator moving underneath.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {FairFlags.XMS, FairFlags.XMX, FairFlags.PRE_TOUCH, FairFlags.GC,
        FairFlags.NATIVE_ACCESS})
public class MetricsRenderBenchmark {
    /** Zones in the source. */
    @Param({"1000"})
    public int zones;

    private Uma uma;
    private MetricsRenderer renderer;

    /** Creates the state; JMH calls it. */
    public MetricsRenderBenchmark() {
    }

    /**
     * Builds the allocator and freezes its registry into a snapshot source.
     *
     * @throws Exception if the renderer cannot be built
     */
    @Setup(Level.Trial)
    public void setUp() throws Exception {
        uma = Uma.builder().kmemSize(256L << 20).maxCpus(2).build();
        for (int i = 0; i < zones; i++) {
            Zone z = uma.zcreate(String.format("zone_%04d", i), 64 << (i % 7), null, null, null, null,
                    Uma.ALIGN_PTR, 0);
            for (int k = 0; k < 1 + i % 5; k++) {
                z.alloc(Uma.M_NOWAIT);
            }
        }
        Map<String, byte[]> snap = new HashMap<>();
        for (String oid : List.of("kern.smp.maxid", "kern.smp.maxcpus", "vm.zone_count", "vm.zone_stats")) {
            ByteBuffer b = ByteBuffer.allocate(uma.sysctl().size(oid).size());
            uma.sysctl().read(oid, b);
            snap.put(oid, b.array());
        }
        renderer = MetricsRenderer.of(Map.of("bench", SysctlSource.of(snap)));
    }

    /** Closes the renderer and unmaps the allocator. */
    @TearDown(Level.Trial)
    public void tearDown() {
        renderer.close();
        uma.close();
    }

    /**
     * One Prometheus text exposition.
     *
     * @throws IOException never, the stream discards
     */
    @Benchmark
    public void prometheusText() throws IOException {
        renderer.render(OutputStream.nullOutputStream(), false);
    }

    /**
     * One OpenMetrics exposition.
     *
     * @throws IOException never, the stream discards
     */
    @Benchmark
    public void openMetrics() throws IOException {
        renderer.render(OutputStream.nullOutputStream(), true);
    }

    /**
     * The same Prometheus text through client_java's snapshots and writer (the peer).
     *
     * @throws IOException never, the stream discards
     */
    @Benchmark
    public void prometheusTextClientJava() throws IOException {
        renderer.renderWithClientJava(OutputStream.nullOutputStream(), false);
    }

    /**
     * The same OpenMetrics text through client_java's snapshots and writer (the peer).
     *
     * @throws IOException never, the stream discards
     */
    @Benchmark
    public void openMetricsClientJava() throws IOException {
        renderer.renderWithClientJava(OutputStream.nullOutputStream(), true);
    }
}
