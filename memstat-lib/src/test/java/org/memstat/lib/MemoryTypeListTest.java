package org.memstat.lib;

import static java.nio.ByteOrder.LITTLE_ENDIAN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.memstat.lib.StreamEncoder.MallocType;
import org.memstat.lib.StreamEncoder.Zone;

/** libmemstat's list behaviour (reference §3.3): order, refresh in place, vanished types, lookups. */
class MemoryTypeListTest {
    private static SysctlSource uma(int cpus, Zone... zones) {
        return SysctlSource.of(TestSources.kernel(LITTLE_ENDIAN, StreamEncoder.uma(LITTLE_ENDIAN, cpus,
                List.of(zones)), StreamEncoder.malloc(LITTLE_ENDIAN, 1, List.of())));
    }

    private static SysctlSource both(List<Zone> zones, List<MallocType> types) {
        return SysctlSource.of(TestSources.kernel(LITTLE_ENDIAN, StreamEncoder.uma(LITTLE_ENDIAN, 2, zones),
                StreamEncoder.malloc(LITTLE_ENDIAN, 2, types)));
    }

    private static List<String> names(MemoryTypeList list) {
        return list.types().stream().map(MemoryType::toString).toList();
    }

    @Test
    void secondRefreshUpdatesTheSameObjectsSoDifferencesGiveRates() throws MemstatException {
        MemoryTypeList list = new MemoryTypeList();
        list.refreshUma(uma(1, new Zone("mbuf").size(256, 256).counts(100, 40, 0, 0, 0)));
        MemoryType mbuf = list.find(Allocator.UMA, "mbuf").orElseThrow();
        long before = mbuf.numAllocs();
        list.refreshUma(uma(1, new Zone("mbuf").size(256, 256).counts(160, 70, 0, 0, 0)));
        assertThat(list.find(Allocator.UMA, "mbuf")).containsSame(mbuf);
        assertThat(mbuf.numAllocs() - before).isEqualTo(60);
        assertThat(mbuf.count()).isEqualTo(90);
        assertThat(list.size()).isEqualTo(1);
    }

    @Test
    void newTypesGoToTheHeadAndVanishedTypesStayUntilClear() throws MemstatException {
        MemoryTypeList list = new MemoryTypeList();
        list.refreshUma(uma(1, new Zone("a").counts(1, 0, 0, 0, 0), new Zone("b")));
        assertThat(names(list)).containsExactly("UMA:b", "UMA:a");
        list.refreshUma(uma(1, new Zone("b"), new Zone("c")));
        assertThat(names(list)).containsExactly("UMA:c", "UMA:b", "UMA:a");
        assertThat(list.find(Allocator.UMA, "a").orElseThrow().numAllocs()).isEqualTo(1);
        list.clear();
        assertThat(list.isEmpty()).isTrue();
        list.refreshUma(uma(1, new Zone("b"), new Zone("c")));
        assertThat(names(list)).containsExactly("UMA:c", "UMA:b");
    }

    @Test
    void freshListSkipsTheLookupSoARepeatedNameGetsTwoTypes() throws MemstatException {
        MemoryTypeList list = new MemoryTypeList();
        list.refreshUma(uma(1, new Zone("dup").counts(1, 0, 0, 0, 0), new Zone("dup").counts(2, 0, 0, 0, 0)));
        assertThat(list.types()).extracting(MemoryType::numAllocs).containsExactly(2L, 1L);
        // Later queries search: both records find the head-most "dup", which keeps the last record's values.
        list.refreshUma(uma(1, new Zone("dup").counts(3, 0, 0, 0, 0), new Zone("dup").counts(4, 0, 0, 0, 0)));
        assertThat(list.types()).extracting(MemoryType::numAllocs).containsExactly(4L, 1L);
        assertThat(list.find(Allocator.UMA, "dup").orElseThrow().numAllocs()).isEqualTo(4);
    }

    @Test
    void repeatedNewNameInALaterQueryAddsOneType() throws MemstatException {
        MemoryTypeList list = new MemoryTypeList();
        list.refreshUma(uma(1, new Zone("x")));
        list.refreshUma(uma(1, new Zone("x"), new Zone("dup").counts(5, 0, 0, 0, 0),
                new Zone("dup").counts(6, 0, 0, 0, 0)));
        assertThat(names(list)).containsExactly("UMA:dup", "UMA:x");
        assertThat(list.find(Allocator.UMA, "dup").orElseThrow().numAllocs()).isEqualTo(6);
    }

    @Test
    void refreshAllOnANewListPutsZonesBeforeMallocTypes() throws MemstatException {
        MemoryTypeList list = new MemoryTypeList();
        list.refreshAll(both(List.of(new Zone("z1"), new Zone("same")),
                List.of(new MallocType("m1"), new MallocType("same"))));
        assertThat(names(list)).containsExactly("UMA:same", "UMA:z1", "MALLOC:same", "MALLOC:m1");
        assertThat(list.find(Allocator.ANY, "same").orElseThrow().allocator()).isEqualTo(Allocator.UMA);
        assertThat(list.find(Allocator.MALLOC, "same").orElseThrow().allocator()).isEqualTo(Allocator.MALLOC);
        assertThat(list.find(Allocator.UMA, "m1")).isEmpty();
        assertThat(list.find(Allocator.ANY, "nothing")).isEmpty();
    }

    @Test
    void callerSlotsSurviveRefreshesAndCpuCountChanges() throws MemstatException {
        MemoryTypeList list = new MemoryTypeList();
        list.refreshUma(uma(2, new Zone("z").cpu(1, 0, 0, 9)));
        MemoryType z = list.find(Allocator.UMA, "z").orElseThrow();
        Object mark = new Object();
        z.setCallerPointer(15, mark);
        z.setCallerUint64(0, 42);
        z.setPercpuCallerUint64(1, 3, 7);
        z.setPercpuCallerPointer(0, 0, mark);
        Zone wide = new Zone("z");
        wide.cpu(63, 0, 0, 5);
        list.refreshUma(uma(64, wide));
        assertThat(z.cpuCount()).isEqualTo(64);
        assertThat(z.percpuFree(63)).isEqualTo(5);
        assertThat(z.percpuFree(1)).isZero();
        list.refreshUma(uma(1, new Zone("z")));
        assertThat(z.cpuCount()).isEqualTo(1);
        assertThatThrownBy(() -> z.percpuFree(1)).isInstanceOf(IndexOutOfBoundsException.class);
        list.refreshUma(uma(2, new Zone("z")));
        assertThat(z.callerPointer(15)).isSameAs(mark);
        assertThat(z.callerUint64(0)).isEqualTo(42);
        assertThat(z.percpuCallerUint64(1, 3)).isEqualTo(7);
        assertThat(z.percpuCallerPointer(0, 0)).isSameAs(mark);
        assertThat(z.callerPointer(1)).isNull();
        assertThat(z.percpuCallerUint64(0, 3)).isZero();
        assertThatThrownBy(() -> z.callerUint64(16)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void refreshZeroesPerCpuValuesOfCpusNoLongerReported() throws MemstatException {
        MemoryTypeList list = new MemoryTypeList();
        list.refreshUma(uma(2, new Zone("z").cpu(1, 0, 0, 9)));
        list.refreshUma(uma(1, new Zone("z")));
        list.refreshUma(uma(2, new Zone("z")));
        assertThat(list.find(Allocator.UMA, "z").orElseThrow().percpuFree(1)).isZero();
    }

    @Test
    void viewsAreReadOnly() throws MemstatException {
        MemoryTypeList list = new MemoryTypeList();
        list.refreshUma(uma(1, new Zone("z")));
        assertThatThrownBy(() -> list.types().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> {
            var it = list.iterator();
            it.next();
            it.remove();
        }).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void allocatorCodesAreLibmemstats() {
        assertThat(List.of(Allocator.UNKNOWN.code(), Allocator.MALLOC.code(), Allocator.UMA.code(),
                Allocator.ANY.code())).containsExactly(0, 1, 2, 255);
        assertThat(Allocator.fromCode(2)).isEqualTo(Allocator.UMA);
        assertThatThrownBy(() -> Allocator.fromCode(3)).isInstanceOf(IllegalArgumentException.class);
    }
}
