package org.memstat.uma.malloc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.memstat.uma.Uma;
import org.memstat.uma.UmaCorruptionException;
import org.memstat.uma.Zone;

/** Debug mode checks the malloc type of every free, as FreeBSD's mtrash reports "Most recently used by TYPE". */
class MallocDebugTest {
    private final Uma uma = Uma.builder().kmemSize(64L << 20).maxCpus(2).debug(true).build();
    private final Malloc malloc = Malloc.create(uma);
    private final MallocType devbuf = malloc.define("devbuf");
    private final MallocType temp = malloc.define("temp");

    @AfterEach
    void close() {
        uma.close();
    }

    @Test
    void freeWithTheWrongTypeIsCaughtAndFreesNothing() {
        for (long size : new long[] {8, 384, 65536, 100_000}) {
            long p = malloc.malloc(size, devbuf, Uma.M_WAITOK);
            assertThatThrownBy(() -> malloc.free(p, temp)).isInstanceOf(UmaCorruptionException.class)
                    .hasMessage("Malloc type mismatch on free of 0x" + Long.toHexString(p)
                            + ": allocated as devbuf, freed as temp (Most recently used by devbuf)");
            assertThat(malloc.stats().get(1).numfrees()).isZero();
            assertThat(malloc.stats().get(0).count()).isEqualTo(1);
            malloc.free(p, devbuf);
            assertThat(malloc.stats().get(0).count()).isZero();
        }
    }

    @Test
    void zfreeAndReallocWithTheWrongTypeAreCaughtBeforeTouchingTheBlock() {
        long p = malloc.malloc(100, devbuf, Uma.M_WAITOK);
        malloc.segment(p).fill((byte) 0x11);
        assertThatThrownBy(() -> malloc.zfree(p, temp)).isInstanceOf(UmaCorruptionException.class)
                .hasMessageContaining("allocated as devbuf, freed as temp");
        assertThatThrownBy(() -> malloc.realloc(p, 5000, temp, Uma.M_WAITOK))
                .isInstanceOf(UmaCorruptionException.class);
        assertThat(malloc.segment(p).toArray(ValueLayout.JAVA_BYTE)).containsOnly((byte) 0x11);
        assertThat(malloc.stats().get(1).numallocs()).isZero();
        malloc.free(p, devbuf);
    }

    @Test
    void doubleFreeAndFreeOfAnAddressMallocNeverReturnedAreCaught() {
        long p = malloc.malloc(32, devbuf, Uma.M_WAITOK);
        malloc.free(p, devbuf);
        assertThatThrownBy(() -> malloc.free(p, devbuf)).isInstanceOf(UmaCorruptionException.class)
                .hasMessageContaining("0x" + Long.toHexString(p)).hasMessageContaining("not a live malloc allocation");
        Zone plain = uma.zcreate("plain", 64, null, null, null, null, Uma.ALIGN_PTR, 0);
        long foreign = plain.alloc(Uma.M_WAITOK);
        assertThatThrownBy(() -> malloc.free(foreign, devbuf)).isInstanceOf(UmaCorruptionException.class);
        long q = malloc.malloc(32, devbuf, Uma.M_WAITOK);
        assertThatThrownBy(() -> malloc.free(q + 8, devbuf)).isInstanceOf(UmaCorruptionException.class);
        assertThat(malloc.stats().get(0).numfrees()).isEqualTo(1);
        malloc.free(q, devbuf);
        plain.free(foreign);
    }

    @Test
    void writeAfterFreeIsCaughtByTheZonesTrash() {
        long p = malloc.malloc(128, devbuf, Uma.M_WAITOK);
        malloc.free(p, devbuf);
        uma.memory().set(ValueLayout.JAVA_INT, p - uma.memory().address() + 8, 42);
        assertThatThrownBy(() -> malloc.malloc(128, devbuf, Uma.M_WAITOK))
                .isInstanceOf(UmaCorruptionException.class).hasMessageStartingWith("Memory modified after free")
                .hasMessageContaining("zone malloc-128");
    }
}
