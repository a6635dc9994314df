package org.memstat.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ConfigTest {
    private static DaemonConfig merge(Path config, String... args) throws Exception {
        Main m = new Main();
        new CommandLine(m).parseArgs(args);
        if (config != null) {
            m.config = config;
        }
        return ConfigFile.merge(m, null);
    }

    @Test
    void parsesNamedAndUnnamedSources() {
        assertThat(SourceSpec.parse("demo")).isEqualTo(new SourceSpec("demo", "demo"));
        assertThat(SourceSpec.parse("snap=dir:/var/tmp/snap")).isEqualTo(new SourceSpec("snap", "dir:/var/tmp/snap"));
        assertThat(SourceSpec.parse("dir:/var/tmp/snap/")).isEqualTo(new SourceSpec("snap", "dir:/var/tmp/snap/"));
        assertThat(SourceSpec.parse("unix:/run/app.sock").name()).isEqualTo("app.sock");
        assertThat(SourceSpec.parse("http://h:9460/?a=b")).isEqualTo(new SourceSpec("h_9460", "http://h:9460/?a=b"));
        assertThatThrownBy(() -> SourceSpec.parse("bad name=demo")).hasMessageContaining("source name");
    }

    @Test
    void defaultsToLoopbackOnTheDocumentedPort() throws Exception {
        DaemonConfig c = merge(null);
        assertThat(c.host()).isEqualTo("127.0.0.1");
        assertThat(c.port()).isEqualTo(9460);
        assertThat(c.sources()).isEmpty();
        assertThat(c.writeToken()).isNull();
    }

    @Test
    void readsTheConfigFileAndLetsFlagsWin(@TempDir Path dir) throws Exception {
        Path token = dir.resolve("token");
        Files.writeString(token, "abc\n");
        Path cfg = dir.resolve("memstatd.properties");
        Files.writeString(cfg, "listen=127.0.0.2:9999\nsources=demo, snap=dir:/tmp\ninclude=^mbuf\n"
                + "scrape-timeout=500ms\nwrite-token-file=" + token + "\npercpu=true\n");
        DaemonConfig fromFile = merge(cfg);
        assertThat(fromFile.host()).isEqualTo("127.0.0.2");
        assertThat(fromFile.port()).isEqualTo(9999);
        assertThat(fromFile.sources()).containsExactly(new SourceSpec("demo", "demo"),
                new SourceSpec("snap", "dir:/tmp"));
        assertThat(fromFile.scrapeTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(fromFile.writeToken()).isEqualTo("abc");
        assertThat(fromFile.percpu()).isTrue();
        assertThat(fromFile.filter().accepts("mbuf_cluster")).isTrue();
        assertThat(fromFile.filter().accepts("demo_route")).isFalse();
        DaemonConfig flags = merge(cfg, "--listen", "127.0.0.1:1234", "--source", "x=demo",
                "--scrape-timeout", "3s");
        assertThat(flags.port()).isEqualTo(1234);
        assertThat(flags.sources()).containsExactly(new SourceSpec("x", "demo"));
        assertThat(flags.scrapeTimeout()).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void rejectsBadConfigurationWithOneLine(@TempDir Path dir) throws Exception {
        Path cfg = dir.resolve("bad.properties");
        Files.writeString(cfg, "lisen=127.0.0.1:1\n");
        assertThatThrownBy(() -> merge(cfg)).hasMessageContaining("unknown key 'lisen'");
        assertThatThrownBy(() -> merge(null, "--include", "(")).hasMessageContaining("bad regex");
        assertThatThrownBy(() -> merge(null, "--scrape-timeout", "soon")).hasMessageContaining("duration");
        assertThatThrownBy(() -> merge(null, "--listen", "nowhere")).hasMessageContaining("HOST:PORT");
        assertThatThrownBy(() -> merge(null, "--source", "demo", "--source", "demo"))
                .hasMessageContaining("same name");
        Files.writeString(dir.resolve("empty"), "\n");
        assertThatThrownBy(() -> merge(null, "--write-token-file", dir.resolve("empty").toString()))
                .hasMessageContaining("empty");
    }

    @Test
    void exitsWithDocumentedCodes(@TempDir Path dir) throws Exception {
        assertThat(new CommandLine(new Main()).execute("--no-such-flag")).isEqualTo(Main.EXIT_USAGE);
        assertThat(new CommandLine(new Main()).execute("--include", "(")).isEqualTo(Main.EXIT_USAGE);
        assertThat(new CommandLine(new Main()).execute("--source", "x=ftp://h")).isEqualTo(Main.EXIT_USAGE);
        Path notASocket = dir.resolve("file");
        Files.writeString(notASocket, "x");
        assertThat(new CommandLine(new Main()).execute("--listen", "127.0.0.1:0", "--registry-socket",
                notASocket.toString())).isEqualTo(Main.EXIT_SOURCE);
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThat(new CommandLine(new Main()).execute("--listen", "127.0.0.1:" + busy.getLocalPort(),
                    "--source", "d=dir:" + dir)).isEqualTo(Main.EXIT_LISTEN);
        }
    }
}
