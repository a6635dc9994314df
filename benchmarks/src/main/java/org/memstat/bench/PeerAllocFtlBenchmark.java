package org.memstat.bench;

import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * The same Netty alloc/write/release pairs as {@link PeerAllocBenchmark}, but with JMH's workers
 * being Netty {@code FastThreadLocalThread}s (through {@link FastThreadExecutor}): Netty's best
 * case, the thread type its event loops run on, and the number a zone allocator must be compared
 * against (ALLOCATORS.md section 7 item 1).
 *
 * <p>The executor is selected by JVM-wide system properties, so this class has its own
 * {@code @Fork(jvmArgsAppend)} adding them to the fair flags; the thread type is verified at set-up.
 * On these threads the {@code CacheAllThreads} variants should match their plain counterparts (the
 * cache is on either way); a gap would point at a measurement problem.
 */
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = {FairFlags.XMS, FairFlags.XMX, FairFlags.PRE_TOUCH, FairFlags.GC,
        FairFlags.NATIVE_ACCESS, FairFlags.UNSAFE, FairFlags.OPEN_NIO, FairFlags.NETTY_REFLECTION,
        FairFlags.NETTY_NO_LEAK_DETECTION, FairFlags.EXECUTOR_CUSTOM, FairFlags.EXECUTOR_FTL})
public class PeerAllocFtlBenchmark extends AbstractPeerAlloc {

    /** Creates the state; JMH calls it. */
    public PeerAllocFtlBenchmark() {
    }

    @Override
    protected ThreadKind threadKind() {
        return ThreadKind.FAST_THREAD_LOCAL;
    }
}
