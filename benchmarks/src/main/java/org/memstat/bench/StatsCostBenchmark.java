package org.memstat.bench;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What counting costs on a pop/push fast path: the same thread-confined LIFO pair with no counters, with the
 * two opaque counter stores uma-core's per-thread caches do ({@code allocs}, {@code frees}), and with two
 * atomic {@code getAndAdd}s (what a shared counter would need). The difference between the first two is the
 * statistics cost of the zone fast path (goal: at most 1 ns per operation).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {FairFlags.XMS, FairFlags.XMX, FairFlags.PRE_TOUCH, FairFlags.GC})
public class StatsCostBenchmark {
    private static final VarHandle ALLOCS;
    private static final VarHandle FREES;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            ALLOCS = l.findVarHandle(StatsCostBenchmark.class, "allocs", long.class);
            FREES = l.findVarHandle(StatsCostBenchmark.class, "frees", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final long[] stack = new long[64];
    private int top = 32;
    private long allocs;
    private long frees;

    /** Creates the state; JMH calls it. */
    public StatsCostBenchmark() {
        for (int i = 0; i < stack.length; i++) {
            stack[i] = 4096L * (i + 1);
        }
    }

    /**
     * Pop and push, no counting.
     *
     * @return the item
     */
    @Benchmark
    public long noCounters() {
        long item = stack[--top];
        stack[top++] = item;
        return item;
    }

    /**
     * Pop and push with two opaque counter stores, as uma-core's fast path.
     *
     * @return the item
     */
    @Benchmark
    public long opaqueCounters() {
        long item = stack[--top];
        ALLOCS.setOpaque(this, allocs + 1);
        stack[top++] = item;
        FREES.setOpaque(this, frees + 1);
        return item;
    }

    /**
     * Pop and push with two atomic adds.
     *
     * @return the item
     */
    @Benchmark
    public long atomicCounters() {
        long item = stack[--top];
        ALLOCS.getAndAdd(this, 1L);
        stack[top++] = item;
        FREES.getAndAdd(this, 1L);
        return item;
    }
}
