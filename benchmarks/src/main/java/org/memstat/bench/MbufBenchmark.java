package org.memstat.bench;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.TimeUnit;
import org.memstat.uma.Uma;
import org.memstat.uma.malloc.Malloc;
import org.memstat.uma.mbuf.Mbuf;
import org.memstat.uma.mbuf.Mbufs;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * uma-core's mbuf layer: a packet ({@code m_getcl(M_WAITOK, MT_DATA, M_PKTHDR)}, an mbuf with a 2048-byte
 * cluster from the {@code mbuf_packet} zone), 8 bytes written at {@code mtod(m)} through the allocator's memory
 * segment (the address-based way, as C code writes through {@code mtod}), then {@code m_freem}; avgt ns per
 * packet, one plain thread (goal: at most 30 ns). Also {@code m_gethdr} + {@code m_clget}, the path taken when
 * the packet zone's cache misses. Netty's nearest equivalents are in {@link PeerMbufBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {FairFlags.XMS, FairFlags.XMX, FairFlags.PRE_TOUCH, FairFlags.GC,
        FairFlags.NATIVE_ACCESS})
public class MbufBenchmark {
    private Uma uma;
    private Mbufs mbufs;
    private MemorySegment memory;
    private long base;

    /** Creates the state; JMH calls it. */
    public MbufBenchmark() {
    }

    /** One allocator with the mbuf layer for the trial. */
    @Setup(Level.Trial)
    public void setUp() {
        uma = Uma.builder().kmemSize(1L << 30).build();
        mbufs = Mbufs.create(Malloc.create(uma));
        memory = uma.memory();
        base = memory.address();
    }

    /** Unmaps the allocator's memory. */
    @TearDown(Level.Trial)
    public void tearDown() {
        uma.close();
    }

    /**
     * {@code m_getcl} + write + {@code m_freem}.
     *
     * @return the packet's address
     */
    @Benchmark
    public long getclFreem() {
        long m = mbufs.m_getcl(Uma.M_WAITOK, Mbuf.MT_DATA, Mbuf.M_PKTHDR);
        memory.set(ValueLayout.JAVA_LONG_UNALIGNED, mbufs.mtod(m) - base, m);
        mbufs.m_freem(m);
        return m;
    }

    /**
     * {@code m_gethdr} + {@code m_clget} + write + {@code m_freem}: the mbuf and cluster zones separately.
     *
     * @return the packet's address
     */
    @Benchmark
    public long gethdrClgetFreem() {
        long m = mbufs.m_gethdr(Uma.M_WAITOK, Mbuf.MT_DATA);
        mbufs.m_clget(m, Uma.M_WAITOK);
        memory.set(ValueLayout.JAVA_LONG_UNALIGNED, mbufs.mtod(m) - base, m);
        mbufs.m_freem(m);
        return m;
    }
}
