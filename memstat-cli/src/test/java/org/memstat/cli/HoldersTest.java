package org.memstat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code memstat holders} on a hand-made {@code vm.zone_samples} in a {@code dir:} snapshot, every figure worked
 * out by hand:
 *
 * <pre>
 * conn #1 (rate 1, 2048 B)  A  10 in use, 20480 B   ConnTable.open, Server.accept
 *                           B   3 in use,  6144 B   Deep.f0 .. Deep.f9 (10 frames: 8 shown, "... 2 more")
 *                           C   5 allocated, none in use (left out)
 * conn #2 (rate 1, 2048 B)  D   1 in use,  2048 B   malloc type devbuf, Cache.fill
 *   total 28672 B (28KB) in 14 items; shares 71.4 %, 21.4 %, 7.1 %
 * scaled (rate 512, 256 B)  2 samples of 512 B at rate 512: s = 1 / (1 - exp(-256/512)) = 2.5415, 5 items 1301 B
 *                           1 sample of 256 B taken at rate 1: 1 item 256 B; total 1557 B, shares 83.6 %, 16.4 %
 * off (rate 0, no sites); quiet (rate 4096, no sites)
 * </pre>
 */
class HoldersTest {
    @TempDir
    Path tmp;

    private final CliRun cli = new CliRun();
    private String source;

    private static ProfileStreams.Frame frame(String cls, String method, int line) {
        String simple = cls.substring(cls.lastIndexOf('.') + 1);
        return new ProfileStreams.Frame(cls, method, simple + ".java", line);
    }

    static byte[] samples() {
        ProfileStreams.Samples s = new ProfileStreams.Samples(1_700_000_000_000_000_000L);
        ProfileStreams.Frame[] deep = new ProfileStreams.Frame[10];
        for (int i = 0; i < deep.length; i++) {
            deep[i] = frame("org.example.Deep", "f" + i, i + 1);
        }
        s.zone("conn", 1, 2048)
                .site(3, 6144, deep)
                .site("", 1, 5, 10240, 0, 0, frame("org.example.Gone", "churn", 3))
                .site(10, 20480, frame("org.example.ConnTable", "open", 42), frame("org.example.Server", "accept", 7));
        s.zone("off", 0, 64);
        s.zone("scaled", 512, 256)
                .site("", 1, 1, 256, 1, 256, frame("org.example.Early", "init", 5))
                .site(2, 512, frame("org.example.Late", "grow", 6));
        s.zone("quiet", 4096, 64);
        s.zone("conn", 1, 2048)
                .site("devbuf", 1, 1, 2048, 1, 2048, frame("org.example.Cache", "fill", 9));
        return s.bytes(ByteOrder.LITTLE_ENDIAN);
    }

    @BeforeEach
    void snapshot() throws IOException {
        TestStreams.Uma u = new TestStreams.Uma(2);
        u.zone("conn").size(2048).allocs(14);
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("vm.zone_stats", u.bytes(ByteOrder.LITTLE_ENDIAN));
        files.put("vm.zone_samples", samples());
        source = "dir:" + CliRun.snapshot(tmp.resolve("snap"), files);
    }

    private CliRun.Result holders(String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "--source";
        all[1] = source;
        all[2] = "holders";
        System.arraycopy(args, 0, all, 3, args.length);
        return cli.run(all);
    }

    @Test
    void ranksTheSitesOfAllZonesOfTheNameByBytesInUseWithSharesTypesAndFrames() {
        CliRun.Result r = holders("conn");

        assertThat(r.err()).isEmpty();
        assertThat(r.code()).isZero();
        assertThat(r.out()).isEqualTo("""
                zone conn (2 zones), sample rate 1 byte: 28KB (28672 bytes) in use in 14 items (exact: rate 1), \
                3 sites

                #1  20KB (20480 bytes)  10 items  71.4%
                    at org.example.ConnTable.open(ConnTable.java:42)
                    at org.example.Server.accept(Server.java:7)

                #2  6.0KB (6144 bytes)  3 items  21.4%
                    at org.example.Deep.f0(Deep.java:1)
                    at org.example.Deep.f1(Deep.java:2)
                    at org.example.Deep.f2(Deep.java:3)
                    at org.example.Deep.f3(Deep.java:4)
                    at org.example.Deep.f4(Deep.java:5)
                    at org.example.Deep.f5(Deep.java:6)
                    at org.example.Deep.f6(Deep.java:7)
                    at org.example.Deep.f7(Deep.java:8)
                    ... 2 more

                #3  2.0KB (2048 bytes)  1 item  7.1%  malloc type devbuf
                    at org.example.Cache.fill(Cache.java:9)
                """);
    }

    @Test
    void topNShowsTheBiggestSitesAndSumsTheRest() {
        CliRun.Result r = holders("conn", "-n", "1");

        assertThat(r.code()).isZero();
        assertThat(r.out()).isEqualTo("""
                zone conn (2 zones), sample rate 1 byte: 28KB (28672 bytes) in use in 14 items (exact: rate 1), \
                3 sites

                #1  20KB (20480 bytes)  10 items  71.4%
                    at org.example.ConnTable.open(ConnTable.java:42)
                    at org.example.Server.accept(Server.java:7)

                ... 2 more sites: 8.0KB (8192 bytes), 28.6%
                """);
    }

    @Test
    void scalesSampledSitesAsGoDoesAndNotesSitesSampledAtAnotherRate() {
        CliRun.Result r = holders("scaled");

        assertThat(r.code()).isZero();
        assertThat(r.out()).isEqualTo("""
                zone scaled, sample rate 512 bytes: 1.5KB (1557 bytes) in use in 6 items (estimated), 2 sites

                #1  1.3KB (1301 bytes)  5 items  83.6%
                    at org.example.Late.grow(Late.java:6)

                #2  256B (256 bytes)  1 item  16.4%  sampled at rate 1
                    at org.example.Early.init(Early.java:5)
                """);
    }

    @Test
    void aZoneWithSamplingOffSaysHowToTurnItOnAndExitsZero() {
        CliRun.Result r = holders("off");

        assertThat(r.err()).isEmpty();
        assertThat(r.code()).isZero();
        assertThat(r.out()).isEqualTo("zone off: sampling is off (rate 0); set vm.uma.off.sample_rate\n");
    }

    @Test
    void aSampledZoneWithNothingInUseSaysSo() {
        CliRun.Result r = holders("quiet");

        assertThat(r.code()).isZero();
        assertThat(r.out()).isEqualTo("zone quiet, sample rate 4096 bytes: no sampled allocations in use\n");
    }

    @Test
    void anUnknownZoneIsOneLineAndExitSeven() {
        CliRun.Result r = holders("nosuch");

        assertThat(r.code()).isEqualTo(ExitCode.MISSING_TYPE);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("memstat: " + source + ": no zone named 'nosuch' in vm.zone_samples\n");
    }

    @Test
    void aSourceWithoutSamplesNamesTheMissingStream() throws IOException {
        TestStreams.Uma u = new TestStreams.Uma(2);
        u.zone("conn").size(2048);
        Path plain = CliRun.snapshot(tmp.resolve("plain"), Map.of("vm.zone_stats", u.bytes(ByteOrder.LITTLE_ENDIAN)));

        CliRun.Result r = cli.run("--source", "dir:" + plain, "holders", "conn");

        assertThat(r.code()).isEqualTo(ExitCode.MISSING_TYPE);
        assertThat(r.err()).isEqualTo("memstat: dir:" + plain + ": no zone named 'conn' in vm.zone_samples (the "
                + "source has no sampled allocations: vm.zone_samples absent)\n");
    }

    @Test
    void aCorruptSampleStreamIsOneLineAndADataOrVersionError() throws IOException {
        byte[] bad = samples();
        CliRun.snapshot(tmp.resolve("snap"), Map.of("vm.zone_samples", java.util.Arrays.copyOf(bad, bad.length - 3)));

        CliRun.Result r = holders("conn");

        assertThat(r.code()).isEqualTo(ExitCode.DATAERROR);
        assertThat(r.err()).startsWith("memstat: " + source + ": vm.zone_samples: ").endsWith("\n")
                .doesNotContain("\tat ");
        assertThat(r.err().lines()).hasSize(1);
    }

    @Test
    void badTopNIsAUsageError() {
        CliRun.Result r = holders("conn", "-n", "0");

        assertThat(r.code()).isEqualTo(ExitCode.USAGE);
        assertThat(r.err()).startsWith("-n must be at least 1");
    }

    @Test
    void jsonHasTheSameFiguresAndEveryFrame() {
        CliRun.Result r = holders("conn", "-n", "2", "--libxo", "json");

        assertThat(r.code()).isZero();
        JsonNode doc = JsonMapper.builder().build().readTree(r.out());
        assertThat(doc.path("__version").asString()).isEqualTo("1");
        JsonNode h = doc.path("holders");
        assertThat(h.path("zone").asString()).isEqualTo("conn");
        assertThat(h.path("zones").asInt()).isEqualTo(2);
        assertThat(h.path("inuse-bytes").asLong()).isEqualTo(28672);
        assertThat(h.path("inuse-items").asLong()).isEqualTo(14);
        assertThat(h.path("sites-in-use").asInt()).isEqualTo(3);
        assertThat(h.path("site")).hasSize(2);
        JsonNode first = h.path("site").get(0);
        assertThat(first.path("inuse-bytes").asLong()).isEqualTo(20480);
        assertThat(first.path("share-percent").asDouble()).isEqualTo(71.4);
        assertThat(first.path("frame").get(0).path("class").asString()).isEqualTo("org.example.ConnTable");
        assertThat(first.path("frame").get(0).path("line").asInt()).isEqualTo(42);
        assertThat(h.path("site").get(1).path("frame")).hasSize(10);
    }
}
