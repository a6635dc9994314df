package org.memstat.cli;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The input streams of the golden tests. Every number here is used in the hand computations written next to the
 * golden files ({@code src/test/resources/golden/*.notes.md}); change both together.
 */
final class Fixtures {
    private Fixtures() {
    }

    /** vm.zone_stats of {@code vmstat-z.txt}: 64 CPU slots, nine zones (list order is the reverse). */
    static byte[] zones(ByteOrder order) {
        TestStreams.Uma u = new TestStreams.Uma(64);
        u.zone("a_very_long_zone_name_exceeding").size(64).allocs(3).frees(2).kegFree(2);
        u.zone("mbuf_cluster").size(2048).limit(252563).allocs(3072).kegFree(1016);
        u.zone("mbuf").size(256).kegFree(1000).zoneFree(48).allocs(5000).frees(2000)
                .cpu(0, 10, 10, 20).cpu(63, 0, 0, 32);
        u.zone("mbuf_packet").secondary().size(256).kegFree(1000).zoneFree(2000).allocs(123456).frees(122432)
                .cpu(31, 0, 0, 48);
        u.zone("UMA Kegs").size(384).allocs(99).kegFree(1);
        u.zone("wide").size(4294967295L).limit(4294967295L).allocs(-1L).fails(123456).sleeps(99999)
                .xdomain(12345);
        u.zone("clamp").size(128).allocs(5).frees(9);
        u.zone("ünïcode").size(32);
        u.zone("x").size(16).kegFree(3).zoneFree(2).allocs(100).frees(40).cpu(0, 5, 1, 4).cpu(63, 7, 2, 1);
        return u.bytes(order);
    }

    /** kern.malloc_stats of {@code vmstat-m.txt}: 4 CPU slots, six types. */
    static byte[] mallocTypes(ByteOrder order) {
        TestStreams.Malloc m = new TestStreams.Malloc(4);
        m.type("devbuf").cpu(0, 4096, 1024, 3, 1, 1L << 7).cpu(1, 2048, 0, 1, 0, 1L << 8);
        m.type("unused");
        m.type("freed_all").cpu(2, 80, 80, 5, 5, 1L);
        m.type("big_numbers").cpu(0, 1000, 1000, 12344178, 12344178, 1L << 5)
                .cpu(3, 3145728, 0, 1500, 0, 1L << 13);
        m.type("a_type_name_longer_than_16").cpu(1, 1023, 0, 1000, 1, 0);
        m.type("huge").cpu(0, 10240, 0, -1L, 0, 1L << 20);
        return m.bytes(order);
    }

    /**
     * The mbuf zones of the reference's worked example (§5.2): mbuf 3000 used / 2000 free, packet 1000 / 500
     * (its keg's free items are not its own), cluster 2100 / 300 / limit 252563, page jumbo 50 / 10 / 126281.
     * {@code full} adds failures 1..3 and 10..12, sleeps 4..9 and 2048 bytes of mbuf tags.
     */
    static Map<String, byte[]> mbufSnapshot(boolean full) {
        TestStreams.Uma u = new TestStreams.Uma(2);
        TestStreams.Zone mbuf = u.zone("mbuf").size(256).allocs(3000).kegFree(1500).zoneFree(500);
        TestStreams.Zone packet = u.zone("mbuf_packet").secondary().size(256).allocs(1000).kegFree(1500)
                .zoneFree(500);
        TestStreams.Zone cluster = u.zone("mbuf_cluster").size(2048).limit(252563).allocs(2100).kegFree(300);
        TestStreams.Zone jumbop = u.zone("mbuf_jumbo_page").size(4096).limit(126281).allocs(50).kegFree(10);
        TestStreams.Zone jumbo9 = u.zone("mbuf_jumbo_9k").size(9216).limit(37416);
        TestStreams.Zone jumbo16 = u.zone("mbuf_jumbo_16k").size(16384).limit(21046);
        TestStreams.Malloc m = new TestStreams.Malloc(2);
        m.type("devbuf").cpu(0, 512, 0, 1, 0, 1L << 5);
        TestStreams.Type tag = m.type("mbuf_tag");
        if (full) {
            mbuf.fails(1).sleeps(4);
            cluster.fails(2).sleeps(5);
            packet.fails(3).sleeps(6);
            jumbop.sleeps(7).fails(10);
            jumbo9.sleeps(8).fails(11);
            jumbo16.sleeps(9).fails(12);
            tag.cpu(1, 4096, 2048, 2, 1, 1L << 10);
        }
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("vm.zone_stats", u.bytes(ByteOrder.LITTLE_ENDIAN));
        files.put("kern.malloc_stats", m.bytes(ByteOrder.LITTLE_ENDIAN));
        if (full) {
            files.put("kern.ipc.nsfbufs", TestStreams.ints(ByteOrder.LITTLE_ENDIAN, 6656));
            files.put("kern.ipc.nsfbufsused", TestStreams.ints(ByteOrder.LITTLE_ENDIAN, 12));
            files.put("kern.ipc.nsfbufspeak", TestStreams.ints(ByteOrder.LITTLE_ENDIAN, 40));
            files.put("kern.ipc.sfstat", TestStreams.longs(ByteOrder.LITTLE_ENDIAN, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
                    11));
        }
        return files;
    }

    /** A snapshot directory with both golden streams of vmstat. */
    static Path vmstatSnapshot(Path dir, ByteOrder order) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("vm.zone_stats", zones(order));
        files.put("kern.malloc_stats", mallocTypes(order));
        return CliRun.snapshot(dir, files);
    }
}
