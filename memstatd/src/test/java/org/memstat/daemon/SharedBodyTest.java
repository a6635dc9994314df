package org.memstat.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.memstat.uma.Uma;

/**
 * {@code /metrics} bodies live in pooled buffers shared by the requests of one rendering: a buffer must not be
 * reused while any response still sends it. A client that stops reading mid-body holds its buffer while many
 * other scrapes render, share and release theirs; every body, the stalled one included, must be whole. A still
 * source renders the same bytes every time, so this shows the pool under churn over real sockets, not the release
 * order itself: {@link BodiesTest} checks that a buffer is reused only after its last user.
 */
class SharedBodyTest {
    /** The body without the collector durations, the only lines that differ between scrapes of a still source. */
    private static String stable(String body) {
        return body.lines().filter(l -> !l.contains("memstat_scrape_collector_duration_seconds"))
                .collect(Collectors.joining("\n"));
    }

    @Test
    void aStalledClientStillGetsItsWholeBodyWhileConcurrentScrapesReuseThePool() throws Exception {
        try (Uma uma = ZoneDump.manyZones(2000);
                Daemon d = Fixtures.start(Fixtures.config(), Fixtures.source("big", uma))) {
            String reference = stable(Fixtures.get(d, "/metrics").body());
            assertThat(reference.length()).isGreaterThan(1 << 19);
            try (Socket slow = new Socket()) {
                // A tiny receive window: the server cannot finish this response until the client reads it.
                slow.setReceiveBufferSize(4096);
                slow.connect(new InetSocketAddress("127.0.0.1", d.port()));
                OutputStream out = slow.getOutputStream();
                out.write("GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = slow.getInputStream();
                ByteArrayOutputStream got = new ByteArrayOutputStream();
                byte[] chunk = new byte[1024];
                got.write(chunk, 0, in.read(chunk));

                ExecutorService pool = Executors.newFixedThreadPool(4);
                try {
                    List<Future<List<String>>> results = new ArrayList<>();
                    for (int t = 0; t < 4; t++) {
                        results.add(pool.submit(() -> {
                            List<String> bodies = new ArrayList<>();
                            for (int i = 0; i < 15; i++) {
                                HttpResponse<String> r = Fixtures.get(d, "/metrics");
                                assertThat(r.statusCode()).isEqualTo(200);
                                bodies.add(stable(r.body()));
                            }
                            return bodies;
                        }));
                    }
                    for (Future<List<String>> f : results) {
                        assertThat(f.get()).allSatisfy(b -> assertThat(b).isEqualTo(reference));
                    }
                } finally {
                    pool.shutdownNow();
                }
                in.transferTo(got);
                String response = got.toString(StandardCharsets.UTF_8);
                String body = response.substring(response.indexOf("\r\n\r\n") + 4);
                assertThat(stable(body)).isEqualTo(reference);
            }
        }
    }
}
