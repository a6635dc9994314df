package org.memstat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.memstat.uma.sysctl.Errno;
import org.memstat.uma.sysctl.OidType;
import org.memstat.uma.sysctl.RegistryServer;
import org.memstat.uma.sysctl.Sysctl;

/**
 * {@code sysctl} in FreeBSD's output style: on a {@code dir:} snapshot (kinds from the known OIDs and the values),
 * and reading, listing and writing a real registry over {@code unix:} (uma-core's server, so memstat-lib's
 * LIST/DESCRIBE/WRITE/INFO client is checked, through the CLI, against the other side of the protocol).
 */
class SysctlTest {
    @TempDir
    Path tmp;

    private final CliRun cli = new CliRun();
    private Path snap;

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @BeforeEach
    void snapshot() throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("vm.zone_stats", Fixtures.zones(ByteOrder.LITTLE_ENDIAN));
        files.put("kern.smp.maxcpus", TestStreams.ints(ByteOrder.LITTLE_ENDIAN, 64));
        files.put("kern.hz", ascii("1000\n"));
        files.put("kern.ostype", ascii("FreeBSD\0"));
        files.put("vm.kmem_size", TestStreams.longs(ByteOrder.LITTLE_ENDIAN, -2));
        files.put("test.five", new byte[] {1, 2, 3, 4, 5});
        files.put("test.seventeen", new byte[17]);
        files.put("test.thirtyfour", new byte[34]);
        files.put("test.zero", TestStreams.ints(ByteOrder.LITTLE_ENDIAN, 0));
        snap = CliRun.snapshot(tmp.resolve("s"), files);
    }

    private CliRun.Result sysctl(String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "--source";
        all[1] = "dir:" + snap;
        all[2] = "sysctl";
        System.arraycopy(args, 0, all, 3, args.length);
        return cli.run(all);
    }

    @Test
    void listsEveryOidInTreeOrderAndSkipsOpaqueValuesLikeFreeBsd() {
        CliRun.Result r = sysctl("-a");

        assertThat(r.code()).isZero();
        assertThat(r.out()).isEqualTo("kern.hz: 1000\nkern.ostype: FreeBSD\nkern.smp.maxcpus: 64\n"
                + "test.zero: 0\nvm.kmem_size: -2\n");
    }

    @Test
    void opaqueDumpShowsSixteenBytesAndSysctlsEllipsisQuirk() {
        CliRun.Result r = sysctl("-o", "vm.zone_stats", "test.five", "test.seventeen", "test.thirtyfour");

        // 16 + 9 x (120 + 64 x 64) = 37960 bytes; header words 1, 64, 9, 0.
        assertThat(r.out()).isEqualTo(
                "vm.zone_stats: Format:s,struct uma_type_header Length:37960 Dump:0x01000000400000000900000000000000"
                        + "...\n"
                        + "test.five: Format: Length:5 Dump:0x0102030405...\n"
                        + "test.seventeen: Format: Length:17 Dump:0x00000000000000000000000000000000\n"
                        + "test.thirtyfour: Format: Length:34 Dump:0x00000000000000000000000000000000...\n");
    }

    @Test
    void hexBinaryValueOnlyEqualsAndNameOnlyFlags() {
        assertThat(sysctl("-x", "kern.smp.maxcpus", "test.zero").out())
                .isEqualTo("kern.smp.maxcpus: 0x00000040\ntest.zero: 0000000000\n");
        assertThat(sysctl("-b", "kern.smp.maxcpus").rawOut()).isEqualTo(TestStreams.ints(ByteOrder.LITTLE_ENDIAN,
                64));
        assertThat(sysctl("-n", "kern.hz").out()).isEqualTo("1000\n");
        assertThat(sysctl("-e", "kern.ostype").out()).isEqualTo("kern.ostype=FreeBSD\n");
        assertThat(sysctl("-N", "kern.smp").out()).isEqualTo("kern.smp.maxcpus\n");
    }

    @Test
    void aNodeNameShowsTheLeavesBelowIt() {
        assertThat(sysctl("kern").out()).isEqualTo("kern.hz: 1000\nkern.ostype: FreeBSD\nkern.smp.maxcpus: 64\n");
    }

    private Sysctl registry(AtomicInteger value, AtomicReference<String> text) {
        Sysctl s = new Sysctl();
        s.addInt("test.value", OidType.INT, "I", "a writable int", value::get, v -> {
            if (v < 0) {
                return Errno.EINVAL;
            }
            value.set(v);
            return Errno.OK;
        });
        s.addInt("test.ro", "a read-only int", () -> 7);
        s.addString("test.text", "a writable string", text::get, v -> {
            text.set(v);
            return Errno.OK;
        });
        s.addOpaque("test.blob", "S,blob", "opaque", sink -> sink.accept(java.nio.ByteBuffer.wrap(new byte[40])),
                null);
        return s;
    }

    @Test
    void setsValuesOverTheRegistrySocketAndPrintsOldAndNew() throws IOException {
        AtomicInteger value = new AtomicInteger(1);
        AtomicReference<String> text = new AtomicReference<>("old");
        try (RegistryServer server = RegistryServer.builder(registry(value, text), tmp.resolve("w.sock"))
                .allowWrites(true).start()) {
            String src = "unix:" + server.socketPath();

            assertThat(cli.run("--source", src, "sysctl", "test.value=42").out()).isEqualTo("test.value: 1 -> 42\n");
            assertThat(cli.run("--source", src, "sysctl", "-w", "test.value=0x10").out())
                    .isEqualTo("test.value: 42 -> 16\n");
            assertThat(cli.run("--source", src, "sysctl", "test.text=new text").out())
                    .isEqualTo("test.text: old -> new text\n");
            assertThat(value.get()).isEqualTo(16);
            assertThat(text.get()).isEqualTo("new text");
            assertThat(cli.run("--source", src, "sysctl", "-a").out())
                    .isEqualTo("test.ro: 7\ntest.text: new text\ntest.value: 16\n");

            CliRun.Result bad = cli.run("--source", src, "sysctl", "test.value=abc");
            assertThat(bad.code()).isEqualTo(ExitCode.USAGE);
            assertThat(bad.err()).isEqualTo("memstat: invalid integer 'abc'\n");
            CliRun.Result rejected = cli.run("--source", src, "sysctl", "test.value=-5");
            assertThat(rejected.code()).isEqualTo(ExitCode.DATAERROR);
            assertThat(rejected.err()).startsWith("memstat: " + src + ": test.value: EINVAL");
            CliRun.Result ro = cli.run("--source", src, "sysctl", "test.ro=1");
            assertThat(ro.code()).isEqualTo(ExitCode.PERMISSION);
            assertThat(ro.err()).isEqualTo("memstat: oid 'test.ro' is read only\n");
            assertThat(value.get()).isEqualTo(16);
        }
    }

    @Test
    void opaqueDumpOverTheRegistrySocketShowsTheFormatTheRegistryDescribes() throws IOException {
        try (RegistryServer server = RegistryServer.builder(registry(new AtomicInteger(3),
                new AtomicReference<>("t")), tmp.resolve("o.sock")).start()) {
            String src = "unix:" + server.socketPath();

            assertThat(cli.run("--source", src, "sysctl", "-o", "test.blob", "test.ro").out()).isEqualTo(
                    "test.blob: Format:S,blob Length:40 Dump:0x00000000000000000000000000000000...\ntest.ro: 7\n");
            assertThat(cli.run("--source", src, "sysctl", "-a").out())
                    .isEqualTo("test.ro: 7\ntest.text: t\ntest.value: 3\n");
        }
    }

    @Test
    void serverWithWritesDisabledRefusesWithExitSix() throws IOException {
        AtomicInteger value = new AtomicInteger(1);
        try (RegistryServer server = RegistryServer.builder(registry(value, new AtomicReference<>("")),
                tmp.resolve("r.sock")).start()) {
            CliRun.Result r = cli.run("--source", "unix:" + server.socketPath(), "sysctl", "test.value=2");

            assertThat(r.code()).isEqualTo(ExitCode.PERMISSION);
            assertThat(r.err()).startsWith("memstat: unix:" + server.socketPath() + ": test.value: EPERM writes are "
                    + "disabled");
            assertThat(value.get()).isEqualTo(1);
        }
    }
}
