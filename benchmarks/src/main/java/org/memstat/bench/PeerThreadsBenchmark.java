package org.memstat.bench;

import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * Two-thread scaling and producer/consumer (cross-thread free) benchmarks of Netty's allocators
 * on JMH's plain worker threads (no Netty thread cache unless a {@code CacheAllThreads} variant
 * asks for one). The operations and how to read the scores are described in
 * {@link AbstractPeerThreads}; the thread type is checked at set-up and the fair flags come from
 * {@link FairFlags}.
 */
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = {FairFlags.XMS, FairFlags.XMX, FairFlags.PRE_TOUCH, FairFlags.GC,
        FairFlags.NATIVE_ACCESS, FairFlags.UNSAFE, FairFlags.OPEN_NIO, FairFlags.NETTY_REFLECTION,
        FairFlags.NETTY_NO_LEAK_DETECTION})
public class PeerThreadsBenchmark extends AbstractPeerThreads {

    /** Creates the state; JMH calls it. */
    public PeerThreadsBenchmark() {
    }

    @Override
    protected ThreadKind threadKind() {
        return ThreadKind.PLAIN;
    }
}
