/**
 * JMH benchmarks: the allocator under test against its peers and floors, on one machine, in one
 * run, under the same JVM flags. Rules followed here come from ALLOCATORS.md sections 0, 4.3, 4.5
 * and 7 (same thread type, same JVM config, same operation, baselines in the same run).
 *
 * <h2>Families</h2>
 * <ul>
 *   <li>{@link org.memstat.bench.BaselineBenchmark}: floors and ceilings. The Java floor (a
 *       thread-confined address stack), {@code malloc}/{@code free} through FFM (critical and
 *       plain downcalls), a confined arena per item, {@code new byte[]}, a dropped direct
 *       {@code ByteBuffer}.</li>
 *   <li>{@link org.memstat.bench.PeerAllocBenchmark} / {@link org.memstat.bench.PeerAllocFtlBenchmark}:
 *       the reference operation (alloc 256 or 2048 B, write a long, free) on Netty's pooled and
 *       adaptive allocators, with and without thread caches for all threads, on plain JMH threads and
 *       on Netty {@code FastThreadLocalThread}s respectively.</li>
 *   <li>{@link org.memstat.bench.PeerThreadsBenchmark} / {@link org.memstat.bench.PeerThreadsFtlBenchmark}:
 *       two threads on one allocator (scaling) and producer/consumer cross-thread free through
 *       {@link org.memstat.bench.SpscRing}.</li>
 *   <li>{@link org.memstat.bench.PeerMbufBenchmark}: Netty's equivalents of FreeBSD's
 *       {@code m_getcl} + {@code m_freem} (256 B mbuf + 2048 B cluster).</li>
 *   <li>Zone benchmarks (uma-core) are to be added next to these, with the same annotations and
 *       {@link org.memstat.bench.FairFlags}; give each the same operation as its Netty twin.</li>
 *   <li>Memory in steady state (issue 10), {@code Mode.SingleShotTime}, one fork per allocator, figures as
 *       {@code @AuxCounters} secondary results: {@link org.memstat.bench.MemoryBurstBenchmark} (burst and return),
 *       {@link org.memstat.bench.MemoryChurnBenchmark} (shrinking churn),
 *       {@link org.memstat.bench.MemoryThreadsZonesBenchmark} (threads x zones), uma-core beside Netty's pooled and
 *       adaptive allocators and glibc through {@link org.memstat.bench.MemoryPeer}, RSS read by
 *       {@link org.memstat.bench.MemoryProbe}.</li>
 * </ul>
 *
 * <h2>Running</h2>
 * <pre>
 *   bin/bench -l                                         # list
 *   bin/bench -f 1 -wi 3 -i 5 -w 1 -r 1 'Peer|Baseline'   # quick run, all families
 *   bin/bench -f 3 -wi 5 -i 5 'PeerAlloc'                # closer to the full rigour of section 7
 *   bin/bench -bm thrpt -tu us PeerAllocFtl              # throughput instead of avgt
 *   bin/bench -p size=2048 Baseline                      # other item size
 *   bin/bench -prof gc PeerAlloc                         # heap allocation per op (should be ~0)
 *   bin/bench -rf json -rff docs/bench/jmh-memory-burst.json MemoryBurst   # memory: one scenario per run
 * </pre>
 * Every class carries {@code @Fork(value = 1, jvmArgsAppend = {the fair flags})}; the classes
 * named {@code *Ftl*} and {@code PeerMbufBenchmark} add
 * {@code -Djmh.executor=CUSTOM -Djmh.executor.class=org.memstat.bench.FastThreadExecutor}, so one
 * run measures plain and FastThreadLocalThread workers. Do not pass {@code -jvmArgsAppend} on the
 * command line: it replaces the annotation's list (and with it the executor); use
 * {@code -jvmArgsPrepend} for extra flags. Each class checks its thread type at set-up, so a wrong
 * configuration fails loudly. Defaults (3 x 1 s warm-up, 5 x 1 s measurement, 1 fork, avgt ns/op)
 * are meant for a quick run; override them on the command line for publishable numbers.
 *
 * <p>Scores are per operation <em>pair</em> (one alloc and one free), per thread. Netty returns a
 * recycled, ref-counted {@code ByteBuf} object; a zone returns an address: keep that difference in
 * mind, or add a zone variant that wraps its item in an object.
 */
package org.memstat.bench;
