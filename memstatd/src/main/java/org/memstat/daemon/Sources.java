package org.memstat.daemon;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The served sources, read at request time, each in its own task with one deadline for the whole request: a
 * source that fails or hangs yields a failed {@link Sample} for itself and never delays the others past the
 * deadline.
 */
final class Sources implements AutoCloseable {
    private final List<Source> all;
    private final Duration timeout;
    private final ExecutorService executor = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("memstatd-read-", 0).factory());

    private final CollectorLog failures;

    Sources(List<Source> all, Duration timeout) {
        this(all, timeout, CollectorLog.toStderr());
    }

    /** Serves {@code all}, logging the failing collectors of every reading to {@code failures}. */
    Sources(List<Source> all, Duration timeout, CollectorLog failures) {
        this.all = List.copyOf(all);
        this.timeout = timeout;
        this.failures = failures;
    }

    List<Source> list() {
        return all;
    }

    /** The source named {@code name}, or the first when {@code name} is null; null when there is no such. */
    Source find(String name) {
        if (name == null) {
            return all.isEmpty() ? null : all.getFirst();
        }
        for (Source s : all) {
            if (s.name().equals(name)) {
                return s;
            }
        }
        return null;
    }

    /** Reads every source; the result is in configuration order. */
    List<Source.Readings> readAll() {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<CompletableFuture<Source.Readings>> pending = new ArrayList<>(all.size());
        for (Source s : all) {
            pending.add(s.read(executor));
        }
        List<Source.Readings> out = new ArrayList<>(all.size());
        for (int i = 0; i < all.size(); i++) {
            out.add(await(all.get(i), pending.get(i), deadline));
        }
        return out;
    }

    /** Reads one source. */
    Source.Readings read(Source s) {
        return await(s, s.read(executor), System.nanoTime() + timeout.toNanos());
    }

    private Source.Readings await(Source s, CompletableFuture<Source.Readings> f, long deadline) {
        Source.Readings r = awaitOrFail(s, f, deadline);
        failures.observe(r.latest());
        return r;
    }

    private Source.Readings awaitOrFail(Source s, CompletableFuture<Source.Readings> f, long deadline) {
        Sample.Status failed;
        try {
            return f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            failed = new Sample.Status(Sample.State.TIMEOUT, "no answer from " + s.uri() + " within "
                    + timeout.toMillis() + " ms", timeout.toNanos() / 1e9);
        } catch (ExecutionException e) {
            failed = new Sample.Status(Sample.State.ERROR, "reading failed: " + e.getCause(), 0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failed = new Sample.Status(Sample.State.ERROR, "interrupted", 0);
        }
        return new Source.Readings(Sample.failed(s.name(), failed), null);
    }

    /** A task on the source executor. */
    interface Task<T> {
        T run() throws Exception;
    }

    /**
     * Runs {@code task} on the source executor with the read timeout, so a hanging source never holds an HTTP
     * thread longer than that.
     *
     * @throws TimeoutException when the task does not finish in time (it is then interrupted)
     * @throws Exception        what the task threw
     */
    <T> T call(Task<T> task) throws Exception {
        Future<T> f = executor.submit(task::run);
        try {
            return f.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }

    Duration timeout() {
        return timeout;
    }

    /** Stops reading tasks (interrupting any stuck one) and closes every source. */
    @Override
    public void close() {
        executor.shutdownNow();
        for (Source s : all) {
            s.close();
        }
    }
}
