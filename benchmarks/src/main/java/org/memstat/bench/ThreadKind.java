package org.memstat.bench;

import io.netty.util.concurrent.FastThreadLocalThread;

/** The JMH worker-thread type a benchmark class expects; checked in set-up so runs cannot mix them up. */
enum ThreadKind {
    /** JMH's default platform threads: Netty has no thread cache unless told to cache for all threads. */
    PLAIN,
    /** {@link FastThreadExecutor} threads, Netty's event-loop thread type (with FTL clean-up). */
    FAST_THREAD_LOCAL;

    /** Kind of the calling thread, as Netty's allocators classify it. */
    static ThreadKind current() {
        return FastThreadLocalThread.currentThreadWillCleanupFastThreadLocals() ? FAST_THREAD_LOCAL : PLAIN;
    }

    /**
     * Fails the trial when the caller runs on another thread type, e.g. when {@code -jvmArgsAppend} on the
     * command line replaced the class's executor flags.
     */
    void require() {
        ThreadKind actual = current();
        if (actual != this) {
            throw new IllegalStateException("benchmark expects " + this + " worker threads but runs on " + actual
                    + " (" + Thread.currentThread() + "); see FastThreadExecutor for the flags");
        }
    }
}
