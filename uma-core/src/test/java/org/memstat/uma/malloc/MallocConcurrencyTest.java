package org.memstat.uma.malloc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.memstat.uma.Uma;

/** Counters are exact at quiescence, per slot ({@code threadId % maxCpus}) and in total. */
class MallocConcurrencyTest {
    private static final int CPUS = 3;
    private static final int OPS = 20_000;
    private static final int VIRTUAL_OPS = 4_000;
    private final Uma uma = Uma.builder().kmemSize(256L << 20).maxCpus(CPUS).build();
    private final Malloc malloc = Malloc.create(uma);
    private final MallocType[] types = {malloc.define("alpha"), malloc.define("beta")};

    @AfterEach
    void close() {
        uma.close();
    }

    /** What one thread did: [type][memalloced, memfreed, numallocs, numfrees, sizemask]. */
    private final class Worker implements Runnable {
        final long[][] done = new long[types.length][5];
        final ConcurrentLinkedQueue<long[]> handoff;
        final CountDownLatch start;
        final long seed;
        final int ops;
        int slot;

        Worker(long seed, int ops, ConcurrentLinkedQueue<long[]> handoff, CountDownLatch start) {
            this.seed = seed;
            this.ops = ops;
            this.handoff = handoff;
            this.start = start;
        }

        @Override
        public void run() {
            slot = (int) (Thread.currentThread().threadId() % CPUS);
            SplittableRandom rnd = new SplittableRandom(seed);
            ArrayDeque<long[]> mine = new ArrayDeque<>();
            try {
                start.await();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            for (int i = 0; i < ops; i++) {
                if (mine.isEmpty() || (mine.size() < 64 && rnd.nextBoolean())) {
                    int t = rnd.nextInt(types.length);
                    long size = rnd.nextInt(10) == 0 ? 65537 + rnd.nextInt(100_000) : rnd.nextInt(4097);
                    long p = malloc.malloc(size, types[t], Uma.M_WAITOK);
                    long usable = malloc.usableSize(p);
                    done[t][0] += usable;
                    done[t][2]++;
                    if (size <= 65536) {
                        done[t][4] |= 1L << SizeClasses.index(size);
                    }
                    long[] rec = {p, t, usable};
                    if (rnd.nextInt(8) == 0) {
                        handoff.add(rec);
                    } else {
                        mine.push(rec);
                    }
                } else {
                    free(rnd.nextBoolean() ? mine.pop() : mine.pollLast());
                }
                long[] other = rnd.nextInt(4) == 0 ? handoff.poll() : null;
                if (other != null) {
                    free(other);
                }
            }
            while (!mine.isEmpty()) {
                free(mine.pop());
            }
        }

        private void free(long[] rec) {
            int t = (int) rec[1];
            malloc.free(rec[0], types[t]);
            done[t][1] += rec[2];
            done[t][3]++;
        }
    }

    private void runAndCheck(List<Thread> threads, List<Worker> workers, ConcurrentLinkedQueue<long[]> handoff,
            CountDownLatch start) throws InterruptedException {
        start.countDown();
        for (Thread t : threads) {
            t.join();
        }
        Worker cleaner = new Worker(0, 0, handoff, new CountDownLatch(0));
        cleaner.slot = (int) (Thread.currentThread().threadId() % CPUS);
        for (long[] rec = handoff.poll(); rec != null; rec = handoff.poll()) {
            cleaner.free(rec);
        }
        workers.add(cleaner);
        long[][][] expect = new long[types.length][CPUS][5];
        for (Worker w : workers) {
            for (int t = 0; t < types.length; t++) {
                for (int f = 0; f < 5; f++) {
                    expect[t][w.slot][f] = f == 4 ? expect[t][w.slot][f] | w.done[t][f]
                            : expect[t][w.slot][f] + w.done[t][f];
                }
            }
        }
        List<MallocTypeStats> stats = malloc.stats();
        for (int t = 0; t < types.length; t++) {
            MallocTypeStats s = stats.get(t);
            for (int c = 0; c < CPUS; c++) {
                long[] e = expect[t][c];
                assertThat(s.perCpu().get(c)).as("%s slot %d", s.name(), c)
                        .isEqualTo(new MallocCpuStats(e[0], e[1], e[2], e[3], e[4]));
            }
            assertThat(s.bytes()).isZero();
            assertThat(s.count()).isZero();
        }
        assertThat(malloc.stats()).as("a second snapshot after folding dead threads").isEqualTo(stats);
    }

    @Test
    @Timeout(60)
    void platformThreadCountersAreExactPerSlotAtQuiescence() throws InterruptedException {
        ConcurrentLinkedQueue<long[]> handoff = new ConcurrentLinkedQueue<>();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        List<Worker> workers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Worker w = new Worker(1000 + i, OPS, handoff, start);
            workers.add(w);
            threads.add(Thread.ofPlatform().start(w));
        }
        runAndCheck(threads, workers, handoff, start);
    }

    @Test
    @Timeout(60)
    void virtualThreadCountersAreExactPerSlotAtQuiescence() throws InterruptedException {
        ConcurrentLinkedQueue<long[]> handoff = new ConcurrentLinkedQueue<>();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        List<Worker> workers = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            Worker w = new Worker(2000 + i, VIRTUAL_OPS, handoff, start);
            workers.add(w);
            threads.add(Thread.ofVirtual().start(w));
        }
        runAndCheck(threads, workers, handoff, start);
    }
}
