package org.memstat.bench;

import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * Two-thread scaling and producer/consumer (cross-thread free) benchmarks of Netty's allocators
 * on Netty {@code FastThreadLocalThread}s through {@link FastThreadExecutor}, Netty's event-loop
 * case (the handoff consumer frees into another thread's cache). The operations and how to read
 * the scores are described in {@link AbstractPeerThreads}; the thread type is checked at set-up
 * and the fair flags come from {@link FairFlags}.
 */
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = {FairFlags.XMS, FairFlags.XMX, FairFlags.PRE_TOUCH, FairFlags.GC,
        FairFlags.NATIVE_ACCESS, FairFlags.UNSAFE, FairFlags.OPEN_NIO, FairFlags.NETTY_REFLECTION,
        FairFlags.NETTY_NO_LEAK_DETECTION, FairFlags.EXECUTOR_CUSTOM, FairFlags.EXECUTOR_FTL})
public class PeerThreadsFtlBenchmark extends AbstractPeerThreads {

    /** Creates the state; JMH calls it. */
    public PeerThreadsFtlBenchmark() {
    }

    @Override
    protected ThreadKind threadKind() {
        return ThreadKind.FAST_THREAD_LOCAL;
    }
}
