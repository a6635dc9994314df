package org.memstat.lib;

import static java.nio.ByteOrder.BIG_ENDIAN;
import static java.nio.ByteOrder.LITTLE_ENDIAN;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.memstat.lib.StreamEncoder.MallocType;
import org.memstat.lib.StreamEncoder.Zone;

/**
 * The golden snapshots under {@code src/test/resources/golden/v1/}, each a {@code dir:} directory of files named
 * by OID. This class is their generator and documents every value; {@link GoldenFilesTest} keeps the committed
 * files and this generator identical, and {@link GoldenDecodeTest} checks hand-computed results.
 *
 * <ul>
 *   <li>{@code le-2cpu}: the streams only (scalars derived), little-endian, maxcpus 2.</li>
 *   <li>{@code be-2cpu}: the same numbers big-endian, plus {@code kern.smp.maxid} as a raw big-endian int,
 *       {@code vm.malloc.zone_count} as text and {@code vm.malloc.zone_sizes} as raw ints (the 2006 table).</li>
 *   <li>{@code le-1cpu}: maxcpus 1.</li>
 *   <li>{@code le-64cpu}: maxcpus 64, values on scattered CPUs.</li>
 * </ul>
 */
final class GoldenStreams {
    private GoldenStreams() {
    }

    static final String ZONE_STATS = "vm.zone_stats";
    static final String MALLOC_STATS = "kern.malloc_stats";
    static final List<String> DIRS = List.of("le-2cpu", "be-2cpu", "le-1cpu", "le-64cpu");

    static final String NAME_31 = "abcdefghijklmnopqrstuvwxyz_0123";
    static final String MALLOC_NAME_31 = "malloc_name_of_exactly_31_bytes";
    /** FreeBSD 6's malloc bucket table: powers of two from 16 to 65536 (13 zones, no 384). */
    static final int[] SIZES_2006 = {16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768, 65536};

    /**
     * Five zones in stream order: {@code mbuf} (primary), {@code mbuf_packet} (its secondary, same keg), a
     * 31-byte name whose byteslimit wraps, a zone whose frees exceed its allocs, and counters near 2^64.
     */
    static List<Zone> zones2() {
        return List.of(
                new Zone("mbuf").size(256, 256).limit(1000).free(40, 12).counts(1000, 900, 3, 2, 1)
                        .cpu(0, 50, 30, 5).cpu(1, 20, 10, 7),
                new Zone("mbuf_packet").size(256, 256).free(40, 100).secondary().counts(5000, 4000, 0, 0, 0)
                        .cpu(0, 300, 200, 64).cpu(1, 100, 50, 32),
                // limit 2^20 + 3 times size 4096 = 2^32 + 12288, which FreeBSD's 32-bit product wraps to 12288.
                new Zone(NAME_31).size(4096, 4096).limit((1 << 20) + 3).counts(7, 2, 0, 0, 0),
                new Zone("clamp").size(64, 64).counts(10, 15, 0, 0, 0).cpu(0, 1, 0, 0),
                new Zone("near_2_64").size(16, 16).free(0xFFFF_FFF0, 0x8000_0000)
                        .counts(-10L, -20L, -1L, Long.MIN_VALUE, Long.MAX_VALUE)
                        .cpu(0, 5, 4, 0).cpu(1, 3, 6, 0));
    }

    /**
     * Three malloc types: {@code devbuf} with size bits 0, 5 and 7; a 31-byte name (its 32-byte field holds
     * one NUL); {@code temp} with more frees than allocs (malloc has no clamp) and size bit 63.
     */
    static List<MallocType> types2() {
        return List.of(
                new MallocType("devbuf").cpu(0, 4096, 1024, 10, 4, 0x81).cpu(1, 2048, 0, 3, 0, 0x20),
                new MallocType(MALLOC_NAME_31).cpu(1, 65536, 0, 1, 0, 0x2000),
                new MallocType("temp").cpu(0, 16, 48, 1, 3, 0).cpu(1, 0, 0, 0, 0, Long.MIN_VALUE));
    }

    /** Three zones as a small machine's first kegs: {@code UMA Kegs}, {@code UMA Zones}, {@code 64 Bucket}. */
    static List<Zone> zones1() {
        return List.of(
                new Zone("UMA Kegs").size(384, 384).free(1, 0).counts(99, 0, 0, 0, 0),
                new Zone("UMA Zones").size(1216, 1216).free(3, 0).counts(98, 2, 0, 0, 0),
                new Zone("64 Bucket").size(512, 512).free(0, 6).counts(0, 0, 1, 0, 0).cpu(0, 10, 4, 2));
    }

    static List<MallocType> types1() {
        return List.of(new MallocType("temp").cpu(0, 1024, 512, 4, 2, 0x7));
    }

    /**
     * Two zones of 64 CPUs: {@code mbuf_cluster} (counts on CPUs 0, 31, 63 that add up to vmstat's example
     * 3072 used, 1016 free) and {@code mbuf_jumbo_page} (CPU j allocated j items and caches 1).
     */
    static List<Zone> zones64() {
        Zone jumbo = new Zone("mbuf_jumbo_page").size(4096, 4096).counts(0, 16, 0, 0, 0);
        for (int j = 0; j < 64; j++) {
            jumbo.cpu(j, j, 0, 1);
        }
        return List.of(
                new Zone("mbuf_cluster").size(2048, 2048).limit(252563).free(1000, 0).counts(3000, 0, 0, 0, 0)
                        .cpu(0, 40, 0, 8).cpu(31, 20, 0, 4).cpu(63, 12, 0, 4),
                jumbo);
    }

    /** One type of a 64-CPU kernel (MAXCPU 64) on which only CPUs 0 and 1 exist; the rest are zero records. */
    static List<MallocType> types64() {
        return List.of(new MallocType("mbuf_tag").cpu(0, 320, 160, 10, 5, 0x4).cpu(1, 64, 32, 2, 1, 0x2));
    }

    /** The files of golden directory {@code dir}, generated. */
    static Map<String, byte[]> generate(String dir) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        switch (dir) {
            case "le-2cpu" -> {
                files.put(ZONE_STATS, StreamEncoder.uma(LITTLE_ENDIAN, 2, zones2()));
                files.put(MALLOC_STATS, StreamEncoder.malloc(LITTLE_ENDIAN, 2, types2()));
            }
            case "be-2cpu" -> {
                files.put(ZONE_STATS, StreamEncoder.uma(BIG_ENDIAN, 2, zones2()));
                files.put(MALLOC_STATS, StreamEncoder.malloc(BIG_ENDIAN, 2, types2()));
                files.put("kern.smp.maxid", StreamEncoder.ints(BIG_ENDIAN, 1));
                files.put("vm.malloc.zone_count", "13\n".getBytes(StandardCharsets.US_ASCII));
                files.put("vm.malloc.zone_sizes", StreamEncoder.ints(BIG_ENDIAN, SIZES_2006));
            }
            case "le-1cpu" -> {
                files.put(ZONE_STATS, StreamEncoder.uma(LITTLE_ENDIAN, 1, zones1()));
                files.put(MALLOC_STATS, StreamEncoder.malloc(LITTLE_ENDIAN, 1, types1()));
            }
            case "le-64cpu" -> {
                files.put(ZONE_STATS, StreamEncoder.uma(LITTLE_ENDIAN, 64, zones64()));
                files.put(MALLOC_STATS, StreamEncoder.malloc(LITTLE_ENDIAN, 64, types64()));
            }
            default -> throw new IllegalArgumentException(dir);
        }
        return files;
    }

    /** The committed directory {@code dir} on the test class path. */
    static Path dir(String dir) {
        try {
            return Path.of(GoldenStreams.class.getResource("/golden/v1/" + dir).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One committed golden stream. */
    record Stream(String dir, String oid, byte[] bytes) {
        ByteOrder order() {
            return dir.startsWith("be") ? BIG_ENDIAN : LITTLE_ENDIAN;
        }

        @Override
        public String toString() {
            return dir + "/" + oid;
        }
    }

    /** Every committed golden stream, read from the class path. */
    static List<Stream> streams() {
        List<Stream> all = new ArrayList<>();
        for (String d : DIRS) {
            for (String oid : List.of(ZONE_STATS, MALLOC_STATS)) {
                try {
                    all.add(new Stream(d, oid, Files.readAllBytes(dir(d).resolve(oid))));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return all;
    }
}
