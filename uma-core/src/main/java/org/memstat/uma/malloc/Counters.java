package org.memstat.uma.malloc;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Per-type, per-CPU malloc statistics ({@code mti_stats}) without a shared atomic read-modify-write on the hot
 * path.
 *
 * <p>The JVM has no {@code critical_enter()}, so, as in uma-core, counters belong to threads: each platform thread
 * gets its own {@link Cells} block (through a {@link ThreadLocal}) and writes it alone. Its per-CPU slot is
 * {@code threadId % maxCpus}, the same mapping uma-core uses for its zone caches, so record {@code i} of
 * {@code kern.malloc_stats} sums every thread whose id is congruent to {@code i}. Virtual threads (there may be
 * millions, each must not carry a block) share one block per slot, guarded by its monitor.
 *
 * <p>Blocks of threads that have died are folded into a per-slot retired block at the next snapshot or
 * registration ({@link Thread#isAlive()} returning false gives the happens-before edge with the dead thread's
 * last writes), so the list does not grow with thread churn and no count is lost. A snapshot is not atomic:
 * values may be off by operations in flight and are exact when the writers are quiescent.
 */
final class Counters {
    private final int maxCpus;
    private final ThreadLocal<Cells> local = ThreadLocal.withInitial(this::register);
    private final Cells[] shared;
    private final ReentrantLock lock = new ReentrantLock();
    /** Guarded by {@link #lock}. */
    private final List<Cells> live = new ArrayList<>();
    /** Guarded by {@link #lock}: counters of dead threads, per slot. */
    private final long[][] retired;

    Counters(int maxCpus) {
        this.maxCpus = maxCpus;
        this.shared = new Cells[maxCpus];
        this.retired = new long[maxCpus][0];
        for (int i = 0; i < maxCpus; i++) {
            shared[i] = new Cells(null, i);
        }
    }

    void allocated(int id, long size, int zindx) {
        Thread t = Thread.currentThread();
        if (t.isVirtual()) {
            Cells s = shared[slot(t)];
            synchronized (s) {
                s.allocated(id, size, zindx);
            }
        } else {
            local.get().allocated(id, size, zindx);
        }
    }

    void freed(int id, long size) {
        Thread t = Thread.currentThread();
        if (t.isVirtual()) {
            Cells s = shared[slot(t)];
            synchronized (s) {
                s.freed(id, size);
            }
        } else {
            local.get().freed(id, size);
        }
    }

    private int slot(Thread t) {
        return (int) (t.threadId() % maxCpus);
    }

    private Cells register() {
        Thread t = Thread.currentThread();
        Cells c = new Cells(t, slot(t));
        lock.lock();
        try {
            retireDead();
            live.add(c);
        } finally {
            lock.unlock();
        }
        return c;
    }

    /** Counters for type ids {@code 0 .. ntypes-1}: {@code [slot][id * FIELDS + field]}. */
    long[][] snapshot(int ntypes) {
        int width = ntypes * Cells.FIELDS;
        long[][] out = new long[maxCpus][width];
        lock.lock();
        try {
            retireDead();
            for (Cells c : live) {
                c.addTo(out[c.slot]);
            }
            for (int s = 0; s < maxCpus; s++) {
                long[] r = retired[s];
                for (int i = 0; i < Math.min(r.length, width); i++) {
                    out[s][i] = i % Cells.FIELDS == Cells.SIZEMASK ? out[s][i] | r[i] : out[s][i] + r[i];
                }
            }
        } finally {
            lock.unlock();
        }
        for (Cells s : shared) {
            synchronized (s) {
                s.addTo(out[s.slot]);
            }
        }
        return out;
    }

    private void retireDead() {
        for (Iterator<Cells> it = live.iterator(); it.hasNext();) {
            Cells c = it.next();
            if (!c.owner.isAlive()) {
                long[] r = retired[c.slot];
                if (c.width() > r.length) {
                    r = Arrays.copyOf(r, c.width());
                    retired[c.slot] = r;
                }
                c.addTo(r);
                it.remove();
            }
        }
    }
}
