package org.memstat.bench;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
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
 * The floor and ceiling every allocator result is read against, measured in the same run on the
 * same JVM flags (ALLOCATORS.md section 7 item 7): each method does the reference operation
 * "get {@code size} bytes -&gt; write a long -&gt; give them back" by a different means, avgt ns per
 * pair, one plain thread.
 *
 * <ul>
 *   <li>{@link #floorStackPopPush}: the Java floor. A thread-confined LIFO stack of item addresses
 *       ({@code long[]}) over a pre-allocated off-heap region, two plain counters, the write done
 *       through FFM at the raw address. No allocator can beat this in Java; everything a zone costs
 *       above it is design overhead (ALLOCATORS.md section 5, measured 1.0-1.3 ns).</li>
 *   <li>{@link #mallocFreeCritical}: glibc {@code malloc}+{@code free} through FFM downcalls with
 *       {@code Linker.Option.critical(false)} (no thread-state transition): "just call malloc". A
 *       slab allocator slower than this for small items has no reason to exist (8.9-9.6 ns).</li>
 *   <li>{@link #mallocFreePlain}: the same with ordinary downcalls (state transition both ways).</li>
 *   <li>{@link #arenaConfined}: {@code Arena.ofConfined()} + {@code allocate(size)} +
 *       {@code close()}, the FFM-idiomatic way; includes zeroing the segment.</li>
 *   <li>{@link #heapByteArray}: {@code new byte[size]} returned to a Blackhole: TLAB bump +
 *       zeroing + amortised young GC, the cost the JVM pays for garbage (needs the pre-touched,
 *       fixed-size heap of {@link FairFlags} to be stable).</li>
 *   <li>{@link #directByteBufferDropped}: {@code ByteBuffer.allocateDirect(size)} left to the GC
 *       and its Cleaner: the ceiling a pooling allocator exists to avoid (microseconds).</li>
 * </ul>
 *
 * <p>Native memory is written through one "everything" segment ({@code MemorySegment.NULL}
 * reinterpreted to {@code Long.MAX_VALUE} bytes), the way an address-based allocator would, so the
 * write costs the same in every variant; unaligned longs are used so no variant pays an alignment
 * check the others skip.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {FairFlags.XMS, FairFlags.XMX, FairFlags.PRE_TOUCH, FairFlags.GC,
        FairFlags.NATIVE_ACCESS, FairFlags.UNSAFE, FairFlags.OPEN_NIO, FairFlags.NETTY_REFLECTION,
        FairFlags.NETTY_NO_LEAK_DETECTION})
public class BaselineBenchmark {

    /** Items on the floor's stack: enough for a realistic bucket, small enough to stay in L2. */
    static final int STACK_ITEMS = 1024;

    // Restricted methods (reinterpret, downcallHandle) live in Libc; the forks run with --enable-native-access.
    private static final MemorySegment EVERYTHING = Libc.EVERYTHING;
    private static final MethodHandle MALLOC_CRITICAL = Libc.MALLOC_CRITICAL;
    private static final MethodHandle FREE_CRITICAL = Libc.FREE_CRITICAL;
    private static final MethodHandle MALLOC = Libc.downcall("malloc", FunctionDescriptor.of(ADDRESS, JAVA_LONG));
    private static final MethodHandle FREE = Libc.downcall("free", FunctionDescriptor.ofVoid(ADDRESS));

    /** Item size in bytes (256 is the reference item). */
    @Param({"256"})
    public int size;

    private Arena region;
    private long[] stack;
    private int top;
    private long allocs;
    private long frees;
    private long seq;

    /** Creates the state; JMH calls it. */
    public BaselineBenchmark() {
    }

    /** Carves the floor's region into {@value #STACK_ITEMS} items and stacks their addresses. */
    @Setup(Level.Trial)
    public void setUp() {
        ThreadKind.PLAIN.require();
        // Shared, not confined: JMH may run set-up and tear-down on different threads.
        region = Arena.ofShared();
        long base = region.allocate((long) size * STACK_ITEMS, 64).address();
        stack = new long[STACK_ITEMS];
        for (int i = 0; i < STACK_ITEMS; i++) {
            stack[STACK_ITEMS - 1 - i] = base + (long) i * size;
        }
        top = STACK_ITEMS;
    }

    /** Frees the floor's region and checks the counters balanced. */
    @TearDown(Level.Trial)
    public void tearDown() {
        region.close();
        if (allocs != frees || top != STACK_ITEMS) {
            throw new IllegalStateException("floor stack unbalanced: " + allocs + " allocs, " + frees + " frees");
        }
    }

    /**
     * The Java floor: pop an address, write 8 bytes there, push it back, count both.
     *
     * @return the item address (consumed, so the pop cannot be dropped)
     */
    @Benchmark
    public long floorStackPopPush() {
        int t = top;
        if (t == 0) {
            throw new IllegalStateException("floor stack empty");
        }
        long item = stack[--t];
        allocs++;
        EVERYTHING.set(JAVA_LONG_UNALIGNED, item, seq++);
        if (t == STACK_ITEMS) {
            throw new IllegalStateException("floor stack full");
        }
        stack[t++] = item;
        frees++;
        top = t;
        return item;
    }

    /**
     * {@code malloc} + write + {@code free}, critical downcalls.
     *
     * @throws Throwable never in practice (downcall contract)
     */
    @Benchmark
    public void mallocFreeCritical() throws Throwable {
        MemorySegment p = (MemorySegment) MALLOC_CRITICAL.invokeExact((long) size);
        write(p);
        FREE_CRITICAL.invokeExact(p);
    }

    /**
     * {@code malloc} + write + {@code free}, ordinary downcalls.
     *
     * @throws Throwable never in practice (downcall contract)
     */
    @Benchmark
    public void mallocFreePlain() throws Throwable {
        MemorySegment p = (MemorySegment) MALLOC.invokeExact((long) size);
        write(p);
        FREE.invokeExact(p);
    }

    /**
     * A confined arena per item: open, allocate (zeroed), write, close.
     *
     * @return the segment's address
     */
    @Benchmark
    public long arenaConfined() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(size);
            s.set(JAVA_LONG_UNALIGNED, 0, seq++);
            return s.address();
        }
    }

    /**
     * A heap array left to the GC.
     *
     * @return the array (consumed by JMH's Blackhole, so it escapes)
     */
    @Benchmark
    public byte[] heapByteArray() {
        return new byte[size];
    }

    /**
     * A direct ByteBuffer left to the GC and its Cleaner.
     *
     * @return the buffer (consumed, so it escapes)
     */
    @Benchmark
    public ByteBuffer directByteBufferDropped() {
        ByteBuffer b = ByteBuffer.allocateDirect(size);
        b.putLong(0, seq++);
        return b;
    }

    private void write(MemorySegment p) {
        long address = p.address();
        if (address == 0) {
            throw new OutOfMemoryError("malloc(" + size + ") returned NULL");
        }
        EVERYTHING.set(JAVA_LONG_UNALIGNED, address, seq++);
    }
}
