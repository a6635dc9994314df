package org.memstat.lib;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The derived offsets in {@link StreamLayout} equal the numbers in the reference tables (§1.2-§1.4, §2). */
class StreamLayoutTest {
    @Test
    void streamHeaderIsSixteenBytes() {
        assertThat(List.of(StreamLayout.SH_VERSION, StreamLayout.SH_MAXCPUS, StreamLayout.SH_COUNT,
                StreamLayout.SH_PAD, StreamLayout.SH_BYTES)).containsExactly(0, 4, 8, 12, 16);
    }

    @Test
    void umaTypeHeaderMatchesReferenceSection13() {
        assertThat(List.of(StreamLayout.UTH_NAME, StreamLayout.UTH_ALIGN, StreamLayout.UTH_SIZE,
                StreamLayout.UTH_RSIZE, StreamLayout.UTH_MAXPAGES, StreamLayout.UTH_LIMIT, StreamLayout.UTH_PAGES,
                StreamLayout.UTH_KEG_FREE, StreamLayout.UTH_ZONE_FREE, StreamLayout.UTH_BUCKETSIZE,
                StreamLayout.UTH_ZONE_FLAGS, StreamLayout.UTH_ALLOCS, StreamLayout.UTH_FREES, StreamLayout.UTH_FAILS,
                StreamLayout.UTH_SLEEPS, StreamLayout.UTH_XDOMAIN, StreamLayout.UTH_RESERVED, StreamLayout.UTH_BYTES))
                .containsExactly(0, 32, 36, 40, 44, 48, 52, 56, 60, 64, 68, 72, 80, 88, 96, 104, 112, 120);
    }

    @Test
    void perCpuRecordsAreSixtyFourBytes() {
        assertThat(List.of(StreamLayout.UPS_ALLOCS, StreamLayout.UPS_FREES, StreamLayout.UPS_CACHE_FREE,
                StreamLayout.UPS_RESERVED, StreamLayout.UPS_BYTES)).containsExactly(0, 8, 16, 24, 64);
        assertThat(List.of(StreamLayout.MTS_MEMALLOCED, StreamLayout.MTS_MEMFREED, StreamLayout.MTS_NUMALLOCS,
                StreamLayout.MTS_NUMFREES, StreamLayout.MTS_SIZE, StreamLayout.MTS_RESERVED, StreamLayout.MTS_BYTES))
                .containsExactly(0, 8, 16, 24, 32, 40, 64);
        assertThat(StreamLayout.MTH_BYTES).isEqualTo(32);
    }

    @Test
    void versionWordOfABigEndianProducerReadsSwapped() {
        assertThat(StreamLayout.STREAM_VERSION_SWAPPED).isEqualTo(0x0100_0000);
    }
}
