package org.memstat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code --libxo json} parsed by an independent parser (Jackson) and checked key by key against libxo's containers
 * and keys (vmstat.c, mbuf.c) and the hand-computed values of the golden tests.
 */
class JsonOutputTest {
    @TempDir
    Path tmp;

    private final CliRun cli = new CliRun();
    private final ObjectMapper json = JsonMapper.builder().build();

    private static final BigInteger MAX_U64 = BigInteger.TWO.pow(64).subtract(BigInteger.ONE);

    private JsonNode run(String... args) {
        CliRun.Result r = cli.run(args);
        assertThat(r.err()).isEmpty();
        assertThat(r.code()).isZero();
        assertThat(r.out()).endsWith("\n");
        return json.readTree(r.out());
    }

    @Test
    void vmstatZonesHaveLibxoContainersKeysAndUnsignedNumbers() throws IOException {
        Path snap = Fixtures.vmstatSnapshot(tmp.resolve("s"), ByteOrder.LITTLE_ENDIAN);

        JsonNode doc = run("--source", "dir:" + snap, "vmstat", "-z", "--libxo", "json");

        assertThat(doc.propertyNames()).containsExactly("__version", "memory-zone-statistics");
        assertThat(doc.get("__version").stringValue()).isEqualTo("1");
        JsonNode zones = doc.get("memory-zone-statistics").get("zone");
        assertThat(doc.get("memory-zone-statistics").propertyNames()).containsExactly("zone");
        assertThat(zones.size()).isEqualTo(9);
        for (JsonNode z : zones) {
            assertThat(z.propertyNames()).containsExactly("name", "size", "limit", "used", "free", "requests",
                    "fail", "sleep", "xdomain");
            assertThat(z.get("name").isString()).isTrue();
            z.properties().stream().filter(e -> !e.getKey().equals("name"))
                    .forEach(e -> assertThat(e.getValue().isNumber()).as(e.getKey()).isTrue());
        }
        // name, size, limit, used, free, requests, fail, sleep, xdomain: the golden rows in list order.
        expectZone(zones.get(0), "x", 16, 0, 69, 10, 112, 0, 0, 0);
        expectZone(zones.get(1), "ünïcode", 32, 0, 0, 0, 0, 0, 0, 0);
        expectZone(zones.get(2), "clamp", 128, 0, 0, 0, 9, 0, 0, 0);
        assertThat(zones.get(3).get("name").stringValue()).isEqualTo("wide");
        assertThat(zones.get(3).get("size").bigIntegerValue()).isEqualTo(BigInteger.valueOf(4294967295L));
        assertThat(zones.get(3).get("used").bigIntegerValue()).isEqualTo(MAX_U64);
        assertThat(zones.get(3).get("requests").bigIntegerValue()).isEqualTo(MAX_U64);
        assertThat(zones.get(3).get("fail").bigIntegerValue()).isEqualTo(BigInteger.valueOf(123456));
        expectZone(zones.get(5), "mbuf_packet", 256, 0, 1024, 2048, 123456, 0, 0, 0);
        expectZone(zones.get(6), "mbuf", 256, 0, 3000, 1100, 5010, 0, 0, 0);
        expectZone(zones.get(8), "a_very_long_zone_name_exceeding", 64, 0, 1, 2, 3, 0, 0, 0);
    }

    private static void expectZone(JsonNode z, String name, long... values) {
        assertThat(z.get("name").stringValue()).isEqualTo(name);
        String[] keys = {"size", "limit", "used", "free", "requests", "fail", "sleep", "xdomain"};
        for (int i = 0; i < keys.length; i++) {
            assertThat(z.get(keys[i]).bigIntegerValue()).as(name + " " + keys[i])
                    .isEqualTo(BigInteger.valueOf(values[i]));
        }
    }

    @Test
    void formatJsonAndPrettyGiveTheSameDocument() throws IOException {
        Path snap = Fixtures.vmstatSnapshot(tmp.resolve("s"), ByteOrder.LITTLE_ENDIAN);

        JsonNode libxo = run("--source", "dir:" + snap, "--libxo", "json", "vmstat", "-z", "-m");
        JsonNode format = run("--source", "dir:" + snap, "vmstat", "-z", "-m", "--format", "json");
        JsonNode pretty = run("--source", "dir:" + snap, "vmstat", "-z", "-m", "--libxo", "json,pretty");

        assertThat(format).isEqualTo(libxo);
        assertThat(pretty).isEqualTo(libxo);
        assertThat(libxo.propertyNames()).containsExactly("__version", "malloc-statistics",
                "memory-zone-statistics");
    }

    @Test
    void vmstatMallocTypesHaveRawNumbersAndSizeLeafLists() throws IOException {
        Path snap = Fixtures.vmstatSnapshot(tmp.resolve("s"), ByteOrder.LITTLE_ENDIAN);

        JsonNode doc = run("--source", "dir:" + snap, "vmstat", "-m", "--libxo", "json");

        JsonNode types = doc.get("malloc-statistics").get("memory");
        assertThat(types.size()).isEqualTo(5);
        for (JsonNode t : types) {
            assertThat(t.propertyNames()).containsExactly("type", "in-use", "memory-use", "requests", "size");
            assertThat(t.get("size").isArray()).isTrue();
        }
        assertThat(types.get(0).get("type").stringValue()).isEqualTo("huge");
        assertThat(types.get(0).get("in-use").bigIntegerValue()).isEqualTo(MAX_U64);
        assertThat(types.get(0).get("size").size()).isZero();
        JsonNode big = types.get(2);
        assertThat(big.get("type").stringValue()).isEqualTo("big_numbers");
        assertThat(big.get("in-use").longValue()).isEqualTo(1500);
        assertThat(big.get("memory-use").longValue()).isEqualTo(3145728);
        assertThat(big.get("requests").longValue()).isEqualTo(12345678);
        assertThat(big.get("size").get(0).longValue()).isEqualTo(384);
        assertThat(big.get("size").get(1).longValue()).isEqualTo(65536);
        assertThat(types.get(4).get("type").stringValue()).isEqualTo("devbuf");
        assertThat(types.get(4).get("memory-use").longValue()).isEqualTo(5120);
    }

    /** The libxo keys of netstat -m in emit order (reference §5.2 table, CUR-netstat). */
    private static final List<String> MBUF_KEYS = List.of("mbuf-current", "mbuf-cache", "mbuf-total",
            "cluster-current", "cluster-cache", "cluster-total", "cluster-max", "packet-count", "packet-free",
            "jumbo-count", "jumbo-cache", "jumbo-total", "jumbo-max", "jumbo-page-size", "jumbo9-count",
            "jumbo9-cache", "jumbo9-total", "jumbo9-max", "jumbo16-count", "jumbo16-cache", "jumbo16-total",
            "jumbo16-limit", "bytes-in-use", "bytes-in-cache", "bytes-total", "mbuf-failures", "cluster-failures",
            "packet-failures", "mbuf-sleeps", "cluster-sleeps", "packet-sleeps", "jumbop-sleeps", "jumbo9-sleeps",
            "jumbo16-sleeps", "jumbop-failures", "jumbo9-failures", "jumbo16-failures");

    @Test
    void netstatHasTheMbufStatisticsContainerWithFreeBsdKeys() throws IOException {
        Path snap = CliRun.snapshot(tmp.resolve("m"), Fixtures.mbufSnapshot(false));

        JsonNode doc = run("--source", "dir:" + snap, "netstat", "-m", "--libxo", "json");

        assertThat(doc.propertyNames()).containsExactly("mbuf-statistics");
        JsonNode m = doc.get("mbuf-statistics");
        assertThat(m.propertyNames()).containsExactlyElementsOf(MBUF_KEYS);
        Map<String, Long> expected = Map.of("mbuf-current", 4000L, "mbuf-cache", 2500L, "cluster-current", 1600L,
                "cluster-max", 252563L, "jumbo-page-size", 4L, "jumbo16-limit", 21046L, "bytes-in-use", 4400L,
                "bytes-in-cache", 2265L, "bytes-total", 6665L);
        expected.forEach((k, v) -> assertThat(m.get(k).longValue()).as(k).isEqualTo(v));
    }

    @Test
    void netstatAddsSfbufAndSendfileKeysWhenPresent() throws IOException {
        Path snap = CliRun.snapshot(tmp.resolve("m"), Fixtures.mbufSnapshot(true));

        JsonNode m = run("--source", "dir:" + snap, "netstat", "-m", "--libxo", "json").get("mbuf-statistics");

        List<String> tail = List.of("nsfbufs-current", "nsfbufs-peak", "nsfbufs", "sendfile-syscalls",
                "sendfile-no-io", "sendfile-io-count", "sendfile-pages-sent", "sendfile-pages-valid",
                "sendfile-pages-bogus", "sendfile-requested-readahead", "sendfile-readahead",
                "sendfile-busy-encounters", "sfbufs-alloc-failed", "sfbufs-alloc-wait");
        assertThat(List.copyOf(m.propertyNames()).subList(MBUF_KEYS.size(), m.size())).containsExactlyElementsOf(tail);
        assertThat(m.get("nsfbufs-current").intValue()).isEqualTo(12);
        assertThat(m.get("nsfbufs").intValue()).isEqualTo(6656);
        assertThat(m.get("sendfile-pages-bogus").longValue()).isEqualTo(11);
        assertThat(m.get("sfbufs-alloc-wait").longValue()).isEqualTo(10);
        assertThat(m.get("bytes-in-use").longValue()).isEqualTo(4402);
        assertThat(m.get("jumbo16-failures").longValue()).isEqualTo(12);
    }

    @Test
    void netstatSubtractionsWrapAsUnsigned64BitLikeFreeBsd() throws IOException {
        TestStreams.Uma u = new TestStreams.Uma(1);
        u.zone("mbuf").size(256);
        u.zone("mbuf_packet").secondary().size(256).zoneFree(500);
        u.zone("mbuf_cluster").size(2048).allocs(100);
        u.zone("mbuf_jumbo_page").size(4096);
        u.zone("mbuf_jumbo_9k").size(9216);
        u.zone("mbuf_jumbo_16k").size(16384);
        TestStreams.Malloc mt = new TestStreams.Malloc(1);
        mt.type("mbuf_tag");
        Path snap = CliRun.snapshot(tmp.resolve("w"), Map.of("vm.zone_stats", u.bytes(ByteOrder.LITTLE_ENDIAN),
                "kern.malloc_stats", mt.bytes(ByteOrder.LITTLE_ENDIAN)));

        JsonNode m = run("--source", "dir:" + snap, "netstat", "-m", "--libxo", "json").get("mbuf-statistics");

        // cluster-current = cluster.count - packet.free = 100 - 500, modulo 2^64.
        assertThat(m.get("cluster-current").bigIntegerValue()).isEqualTo(BigInteger.TWO.pow(64).subtract(
                BigInteger.valueOf(400)));
    }

    @Test
    void namesWithQuotesBackslashesAndControlCharactersAreEscaped() throws IOException {
        TestStreams.Uma u = new TestStreams.Uma(1);
        String name = "we\"ird\\zone\t\u0001é";
        u.zone(name).size(8);
        Path snap = CliRun.snapshot(tmp.resolve("e"), Map.of("vm.zone_stats", u.bytes(ByteOrder.LITTLE_ENDIAN)));

        CliRun.Result r = cli.run("--source", "dir:" + snap, "vmstat", "-z", "--libxo", "json");

        assertThat(r.out()).contains("\\\"").contains("\\\\").contains("\\t").contains("\\u0001");
        JsonNode z = json.readTree(r.out()).get("memory-zone-statistics").get("zone").get(0);
        assertThat(z.get("name").stringValue()).isEqualTo(name);
    }
}
