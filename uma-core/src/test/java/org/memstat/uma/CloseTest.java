package org.memstat.uma;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A closed allocator throws, never crashes the JVM: after close, and while closing under allocating threads. */
class CloseTest {

    @Test
    void everyAccessAndEveryCallAfterCloseThrowsIllegalStateException() {
        Uma uma = Uma.builder().kmemSize(16L << 20).maxCpus(2).trimInterval(Duration.ZERO).build();
        Zone z = uma.zcreate("z", 256, null, null, null, null, Uma.ALIGN_PTR, 0);
        long item = z.alloc(Uma.M_WAITOK);
        long other = z.alloc(Uma.M_WAITOK);
        MemorySegment kept = z.segment(item);
        MemorySegment all = uma.memory();
        kept.set(ValueLayout.JAVA_LONG, 0, 42);
        uma.close();
        // Before the change these writes hit unmapped memory: SIGSEGV in Unsafe_PutLong and a dead JVM.
        assertThatThrownBy(() -> kept.set(ValueLayout.JAVA_LONG, 0, 1)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> kept.get(ValueLayout.JAVA_LONG, 0)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> all.get(ValueLayout.JAVA_LONG, item - all.address()))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> z.segment(other).get(ValueLayout.JAVA_LONG, 0))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> z.alloc(Uma.M_WAITOK)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> z.alloc(Uma.M_NOWAIT)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> z.free(other)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(z::stats).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> z.reclaim(Reclaim.DRAIN)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> uma.reclaim(Reclaim.TRIM)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> uma.zcreate("late", 64, null, null, null, null, Uma.ALIGN_PTR, 0))
                .isInstanceOf(IllegalStateException.class).hasMessage("the allocator was closed");
        assertThatThrownBy(() -> uma.kmemAlloc(4096, Uma.M_NOWAIT)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(uma::memory).isInstanceOf(IllegalStateException.class);
        uma.close();
        assertThat(uma.isClosed()).isTrue();
    }

    @Test
    @Timeout(60)
    void closingUnderAllocatingThreadsGivesThemExceptionsNotACrash() throws Exception {
        for (int round = 0; round < 20; round++) {
            Uma uma = Uma.builder().kmemSize(64L << 20).maxCpus(2).trimInterval(Duration.ZERO).build();
            Zone small = uma.zcreate("small", 64, null, null, null, null, Uma.ALIGN_PTR, 0);
            Zone big = uma.zcreate("big", 4096, null, null, null, null, Uma.ALIGN_PTR, 0);
            List<Throwable> unexpected = Collections.synchronizedList(new ArrayList<>());
            CountDownLatch running = new CountDownLatch(4);
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                Zone z = t % 2 == 0 ? small : big;
                threads.add(Thread.ofPlatform().start(() -> {
                    running.countDown();
                    try {
                        long[] held = new long[64];
                        for (long i = 0; ; i++) {
                            int k = (int) (i & 63);
                            if (held[k] != 0) {
                                z.free(held[k]);
                            }
                            held[k] = z.alloc(Uma.M_WAITOK);
                            z.segment(held[k]).set(ValueLayout.JAVA_LONG, 0, i);
                        }
                    } catch (IllegalStateException expected) {
                        // What a thread racing close must see: "the allocator was closed", "Already closed".
                    } catch (Throwable e) {
                        unexpected.add(e);
                    }
                }));
            }
            running.await();
            uma.close();
            for (Thread t : threads) {
                t.join();
            }
            assertThat(unexpected).isEmpty();
        }
    }
}
