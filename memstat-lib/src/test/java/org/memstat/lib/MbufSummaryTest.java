package org.memstat.lib;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The worked example of reference §5.2, fed through real streams. */
class MbufSummaryTest {

    private static StreamEncoder.Zone zone(String name, int size, int limit, long count, int free) {
        // One CPU slot; the zone counters carry everything, cached items sit in the zone's bucket cache.
        return new StreamEncoder.Zone(name).size(size, size).limit(limit).free(0, free).counts(count, 0, 0, 0, 0);
    }

    @Test
    void computesTheReferenceExample() throws Exception {
        List<StreamEncoder.Zone> zones = List.of(
                zone("mbuf", 256, 0, 3000, 2000),
                zone("mbuf_packet", 256, 0, 1000, 500),
                zone("mbuf_cluster", 2048, 252563, 2100, 300),
                zone("mbuf_jumbo_page", 4096, 126281, 50, 10),
                zone("mbuf_jumbo_9k", 9216, 37416, 0, 0),
                zone("mbuf_jumbo_16k", 16384, 21046, 0, 0));
        byte[] uma = StreamEncoder.uma(ByteOrder.LITTLE_ENDIAN, 1, zones);
        byte[] malloc = StreamEncoder.malloc(ByteOrder.LITTLE_ENDIAN, 1,
                List.of(new StreamEncoder.MallocType("mbuf_tag").cpu(0, 512, 256, 4, 2, 1)));
        MemoryTypeList list = new MemoryTypeList();
        list.refreshAll(SysctlSource.of(TestSources.kernel(ByteOrder.LITTLE_ENDIAN, uma, malloc)));
        MbufSummary s = MbufSummary.from(list);
        assertThat(s.get("mbuf-current")).isEqualTo(4000);
        assertThat(s.get("mbuf-cache")).isEqualTo(2500);
        assertThat(s.get("mbuf-total")).isEqualTo(6500);
        assertThat(s.get("cluster-current")).isEqualTo(1600);
        assertThat(s.get("cluster-cache")).isEqualTo(800);
        assertThat(s.get("cluster-total")).isEqualTo(2400);
        assertThat(s.get("cluster-max")).isEqualTo(252563);
        assertThat(s.get("jumbo-page-size")).isEqualTo(4);
        assertThat(s.get("jumbo9-max")).isEqualTo(37416);
        // The reference example has no tags; ours hold 256 bytes, which stay inside the same kilobyte.
        assertThat(s.get("bytes-in-use") / 1024).isEqualTo(4400);
        assertThat(s.get("bytes-in-cache") / 1024).isEqualTo(2265);
        assertThat(s.get("bytes-total") / 1024).isEqualTo(6665);
        assertThat(s.figures().keySet()).startsWith("mbuf-current", "mbuf-cache", "mbuf-total", "cluster-current");
    }

    @Test
    void reportsAMissingZoneOrTagTypeAsNetstatDoes() throws Exception {
        byte[] uma = StreamEncoder.uma(ByteOrder.LITTLE_ENDIAN, 1, List.of(zone("mbuf", 256, 0, 1, 1)));
        MemoryTypeList list = new MemoryTypeList();
        list.refreshUma(SysctlSource.of(TestSources.kernel(ByteOrder.LITTLE_ENDIAN, uma, null)));
        assertThatThrownBy(() -> MbufSummary.from(list)).hasMessage("memstat_mtl_find: zone mbuf_packet not found");
    }
}
