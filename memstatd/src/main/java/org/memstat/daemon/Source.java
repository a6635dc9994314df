package org.memstat.daemon;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.ReentrantLock;
import org.memstat.lib.MemoryTypeList;
import org.memstat.lib.SysctlSource;

/**
 * One served source: its sysctl reader, optional writer, and the {@link MemoryTypeList} it is read into.
 *
 * <p>Readings are single-flight: a request that arrives while a reading is running joins it instead of starting
 * another, so concurrent scrapes cost one read, and a source that hangs holds at most one task however many
 * scrapes time out on it. The list is only touched under {@link #lock}.
 */
final class Source implements AutoCloseable {
    private final String name;
    private final String uri;
    private final SysctlSource sysctl;
    private final OidWriter writer;
    private final AutoCloseable owned;
    private final ReentrantLock lock = new ReentrantLock();
    private final MemoryTypeList list = new MemoryTypeList();
    /** The last sample that carried data, for rates; guarded by {@link #lock}. */
    private Sample lastGood;
    /** The reading in progress, or null; guarded by {@code this}. */
    private CompletableFuture<Readings> inflight;

    /**
     * The newest sample and the previous one that carried data.
     *
     * @param latest   the sample just read
     * @param previous the sample before it, or {@code null} for the first
     */
    record Readings(Sample latest, Sample previous) {
    }

    /**
     * @param owned closed after the reader (e.g. the demo's workload and allocator), or {@code null}
     */
    Source(String name, String uri, SysctlSource sysctl, OidWriter writer, AutoCloseable owned) {
        this.name = name;
        this.uri = uri;
        this.sysctl = sysctl;
        this.writer = writer;
        this.owned = owned;
    }

    String name() {
        return name;
    }

    String uri() {
        return uri;
    }

    SysctlSource sysctl() {
        return sysctl;
    }

    /** The write side, or {@code null} for a read-only source. */
    OidWriter writer() {
        return writer;
    }

    /** Starts a reading on {@code executor}, or joins the one in progress. */
    CompletableFuture<Readings> read(Executor executor) {
        CompletableFuture<Readings> f;
        synchronized (this) {
            if (inflight != null) {
                return inflight;
            }
            f = new CompletableFuture<>();
            inflight = f;
        }
        CompletableFuture<Readings> mine = f;
        executor.execute(() -> {
            Readings r = null;
            Throwable failure = null;
            try {
                r = readNow();
            } catch (Throwable t) {
                failure = t;
            }
            // Clear before completing: a request that sees this reading complete must start a fresh one.
            synchronized (this) {
                inflight = null;
            }
            if (failure != null) {
                mine.completeExceptionally(failure);
            } else {
                mine.complete(r);
            }
        });
        return mine;
    }

    /** Reads now on the calling thread. */
    Readings readNow() {
        lock.lock();
        try {
            Sample s = SampleReader.read(name, sysctl, list);
            Sample before = lastGood;
            if (s.uma().state() == Sample.State.OK || s.malloc().state() == Sample.State.OK) {
                lastGood = s;
            }
            return new Readings(s, before);
        } finally {
            lock.unlock();
        }
    }

    /** Closes the reader, then what the source owns; failures are logged, not thrown. */
    @Override
    public void close() {
        try {
            sysctl.close();
            if (owned != null) {
                owned.close();
            }
        } catch (Exception e) {
            System.getLogger(Source.class.getName()).log(System.Logger.Level.WARNING,
                    "closing source " + name + ": " + e);
        }
    }
}
