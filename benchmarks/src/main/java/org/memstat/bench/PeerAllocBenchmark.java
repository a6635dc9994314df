package org.memstat.bench;

import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * Netty's allocators on JMH's plain worker threads: alloc {@code size} bytes direct, write a long,
 * release; avgt ns per pair (see {@link AbstractPeerAlloc} for the operation).
 *
 * <p>Why plain threads at all: a zone allocator serves any thread, so this is the case an
 * application thread (not an event loop) sees. Pooled Netty has no thread cache here unless
 * {@code pooledDirectCacheAllThreads} turns it on, and adaptive Netty always uses its shared
 * magazines on plain threads (both adaptive variants take the same path, see {@link Peers}).
 * ALLOCATORS.md section 0 reports a 2x swing from the thread type alone, which is why
 * {@link PeerAllocFtlBenchmark} measures the same methods on Netty's own thread type in the same
 * run. Fair flags: {@link FairFlags}.
 */
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = {FairFlags.XMS, FairFlags.XMX, FairFlags.PRE_TOUCH, FairFlags.GC,
        FairFlags.NATIVE_ACCESS, FairFlags.UNSAFE, FairFlags.OPEN_NIO, FairFlags.NETTY_REFLECTION,
        FairFlags.NETTY_NO_LEAK_DETECTION})
public class PeerAllocBenchmark extends AbstractPeerAlloc {

    /** Creates the state; JMH calls it. */
    public PeerAllocBenchmark() {
    }

    @Override
    protected ThreadKind threadKind() {
        return ThreadKind.PLAIN;
    }
}
