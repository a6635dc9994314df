package org.memstat.bench;

import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * JMH worker-thread executor whose threads are Netty {@code FastThreadLocalThread}s, the thread
 * type Netty's allocators are tuned for (the pooled allocator gives them a thread cache). This is
 * the same set-up Netty's own {@code AbstractMicrobenchmark} uses; without it pooled Netty runs on
 * its shared arena path and a comparison against it would be unfair (ALLOCATORS.md section 7
 * item 1). The threads are not mapped to a Netty executor, so the default adaptive allocator still
 * takes its shared magazines here; its event-loop path is measured through
 * {@code useCacheForNonEventLoopThreads = true} instead (see {@link Peers}).
 *
 * <p>JMH instantiates it reflectively inside the forked JVM when that JVM has
 * <pre>
 *   -Djmh.executor=CUSTOM -Djmh.executor.class=org.memstat.bench.FastThreadExecutor
 * </pre>
 * These are JVM-wide, so they are set per benchmark class through
 * {@code @Fork(jvmArgsAppend = {..., FairFlags.EXECUTOR_CUSTOM, FairFlags.EXECUTOR_FTL})} (see
 * {@link PeerAllocFtlBenchmark}); one {@code bin/bench} run then measures plain-thread and FTL
 * classes side by side. Benchmarks check the thread type in their set-up, so a misconfigured run
 * fails instead of silently measuring the wrong thread.
 *
 * <p>The pool threads live for the whole fork: JMH submits one task per worker per iteration, so
 * Netty's thread caches survive from warm-up into measurement exactly as on a long-lived event loop.
 */
public final class FastThreadExecutor extends ThreadPoolExecutor {

    /**
     * The constructor signature JMH's CUSTOM executor looks up.
     *
     * @param maxThreads number of worker threads JMH needs
     * @param prefix     thread-name prefix chosen by JMH
     */
    public FastThreadExecutor(int maxThreads, String prefix) {
        // Daemon threads: a worker stuck in a benchmark must not keep the fork alive after JMH
        // gives up on it.
        super(maxThreads, maxThreads, 0L, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                new DefaultThreadFactory(prefix, true));
    }
}
