package org.memstat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteOrder;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.memstat.lib.MemoryTypeList;
import org.memstat.lib.MemstatException;
import org.memstat.lib.SysctlSource;

/** The key bindings and counter arithmetic behind the full-screen view. */
class TopModelTest {
    private static MemoryTypeList list(long allocs) throws MemstatException {
        TestStreams.Uma u = new TestStreams.Uma(1);
        u.zone("z").size(8).allocs(allocs);
        MemoryTypeList l = new MemoryTypeList();
        l.refreshUma(SysctlSource.of(Map.of("vm.zone_stats", u.bytes(ByteOrder.LITTLE_ENDIAN))));
        return l;
    }

    @Test
    void documentedKeysSelectTheirColumns() {
        assertThat("nsufrFSb".chars().mapToObj(TopModel.Sort::ofKey)).containsExactly(TopModel.Sort.NAME,
                TopModel.Sort.SIZE, TopModel.Sort.USED, TopModel.Sort.FREE, TopModel.Sort.REQ, TopModel.Sort.FAIL,
                TopModel.Sort.SLEEP, TopModel.Sort.BYTES);
        assertThat(TopModel.Sort.ofKey('q')).isNull();
    }

    @Test
    void pressingTheSameSortKeyAgainReversesTheOrder() {
        TopModel m = new TopModel();
        m.sortBy(TopModel.Sort.USED);
        assertThat(m.reversed).isFalse();
        m.sortBy(TopModel.Sort.USED);
        assertThat(m.reversed).isTrue();
        m.sortBy(TopModel.Sort.NAME);
        assertThat(m.reversed).isFalse();
    }

    @Test
    void modeKeyCyclesRateDeltaSinceStartAbsolute() {
        TopModel.Mode m = TopModel.Mode.RATE;
        StringBuilder seen = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            seen.append(m.label).append(' ');
            m = m.next();
        }
        assertThat(seen.toString()).isEqualTo("rate delta since-start absolute rate ");
    }

    @Test
    void refreshingTheSameListInPlaceGivesTheIntervalDelta() throws MemstatException {
        TopModel model = new TopModel();
        TestStreams.Uma u1 = new TestStreams.Uma(1);
        u1.zone("z").size(8).allocs(-6L);
        TestStreams.Uma u2 = new TestStreams.Uma(1);
        u2.zone("z").size(8).allocs(4);
        MemoryTypeList l = new MemoryTypeList();
        l.refreshUma(SysctlSource.of(Map.of("vm.zone_stats", u1.bytes(ByteOrder.LITTLE_ENDIAN))));
        model.sample(l, 0);
        l.refreshUma(SysctlSource.of(Map.of("vm.zone_stats", u2.bytes(ByteOrder.LITTLE_ENDIAN))));

        TopModel.Frame f = model.sample(l, 2_000_000_000L);

        // 2^64 - 6 -> 4 is +10 modulo 2^64: a wrapped counter still gives the right delta.
        assertThat(f.rows().get(0).req().value(TopModel.Mode.DELTA)).isEqualTo(10);
        assertThat(f.seconds()).isEqualTo(2.0);
        assertThat(TopText.counter(10, f, true)).isEqualTo("5.0");
    }

    @Test
    void firstSampleHasNoIntervalSoRatesShowADash() throws MemstatException {
        TopModel.Frame f = new TopModel().sample(list(5), 0);

        assertThat(TopText.counter(0, f, true)).isEqualTo("-");
    }
}
