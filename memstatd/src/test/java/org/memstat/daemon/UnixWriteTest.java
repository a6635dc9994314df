package org.memstat.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.memstat.uma.Uma;
import org.memstat.uma.sysctl.Errno;
import org.memstat.uma.sysctl.OidType;
import org.memstat.uma.sysctl.RegistryServer;

/**
 * Writes through the daemon to a {@code unix:} source: HTTP on loopback in front, uma-core's real registry server
 * (another "process" with its own allocator) behind, memstat-lib's client in between.
 */
class UnixWriteTest {
    private static final String TOKEN = "unix-write-token";

    @TempDir
    Path dir;

    private final AtomicInteger limit = new AtomicInteger(100);
    private final AtomicLong big = new AtomicLong(5);

    /** The other registry: netstat -m's zones, an increase-only {@code test.limit}, a long, a read-only int. */
    private Uma registry() {
        Uma uma = Fixtures.mbufUma();
        uma.sysctl().addInt("test.limit", OidType.INT, "I", "a limit", limit::get, v -> {
            if (v < limit.get()) {
                return Errno.EINVAL;
            }
            limit.set(v);
            return Errno.OK;
        });
        uma.sysctl().addLong("test.big", OidType.LONG, "L", "a long", big::get, v -> {
            big.set(v);
            return Errno.OK;
        });
        uma.sysctl().addInt("test.ro", "read-only", () -> 7);
        return uma;
    }

    private Uma uma;
    private RegistryServer server;
    private Daemon daemon;

    /**
     * Starts the other registry's server (writes allowed or not) and a daemon whose one source is
     * {@code reg=unix:SOCKET}, opened as memstatd opens configured sources.
     */
    private Daemon start(boolean writes) throws Exception {
        uma = registry();
        server = RegistryServer.builder(uma.sysctl(), dir.resolve("r.sock")).allowWrites(writes).start();
        DaemonConfig config = Fixtures.config().withWriteToken(TOKEN)
                .withSources(List.of(new SourceSpec("reg", "unix:" + server.socketPath())));
        daemon = Daemon.start(config, Daemon.openSources(config));
        return daemon;
    }

    @AfterEach
    void stop() {
        for (AutoCloseable c : new AutoCloseable[] {daemon, server, uma}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                throw new IllegalStateException("closing " + c, e);
            }
        }
    }

    private static HttpResponse<String> send(Daemon d, String method, String path, String token, byte[] body)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(d.url() + path)).timeout(Duration.ofSeconds(10))
                .method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return Fixtures.CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void authorisedWritesChangeTheValueInTheOtherRegistry() throws Exception {
        Daemon d = start(true);
        assertThat(send(d, "POST", "/api/v1/sysctl/test.limit?value=200", null, new byte[0]).statusCode())
                .isEqualTo(401);
        assertThat(limit.get()).isEqualTo(100);

        HttpResponse<String> ok = send(d, "POST", "/api/v1/sysctl/test.limit?value=200", TOKEN, new byte[0]);
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).isEqualTo("{\"source\":\"reg\",\"oid\":\"test.limit\",\"written-bytes\":4}\n");
        assertThat(limit.get()).isEqualTo(200);
        HttpResponse<byte[]> back = Fixtures.getBytes(d, "/api/v1/sysctl/test.limit");
        assertThat(ByteBuffer.wrap(back.body()).order(ByteOrder.nativeOrder()).getInt()).isEqualTo(200);

        assertThat(send(d, "POST", "/api/v1/sysctl/test.big?value=-9000000000", TOKEN, new byte[0])
                .statusCode()).as("?value= sized from DESCRIBE's long type").isEqualTo(200);
        assertThat(big.get()).isEqualTo(-9_000_000_000L);
        byte[] raw = ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(300).array();
        assertThat(send(d, "PUT", "/api/v1/sysctl/test.limit", TOKEN, raw).statusCode()).isEqualTo(200);
        assertThat(limit.get()).isEqualTo(300);
        assertThat(Fixtures.get(d, "/api/v1/sources").body()).contains("\"writable\":true");
    }

    @Test
    void refusalsOfTheRegistryKeepTheirStatus() throws Exception {
        Daemon d = start(true);
        assertThat(send(d, "POST", "/api/v1/sysctl/test.ro?value=8", TOKEN, new byte[0]).statusCode())
                .as("read-only OID (EPERM)").isEqualTo(403);
        assertThat(send(d, "POST", "/api/v1/sysctl/test.limit?value=5", TOKEN, new byte[0]).statusCode())
                .as("rejected by the handler (EINVAL)").isEqualTo(400);
        assertThat(send(d, "PUT", "/api/v1/sysctl/test.limit", TOKEN, new byte[8]).statusCode())
                .as("8 bytes to an int (EINVAL)").isEqualTo(400);
        assertThat(send(d, "POST", "/api/v1/sysctl/no.such?value=1", TOKEN, new byte[0]).statusCode())
                .isEqualTo(404);
        assertThat(send(d, "POST", "/api/v1/sysctl/vm.zone_stats?value=1", TOKEN, new byte[0]).statusCode())
                .as("opaque OID: no ?value=").isEqualTo(400);
        assertThat(limit.get()).isEqualTo(100);
    }

    @Test
    void registryWithWritesDisabledIsForbidden() throws Exception {
        Daemon d = start(false);
        HttpResponse<String> r = send(d, "POST", "/api/v1/sysctl/test.limit?value=200", TOKEN, new byte[0]);
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).contains("EPERM");
        assertThat(limit.get()).isEqualTo(100);
    }
}
