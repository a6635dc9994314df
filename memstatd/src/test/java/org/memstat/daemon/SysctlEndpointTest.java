package org.memstat.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.memstat.lib.Allocator;
import org.memstat.lib.MemoryType;
import org.memstat.lib.MemoryTypeList;
import org.memstat.lib.SysctlException;
import org.memstat.lib.SysctlSource;
import org.memstat.uma.Uma;
import org.memstat.uma.sysctl.Errno;
import org.memstat.uma.sysctl.OidType;

class SysctlEndpointTest {
    private static final String TOKEN = "s3cret-token";

    private static int limit(Uma uma) {
        return ByteBuffer.wrap(InProcessRead.read(uma, "test.limit")).order(ByteOrder.nativeOrder()).getInt();
    }

    /** An allocator with a writable int {@code test.limit} (increase-only) and a read-only {@code test.ro}. */
    private static Uma writableUma() {
        Uma uma = Fixtures.mbufUma();
        int[] limit = {100};
        uma.sysctl().addInt("test.limit", OidType.INT, "I", "a limit", () -> limit[0], v -> {
            if (v < limit[0]) {
                return Errno.EINVAL;
            }
            limit[0] = v;
            return Errno.OK;
        });
        uma.sysctl().addInt("test.ro", "read-only", () -> 7);
        return uma;
    }

    private static HttpResponse<String> post(Daemon d, String path, String auth, byte[] body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(d.url() + path)).timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (auth != null) {
            b.header("Authorization", auth);
        }
        return Fixtures.CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesRawValuesThatMemstatLibsHttpSourceReadsBackIntoTheSameZones() throws Exception {
        Uma uma = Fixtures.mbufUma();
        MemoryTypeList direct = new MemoryTypeList();
        direct.refreshAll(InProcess.reader("direct", uma.sysctl()));
        try (Daemon d = Fixtures.start(Fixtures.config(), Fixtures.source("box", uma));
                SysctlSource http = SysctlSource.parse(d.url())) {
            HttpResponse<byte[]> raw = Fixtures.getBytes(d, "/api/v1/sysctl/kern.smp.maxcpus");
            assertThat(raw.statusCode()).isEqualTo(200);
            assertThat(raw.headers().firstValue("Content-Type")).hasValue("application/octet-stream");
            assertThat(ByteBuffer.wrap(raw.body()).order(ByteOrder.nativeOrder()).getInt())
                    .isEqualTo(Fixtures.CPUS);
            MemoryTypeList viaHttp = new MemoryTypeList();
            viaHttp.refreshAll(http);
            List<String> a = direct.types().stream().map(t -> t.allocator() + ":" + t.name() + ":" + t.count()
                    + ":" + t.size()).toList();
            List<String> b = viaHttp.types().stream().map(t -> t.allocator() + ":" + t.name() + ":" + t.count()
                    + ":" + t.size()).toList();
            assertThat(b).isEqualTo(a);
            MemoryType cluster = viaHttp.find(Allocator.UMA, "mbuf_cluster").orElseThrow();
            assertThat(cluster.count()).isEqualTo(7);
            // The errno contract of the http: source: 404 is ENOENT.
            SysctlException missing = org.assertj.core.api.Assertions.catchThrowableOfType(SysctlException.class,
                    () -> http.read("no.such.oid"));
            assertThat(missing.errno()).isEqualTo(SysctlException.Errno.ENOENT);
        }
    }

    @Test
    void selectsTheSourceByQueryParameter() throws Exception {
        Uma one = Fixtures.uma();
        Uma two = Uma.builder().kmemSize(64L << 20).maxCpus(3).console(l -> { }).build();
        try (Daemon d = Fixtures.start(Fixtures.config(), Fixtures.source("one", one), Fixtures.source("two", two))) {
            assertThat(intAt(d, "/api/v1/sysctl/kern.smp.maxcpus")).isEqualTo(Fixtures.CPUS);
            assertThat(intAt(d, "/api/v1/sysctl/kern.smp.maxcpus?source=two")).isEqualTo(3);
            assertThat(Fixtures.get(d, "/api/v1/sysctl/kern.smp.maxcpus?source=three").statusCode()).isEqualTo(404);
        }
    }

    private static int intAt(Daemon d, String path) throws Exception {
        HttpResponse<byte[]> r = Fixtures.getBytes(d, path);
        assertThat(r.statusCode()).isEqualTo(200);
        return ByteBuffer.wrap(r.body()).order(ByteOrder.nativeOrder()).getInt();
    }

    @Test
    void refusesWritesWhenNoTokenIsConfigured() throws Exception {
        Uma uma = writableUma();
        try (Daemon d = Fixtures.start(Fixtures.config(), Fixtures.source("box", uma))) {
            assertThat(post(d, "/api/v1/sysctl/test.limit?value=200", "Bearer " + TOKEN, new byte[0]).statusCode())
                    .isEqualTo(403);
            assertThat(limit(uma)).isEqualTo(100);
        }
    }

    @Test
    void requiresTheTokenAndAcceptsWritesOnlyToWritableOids() throws Exception {
        Uma uma = writableUma();
        try (Daemon d = Fixtures.start(Fixtures.config().withWriteToken(TOKEN), Fixtures.source("box", uma))) {
            HttpResponse<String> none = post(d, "/api/v1/sysctl/test.limit?value=200", null, new byte[0]);
            assertThat(none.statusCode()).isEqualTo(401);
            assertThat(none.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                    v -> assertThat(v).startsWith("Bearer"));
            assertThat(post(d, "/api/v1/sysctl/test.limit?value=200", "Bearer wrong", new byte[0]).statusCode())
                    .isEqualTo(401);
            assertThat(post(d, "/api/v1/sysctl/test.limit?value=200", "Bearer " + TOKEN + "x", new byte[0])
                    .statusCode()).isEqualTo(401);
            assertThat(post(d, "/api/v1/sysctl/test.limit?value=200", "Basic " + TOKEN, new byte[0]).statusCode())
                    .isEqualTo(401);
            assertThat(limit(uma)).isEqualTo(100);

            assertThat(post(d, "/api/v1/sysctl/test.limit?value=200", "Bearer " + TOKEN, new byte[0]).statusCode())
                    .isEqualTo(200);
            assertThat(limit(uma)).isEqualTo(200);
            byte[] raw = ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(300).array();
            HttpResponse<String> put = Fixtures.CLIENT.send(HttpRequest.newBuilder(
                    URI.create(d.url() + "/api/v1/sysctl/test.limit")).header("Authorization", "Bearer " + TOKEN)
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(raw)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(put.statusCode()).isEqualTo(200);
            assertThat(limit(uma)).isEqualTo(300);

            assertThat(post(d, "/api/v1/sysctl/test.limit?value=5", "Bearer " + TOKEN, new byte[0]).statusCode())
                    .as("the handler rejects a decrease (EINVAL)").isEqualTo(400);
            assertThat(post(d, "/api/v1/sysctl/test.ro?value=8", "Bearer " + TOKEN, new byte[0]).statusCode())
                    .as("read-only OID (EPERM)").isEqualTo(403);
            assertThat(post(d, "/api/v1/sysctl/vm.zone_stats", "Bearer " + TOKEN, new byte[] {1, 2}).statusCode())
                    .isEqualTo(403);
            assertThat(post(d, "/api/v1/sysctl/no.such?value=1", "Bearer " + TOKEN, new byte[0]).statusCode())
                    .isEqualTo(404);
            assertThat(post(d, "/api/v1/sysctl/test.limit?value=abc", "Bearer " + TOKEN, new byte[0])
                    .statusCode()).isEqualTo(400);
            assertThat(post(d, "/api/v1/sysctl/test.limit", "Bearer " + TOKEN, new byte[0]).statusCode())
                    .isEqualTo(400);
            assertThat(limit(uma)).isEqualTo(300);
            assertThat(Fixtures.get(d, "/api/v1/sources").body()).contains("\"writable\":true");
        }
    }

    @Test
    void refusesWritesToAReadOnlySource() throws Exception {
        Source ro = Fixtures.source("ro", oid -> {
            throw new SysctlException(oid, SysctlException.Errno.ENOENT, "none");
        });
        try (Daemon d = Fixtures.start(Fixtures.config().withWriteToken(TOKEN), ro)) {
            HttpResponse<String> r = post(d, "/api/v1/sysctl/x.y?value=1", "Bearer " + TOKEN, new byte[0]);
            assertThat(r.statusCode()).isEqualTo(403);
            assertThat(r.body()).contains("read-only");
        }
    }

    @Test
    void comparesTokensByDigestWhateverTheirLength() {
        WriteAuth auth = new WriteAuth(TOKEN);
        assertThat(auth.accepts("Bearer " + TOKEN)).isTrue();
        assertThat(auth.accepts("bearer " + TOKEN)).isTrue();
        assertThat(auth.accepts("Bearer " + TOKEN.substring(1))).isFalse();
        assertThat(auth.accepts("Bearer ")).isFalse();
        assertThat(auth.accepts(null)).isFalse();
        assertThat(new WriteAuth(null).accepts("Bearer " + TOKEN)).isFalse();
    }

    /** Reads an OID straight from an allocator's registry. */
    static final class InProcessRead {
        static byte[] read(Uma uma, String oid) {
            try {
                return InProcess.reader("t", uma.sysctl()).read(oid);
            } catch (SysctlException e) {
                throw new AssertionError(e);
            }
        }
    }
}
