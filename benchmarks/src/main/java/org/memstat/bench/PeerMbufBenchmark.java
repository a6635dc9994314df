package org.memstat.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Netty's nearest equivalents of FreeBSD's packet allocation {@code m_getcl(M_NOWAIT, MT_DATA,
 * M_PKTHDR)} + {@code m_freem(m)}: an mbuf header of {@code MSIZE} = 256 bytes with a
 * {@code MCLBYTES} = 2048-byte cluster attached, freed as a chain. avgt ns per packet (alloc both
 * parts, write 8 bytes into each, free), one thread.
 *
 * <p>What FreeBSD does (reference/freebsd-uma.md section 6): {@code m_getcl} allocates from the
 * {@code mbuf_packet} zone, a secondary zone of the mbuf keg whose cached items are mbufs with a
 * cluster already attached ({@code mb_zinit_pack} takes the cluster from {@code mbuf_cluster} when
 * an mbuf enters the packet zone's cache, the ctor only sets up the header). {@code m_freem} walks
 * the {@code m_next} chain and returns an {@code EXT_PACKET} mbuf to the packet zone whole. So in
 * steady state a packet is ONE per-CPU-cache alloc and ONE free of a pre-paired item; the mbuf and
 * cluster zones are touched separately only when the packet cache misses.
 *
 * <p>Netty has no pre-paired secondary zone, so three mappings are measured:
 * <ul>
 *   <li>{@code *MbufPlusCluster}: a 256-byte header buffer and a 2048-byte data buffer, allocated
 *       and released together: FreeBSD's cache-miss path ({@code m_gethdr} + {@code m_clget}), and
 *       what a Netty codec does when it keeps header and payload apart.</li>
 *   <li>{@code pooledCompositeChain}: the same two buffers linked in a {@code CompositeByteBuf}
 *       and freed by one {@code release()}, the closest thing to {@code m_freem} walking a chain;
 *       it adds the composite object and its component array (heap garbage per packet).</li>
 *   <li>{@code *Packet2304}: one 2304-byte buffer holding header and data, the same footprint
 *       as a packet-zone item with one alloc and one free: the fairest match for the steady-state
 *       {@code m_getcl}. The adaptive allocator has a 2304-byte size class; the pooled one rounds
 *       up to its next class (2560).</li>
 * </ul>
 *
 * <p>Runs on FastThreadLocalThreads: Netty allocates packets on its event loops, so this is its
 * realistic best case (fair flags plus executor from {@link FairFlags}; checked at set-up).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {FairFlags.XMS, FairFlags.XMX, FairFlags.PRE_TOUCH, FairFlags.GC,
        FairFlags.NATIVE_ACCESS, FairFlags.UNSAFE, FairFlags.OPEN_NIO, FairFlags.NETTY_REFLECTION,
        FairFlags.NETTY_NO_LEAK_DETECTION, FairFlags.EXECUTOR_CUSTOM, FairFlags.EXECUTOR_FTL})
public class PeerMbufBenchmark {

    /** FreeBSD's {@code MSIZE}: an mbuf, header included. */
    static final int MSIZE = 256;
    /** FreeBSD's {@code MCLBYTES}: a standard cluster. */
    static final int MCLBYTES = 2048;

    private long seq;

    /** Creates the state; JMH calls it. */
    public PeerMbufBenchmark() {
    }

    /** Fails the trial unless JMH's workers are FastThreadLocalThreads. */
    @Setup(Level.Trial)
    public void checkThread() {
        ThreadKind.FAST_THREAD_LOCAL.require();
    }

    /**
     * Pooled: header buffer + cluster buffer.
     *
     * @return whether the header was deallocated
     */
    @Benchmark
    public boolean pooledMbufPlusCluster() {
        return pair(Peers.POOLED);
    }

    /**
     * Adaptive: header buffer + cluster buffer.
     *
     * @return whether the header was deallocated
     */
    @Benchmark
    public boolean adaptiveMbufPlusCluster() {
        return pair(Peers.ADAPTIVE);
    }

    /**
     * Pooled: header and cluster chained in a composite buffer, freed by one release.
     *
     * @return whether the composite was deallocated
     */
    @Benchmark
    public boolean pooledCompositeChain() {
        ByteBuf header = Peers.POOLED.directBuffer(MSIZE);
        ByteBuf cluster = Peers.POOLED.directBuffer(MCLBYTES);
        long v = seq++;
        header.writeLong(v);
        cluster.writeLong(v);
        CompositeByteBuf chain = Peers.POOLED.compositeDirectBuffer(2);
        chain.addComponent(true, header);
        chain.addComponent(true, cluster);
        return chain.release();
    }

    /**
     * Pooled: one buffer with the footprint of a packet-zone item.
     *
     * @return whether the buffer was deallocated
     */
    @Benchmark
    public boolean pooledPacket2304() {
        return packet(Peers.POOLED);
    }

    /**
     * Adaptive: one buffer with the footprint of a packet-zone item.
     *
     * @return whether the buffer was deallocated
     */
    @Benchmark
    public boolean adaptivePacket2304() {
        return packet(Peers.ADAPTIVE);
    }

    private boolean pair(ByteBufAllocator allocator) {
        ByteBuf header = allocator.directBuffer(MSIZE);
        ByteBuf cluster = allocator.directBuffer(MCLBYTES);
        long v = seq++;
        header.writeLong(v);
        cluster.writeLong(v);
        // m_freem order: the external storage goes first, then the mbuf that points at it.
        cluster.release();
        return header.release();
    }

    private boolean packet(ByteBufAllocator allocator) {
        ByteBuf pkt = allocator.directBuffer(MSIZE + MCLBYTES);
        long v = seq++;
        pkt.writeLong(v);
        pkt.setLong(MSIZE, v);
        return pkt.release();
    }
}
