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
 * Which number is Netty's event-loop case (see {@link Peers}): for pooled, {@code pooledDirect}
 * (the thread cache is on for FTL threads; the CacheAllThreads variant is a second instance with
 * the same path); for adaptive, {@code adaptiveDirectCacheAllThreads}, because in 4.2.7 the
 * default adaptive instance gives thread-local magazines only to threads inside a Netty executor.
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
