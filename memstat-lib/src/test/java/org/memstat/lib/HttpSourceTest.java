package org.memstat.lib;

import static java.nio.ByteOrder.BIG_ENDIAN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.memstat.lib.SysctlException.Errno;

/** The {@code http://} source against a JDK HttpServer on 127.0.0.1 playing memstatd's raw OID endpoint. */
class HttpSourceTest {
    private static final String PREFIX = "/api/v1/sysctl/";

    private final Map<String, byte[]> values = new ConcurrentHashMap<>();
    private final List<String> paths = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private HttpServer server;
    private HttpSource source;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext(PREFIX, this::serve);
        server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        source = client(Duration.ofSeconds(5), SysctlSource.MAX_VALUE_BYTES);
    }

    private HttpSource client(Duration timeout, int maxBytes) {
        URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        return new HttpSource(base, Duration.ofSeconds(2), timeout, maxBytes);
    }

    @AfterEach
    void stop() {
        release.countDown();
        source.close();
        server.stop(0);
    }

    private void serve(HttpExchange x) throws IOException {
        String raw = x.getRequestURI().getRawPath();
        paths.add(raw);
        String oid = raw.substring(PREFIX.length());
        int status = 200;
        String type = "application/octet-stream";
        byte[] body = values.get(oid);
        switch (oid) {
            case "forbidden" -> status = 403;
            case "unauthenticated" -> status = 401;
            case "broken" -> status = 500;
            case "html" -> type = "text/html";
            case "slow" -> {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            default -> status = body == null ? 404 : 200;
        }
        byte[] out = body == null ? new byte[1] : body;
        x.getResponseHeaders().set("Content-Type", type);
        x.sendResponseHeaders(status, out.length);
        try (OutputStream o = x.getResponseBody()) {
            o.write(out);
        }
    }

    @Test
    void refreshesFromABigEndianProducerAndLearnsItsByteOrder() throws Exception {
        values.putAll(TestSources.kernel(BIG_ENDIAN, GoldenStreams.generate("be-2cpu").get("vm.zone_stats"),
                GoldenStreams.generate("be-2cpu").get("kern.malloc_stats")));
        assertThat(source.readInt("kern.smp.maxid")).as("little-endian before any stream").isEqualTo(0x0100_0000);
        MemoryTypeList list = new MemoryTypeList();
        list.refreshAll(source);
        assertThat(list.find(Allocator.UMA, "mbuf").orElseThrow().free()).isEqualTo(5 + 7 + 12 + 40);
        assertThat(list.find(Allocator.MALLOC, "devbuf").orElseThrow().count()).isEqualTo(9);
        assertThat(list.mallocZoneSize(5)).isEqualTo(384);
        assertThat(source.readInt("kern.smp.maxid")).isEqualTo(1);
        assertThat(paths).contains("/api/v1/sysctl/vm.zone_stats", "/api/v1/sysctl/kern.malloc_stats");
    }

    private Errno errnoOf(SysctlSource s, String oid) {
        return catchThrowableOfType(SysctlException.class, () -> s.read(oid)).errno();
    }

    @Test
    void statusCodesMapToErrnos() {
        assertThat(List.of(errnoOf(source, "missing"), errnoOf(source, "forbidden"),
                errnoOf(source, "unauthenticated"), errnoOf(source, "broken")))
                .containsExactly(Errno.ENOENT, Errno.EPERM, Errno.EACCES, Errno.EIO);
    }

    @Test
    void forbiddenStreamIsAPermissionError() {
        values.put("kern.smp.maxid", StreamEncoder.ints(BIG_ENDIAN, 1));
        values.put("vm.zone_count", StreamEncoder.ints(BIG_ENDIAN, 1));
        MemstatException e = catchThrowableOfType(MemstatException.class, () -> new MemoryTypeList()
                .refreshUma(new HttpForbiddingStream(source)));
        assertThat(e.error()).isEqualTo(MemstatError.PERMISSION);
        assertThat(e.source()).startsWith("http://127.0.0.1:");
    }

    @Test
    void answerThatIsNotOctetStreamIsRejected() {
        values.put("html", new byte[4]);
        SysctlException e = catchThrowableOfType(SysctlException.class, () -> source.read("html"));
        assertThat(e.errno()).isEqualTo(Errno.EIO);
        assertThat(e.getMessage()).contains("Content-Type is text/html");
    }

    @Test
    void serverThatDoesNotAnswerTimesOut() {
        HttpSource impatient = client(Duration.ofMillis(300), SysctlSource.MAX_VALUE_BYTES);
        try {
            assertThat(errnoOf(impatient, "slow")).isEqualTo(Errno.ETIMEDOUT);
        } finally {
            impatient.close();
        }
    }

    @Test
    void bodyLargerThanTheLimitIsRefused() {
        values.put("big", new byte[4097]);
        HttpSource small = client(Duration.ofSeconds(5), 4096);
        try {
            assertThat(errnoOf(small, "big")).isEqualTo(Errno.EIO);
            values.put("big", new byte[4096]);
            assertThat(catchThrowableOfType(SysctlException.class, () -> small.read("big"))).isNull();
        } finally {
            small.close();
        }
    }

    @Test
    void closedServerIsAnIoError() {
        server.stop(0);
        SysctlException e = catchThrowableOfType(SysctlException.class, () -> source.read("vm.zone_stats"));
        assertThat(e.errno()).isEqualTo(Errno.EIO);
    }

    @Test
    void oidIsOnePercentEncodedPathSegment() {
        values.put("a%20b%2Fc", new byte[] {1});
        assertThat(catchThrowableOfType(SysctlException.class, () -> source.read("a b/c"))).isNull();
        assertThat(paths).containsExactly("/api/v1/sysctl/a%20b%2Fc");
        assertThat(HttpSource.encode("vm.uma.mbuf_packet-x~")).isEqualTo("vm.uma.mbuf_packet-x~");
    }

    /** Sends the stream request to an OID the server forbids, to see the refresh's mapping of 403. */
    private record HttpForbiddingStream(HttpSource http) implements SysctlSource {
        @Override
        public byte[] read(String oid) throws SysctlException {
            return http.read(oid.equals("vm.zone_stats") ? "forbidden" : oid);
        }

        @Override
        public int readInt(String oid) throws SysctlException {
            return http.readInt(oid);
        }

        @Override
        public String uri() {
            return http.uri();
        }
    }
}
