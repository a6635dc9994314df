package org.memstat.uma;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The trim thread of one allocator ({@code uma_timeout}): runs {@link Uma#tick()} every interval. A daemon
 * thread, so it never keeps the JVM alive; {@link #stop()} ends it and waits for a tick in progress, unless
 * called from the tick itself. A tick that throws (a callback of the application failing, say) is reported on
 * the console and the next tick runs as usual.
 */
final class UmaTimeout implements Runnable {
    private final Uma uma;
    private final long intervalNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition stopping = lock.newCondition();
    private final Thread thread;
    private boolean stopped;

    private UmaTimeout(Uma uma, Duration interval) {
        this.uma = uma;
        this.intervalNanos = Math.max(1, interval.toNanos());
        this.thread = Thread.ofPlatform().daemon().name("uma-timeout").unstarted(this);
    }

    static UmaTimeout start(Uma uma, Duration interval) {
        UmaTimeout t = new UmaTimeout(uma, interval);
        t.thread.start();
        return t;
    }

    @Override
    public void run() {
        while (waitInterval()) {
            try {
                uma.tick();
            } catch (RuntimeException e) {
                if (!uma.isClosed()) {
                    uma.console.accept("uma: trim tick failed: " + e);
                }
            }
        }
    }

    /** Waits one interval; false once stopped. */
    private boolean waitInterval() {
        lock.lock();
        try {
            long left = intervalNanos;
            while (!stopped && left > 0) {
                left = stopping.awaitNanos(left);
            }
            return !stopped;
        } catch (InterruptedException e) {
            return false;
        } finally {
            lock.unlock();
        }
    }

    void stop() {
        lock.lock();
        try {
            stopped = true;
            stopping.signalAll();
        } finally {
            lock.unlock();
        }
        if (Thread.currentThread() != thread) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
