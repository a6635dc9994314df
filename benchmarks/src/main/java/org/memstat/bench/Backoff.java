package org.memstat.bench;

/**
 * How a handoff thread waits for its partner: {@link Thread#onSpinWait()} up to {@link #SPINS}
 * times, then one {@link Thread#yield()}.
 *
 * <p>Why not spin on {@code onSpinWait()} alone: on our 2-vCPU VM (Firecracker/KVM, AMD EPYC) a
 * pipeline whose two threads only spin fell, after a few iterations, into a stable mode of
 * 7.6-8.9 µs per element instead of 4-13 ns, in repeated runs and with G1 or Parallel GC. This is
 * consistent with KVM's pause-loop exiting (a vCPU executing PAUSE in a tight loop is descheduled
 * by the hypervisor) and with JVM service threads (compiler, GC, safepoint) being starved by two
 * spinners on two CPUs; a periodic yield removed the mode in every run. Spinning without PAUSE had
 * the opposite problem: the waiting side hammered the other side's index line (100-300 ns per
 * element). Override with {@code -Dmemstat.bench.spins=N} (via {@code -jvmArgsPrepend}) to
 * experiment.
 */
final class Backoff {
    /** Spins before a yield; 64 PAUSEs are well under a microsecond. */
    static final int SPINS = Integer.getInteger("memstat.bench.spins", 64);

    private Backoff() {
    }

    /**
     * Waits a little.
     *
     * @param spins spins done so far in this wait (0 at its start)
     * @return the value to pass on the next call
     */
    static int idle(int spins) {
        if (spins < SPINS) {
            Thread.onSpinWait();
            return spins + 1;
        }
        Thread.yield();
        return 0;
    }
}
