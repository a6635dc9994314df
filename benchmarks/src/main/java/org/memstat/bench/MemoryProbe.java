package org.memstat.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * What the memory benchmarks read: the process's resident set ({@code VmRSS} from {@code /proc/self/status}), the
 * Java heap held after a full GC, and the ticks of uma-core's trim thread ({@link TickWatch}).
 *
 * <p>Every figure is process-wide, so each allocator runs in a fork of its own (JMH forks once per parameter
 * combination). The forks run with the fair flags' fixed, pre-touched 2 GiB heap: the heap's pages are resident
 * from the start, so objects on it (uma-core's slab records, Netty's {@code ByteBuf} objects) do not move
 * {@code VmRSS}; {@link #heapUsedAfterGcMiB()} shows them separately.
 */
final class MemoryProbe {
    private static final Path STATUS = Path.of("/proc/self/status");
    private static final double KIB_PER_MIB = 1024.0;

    private MemoryProbe() {
    }

    /** {@code VmRSS} of this process in KiB. */
    static long rssKiB() {
        byte[] b;
        try {
            b = Files.readAllBytes(STATUS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String s = new String(b, StandardCharsets.US_ASCII);
        int i = s.indexOf("VmRSS:");
        if (i < 0) {
            throw new IllegalStateException("no VmRSS in " + STATUS);
        }
        int j = i + "VmRSS:".length();
        while (s.charAt(j) == ' ' || s.charAt(j) == '\t') {
            j++;
        }
        long kib = 0;
        while (Character.isDigit(s.charAt(j))) {
            kib = kib * 10 + (s.charAt(j++) - '0');
        }
        return kib;
    }

    /** {@code VmRSS} of this process in MiB. */
    static double rssMiB() {
        return rssKiB() / KIB_PER_MIB;
    }

    /** Bytes to MiB. */
    static double mib(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }

    /** Java heap in use after two full collections, in MiB. */
    static double heapUsedAfterGcMiB() {
        MemoryMXBean m = ManagementFactory.getMemoryMXBean();
        System.gc();
        System.gc();
        return mib(m.getHeapMemoryUsage().getUsed());
    }

    /** Milliseconds since {@code startNanos}. */
    static double msSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e6;
    }

    /** Sleeps about {@code ms} milliseconds. */
    static void sleepMs(long ms) {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
        long left;
        while ((left = end - System.nanoTime()) > 0) {
            LockSupport.parkNanos(left);
        }
    }

    /**
     * Counts the ticks of uma-core's trim thread (the daemon thread named {@code uma-timeout}, one per allocator)
     * from outside: a tick is the thread spending CPU time and then waiting timed again (its interval wait).
     * Polled about once a millisecond by the benchmark; a tick takes from microseconds to milliseconds, so none
     * is missed, and two cannot fall between polls at a 200 ms interval.
     */
    static final class TickWatch {
        private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
        private final Thread thread;
        private long cpu;
        private boolean running;
        private int ticks;
        private long firstTickStartNanos;
        private long lastTickEndNanos;

        private TickWatch(Thread thread) {
            this.thread = thread;
            this.cpu = THREADS.getThreadCpuTime(thread.threadId());
        }

        /** Watches the only trim thread of this process; fails if there is none or more than one. */
        static TickWatch ofTrimThread() {
            Thread found = null;
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (t.getName().equals("uma-timeout")) {
                    if (found != null) {
                        throw new IllegalStateException("more than one uma-timeout thread");
                    }
                    found = t;
                }
            }
            if (found == null) {
                throw new IllegalStateException("no uma-timeout thread (trimInterval zero?)");
            }
            return new TickWatch(found);
        }

        /** Starts counting from now. */
        void reset() {
            cpu = THREADS.getThreadCpuTime(thread.threadId());
            running = false;
            ticks = 0;
            firstTickStartNanos = 0;
            lastTickEndNanos = 0;
        }

        /** Looks at the thread once; returns the ticks completed since {@link #reset()}. */
        int poll() {
            long now = System.nanoTime();
            long c = THREADS.getThreadCpuTime(thread.threadId());
            if (c != cpu) {
                cpu = c;
                if (!running) {
                    running = true;
                    if (ticks == 0) {
                        firstTickStartNanos = now;
                    }
                }
            }
            if (running && thread.getState() == Thread.State.TIMED_WAITING
                    && THREADS.getThreadCpuTime(thread.threadId()) == cpu) {
                running = false;
                ticks++;
                lastTickEndNanos = now;
            }
            return ticks;
        }

        /** Polls until {@code n} ticks have completed since {@link #reset()} (at most {@code timeoutMs}). */
        int awaitTicks(int n, long timeoutMs) {
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
            while (poll() < n && System.nanoTime() < end) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
            return ticks;
        }

        /** When the first tick since {@link #reset()} was first seen running, 0 before. */
        long firstTickStartNanos() {
            return firstTickStartNanos;
        }

        /** When the last tick seen ended. */
        long lastTickEndNanos() {
            return lastTickEndNanos;
        }
    }
}
