package org.memstat.uma.mbuf;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.memstat.uma.Uma;
import org.memstat.uma.ZoneStats;
import org.memstat.uma.malloc.Malloc;

/**
 * Four threads allocate, chain, share, hand over and free mbufs of every kind. Each data area is stamped at
 * creation and checked before the free; debug mode catches double frees and writes after free. At the end every
 * zone is empty except for the clusters parked in cached packets.
 */
class MbufConcurrencyTest {
    private static final int THREADS = 4;
    private static final int OPS = 6_000;
    private final Uma uma = Uma.builder().kmemSize(256L << 20).maxCpus(2).debug(true).build();
    private final Malloc malloc = Malloc.create(uma);
    private final Mbufs mb = Mbufs.create(malloc);
    private final ConcurrentLinkedQueue<Chain> handoff = new ConcurrentLinkedQueue<>();
    private final AtomicInteger badStamps = new AtomicInteger();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    @AfterEach
    void close() {
        uma.close();
    }

    /** Mbufs linked by m_next, with the stamp each one's data must still hold. */
    private record Chain(List<Long> mbufs, List<Long> stamps) {
    }

    private long stamp(long m, long value) {
        mb.buffer(m).set(ValueLayout.JAVA_LONG_UNALIGNED, 0, value);
        mb.setLen(m, 8);
        return value;
    }

    private void freeChecked(Chain c) {
        for (int i = 0; i < c.mbufs().size(); i++) {
            if (mb.data(c.mbufs().get(i)).get(ValueLayout.JAVA_LONG_UNALIGNED, 0) != c.stamps().get(i)) {
                badStamps.incrementAndGet();
            }
        }
        mb.m_freem(c.mbufs().get(0));
    }

    private Chain single(long m, long stamp) {
        return new Chain(new ArrayList<>(List.of(m)), new ArrayList<>(List.of(stamp)));
    }

    private void work(int id) {
        SplittableRandom rnd = new SplittableRandom(id * 7919L);
        List<Chain> mine = new ArrayList<>();
        long seq = (long) id << 40;
        for (int op = 0; op < OPS; op++) {
            int how = rnd.nextBoolean() ? Uma.M_NOWAIT : Uma.M_WAITOK;
            int pick = mine.size() >= 32 ? 8 : rnd.nextInt(10);
            long m;
            switch (pick) {
                case 0 -> m = mb.m_get(how, Mbuf.MT_DATA);
                case 1 -> {
                    m = mb.m_gethdr(how, Mbuf.MT_DATA);
                    if (m != 0 && rnd.nextInt(4) == 0) {
                        long t = mb.tags().m_tag_get(3, rnd.nextInt(64), how);
                        if (t != 0) {
                            mb.tags().m_tag_prepend(m, t);
                        }
                    }
                }
                case 2 -> m = mb.m_getcl(how, Mbuf.MT_DATA, Mbuf.M_PKTHDR);
                case 3 -> m = mb.m_getjcl(how, Mbuf.MT_DATA, 0, rnd.nextBoolean() ? Mbuf.MJUMPAGESIZE
                        : Mbuf.MJUM9BYTES);
                case 4 -> {
                    m = mb.m_get(how, Mbuf.MT_DATA);
                    if (m != 0 && !mb.m_clget(m, how)) {
                        mb.m_free(m);
                        m = 0;
                    }
                }
                default -> m = 0;
            }
            if (m != 0) {
                mine.add(single(m, stamp(m, ++seq)));
                continue;
            }
            if (mine.isEmpty()) {
                continue;
            }
            Chain c = mine.get(rnd.nextInt(mine.size()));
            switch (pick) {
                case 5 -> {
                    long head = c.mbufs().get(0);
                    if ((mb.flags(head) & Mbuf.M_EXT) != 0) {
                        long n = mb.m_refcl(head, how);
                        if (n != 0) {
                            mine.add(single(n, c.stamps().get(0)));
                        }
                    }
                }
                case 6 -> {
                    Chain d = mine.get(rnd.nextInt(mine.size()));
                    if (d != c) {
                        mine.remove(d);
                        mb.setNext(c.mbufs().getLast(), d.mbufs().getFirst());
                        c.mbufs().addAll(d.mbufs());
                        c.stamps().addAll(d.stamps());
                    }
                }
                case 7 -> {
                    mine.remove(c);
                    handoff.add(c);
                }
                default -> {
                    mine.remove(c);
                    freeChecked(c);
                }
            }
            Chain theirs = rnd.nextInt(3) == 0 ? handoff.poll() : null;
            if (theirs != null) {
                freeChecked(theirs);
            }
        }
        mine.forEach(this::freeChecked);
    }

    @Test
    @Timeout(120)
    void mixedWorkloadOnFourThreadsLeavesEveryZoneConsistent() throws InterruptedException {
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            int id = i + 1;
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    go.await();
                    work(id);
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
            }));
        }
        go.countDown();
        for (Thread t : threads) {
            t.join();
        }
        for (Chain c = handoff.poll(); c != null; c = handoff.poll()) {
            freeChecked(c);
        }
        assertThat(failure.get()).isNull();
        assertThat(badStamps.get()).isZero();
        assertThat(mb.mbufZone().getCur()).isZero();
        assertThat(mb.packetZone().getCur()).isZero();
        assertThat(mb.jumbopZone().getCur()).isZero();
        assertThat(mb.jumbo9Zone().getCur()).isZero();
        ZoneStats p = mb.packetZone().stats();
        assertThat(mb.clusterZone().getCur()).isEqualTo(p.cacheFree() + p.zoneFree());
        assertThat(malloc.stats().getFirst().bytes()).isZero();
        assertThat(malloc.stats().getFirst().numallocs()).isPositive();
    }
}
