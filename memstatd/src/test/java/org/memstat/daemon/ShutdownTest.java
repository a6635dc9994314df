package org.memstat.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Graceful shutdown of the real daemon in a child JVM, stopped with SIGTERM. */
class ShutdownTest {
    /**
     * A stand-in memstatd that a child daemon reads as its {@code http://} source: answers 404 at once, except that
     * once armed it holds the first request until released, so a scrape of the child stays in flight.
     */
    private static final class SlowPeer implements AutoCloseable {
        final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        final AtomicBoolean armed = new AtomicBoolean();
        final CountDownLatch holding = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final Thread thread = Thread.ofPlatform().daemon().start(this::serve);

        SlowPeer() throws IOException {
        }

        private void serve() {
            while (!server.isClosed()) {
                try (Socket s = server.accept()) {
                    readHead(s.getInputStream());
                    if (armed.compareAndSet(true, false)) {
                        holding.countDown();
                        release.await(30, TimeUnit.SECONDS);
                    }
                    OutputStream out = s.getOutputStream();
                    out.write("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                } catch (IOException | InterruptedException e) {
                    return;
                }
            }
        }

        private static void readHead(InputStream in) throws IOException {
            int state = 0;
            for (int c; state < 4 && (c = in.read()) >= 0; ) {
                state = (c == '\r' && state % 2 == 0) || (c == '\n' && state % 2 == 1) ? state + 1 : 0;
            }
        }

        @Override
        public void close() throws IOException {
            release.countDown();
            server.close();
        }
    }

    @Test
    void sigtermLetsTheInFlightScrapeFinishThenExitsZeroAndRemovesTheSocketFile(@TempDir Path dir)
            throws Exception {
        Path socket = dir.resolve("reg.sock");
        try (SlowPeer peer = new SlowPeer()) {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process p = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                    System.getProperty("java.class.path"), Main.class.getName(), "--listen", "127.0.0.1:0",
                    "--source", "demo", "--source", "peer=http://127.0.0.1:" + peer.server.getLocalPort(),
                    "--registry-socket", socket.toString(), "--scrape-timeout", "20s", "--stop-timeout", "20s",
                    "--demo-threads", "1").redirectError(ProcessBuilder.Redirect.DISCARD)
                    .redirectOutput(dir.resolve("stdout").toFile()).start();
            try {
                String first = firstLine(dir.resolve("stdout"));
                assertThat(first).startsWith("memstatd: listening on http://127.0.0.1:").endsWith(
                        "(sources: demo, peer)");
                String url = first.substring("memstatd: listening on ".length(), first.indexOf(" (sources"));
                int port = URI.create(url).getPort();
                assertThat(Files.exists(socket)).isTrue();

                peer.armed.set(true);
                CompletableFuture<HttpResponse<String>> scrape = Fixtures.CLIENT.sendAsync(
                        HttpRequest.newBuilder(URI.create(url + "/metrics")).timeout(Duration.ofSeconds(60)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(peer.holding.await(30, TimeUnit.SECONDS)).as("the scrape reached the peer").isTrue();

                p.destroy();
                assertThat(waitUntilRefused(port)).as("the listener closed while the scrape was in flight")
                        .isTrue();
                assertThat(scrape).isNotDone();
                peer.release.countDown();

                HttpResponse<String> r = scrape.get(30, TimeUnit.SECONDS);
                assertThat(r.statusCode()).isEqualTo(200);
                Exposition e = Exposition.parse(r.body(), false);
                assertThat(e.value("memstat_scrape_collector_success", "collector", "uma", "source", "demo"))
                        .isEqualTo(1.0);
                assertThat(e.value("memstat_scrape_collector_success", "collector", "uma", "source", "peer"))
                        .isZero();
                assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(p.exitValue()).isZero();
                assertThat(Files.readAllLines(dir.resolve("stdout"))).containsExactly(first, "memstatd: stopped");
                assertThat(Files.exists(socket)).as("registry socket file removed").isFalse();
            } finally {
                p.destroyForcibly();
            }
        }
    }

    /** Polls (bounded, 30 s) until the child has printed its first line. */
    private static String firstLine(Path file) throws IOException {
        for (int i = 0; i < 600; i++) {
            String text = Files.readString(file);
            if (text.contains("\n")) {
                return text.substring(0, text.indexOf('\n'));
            }
            LockSupport.parkNanos(50_000_000L);
        }
        throw new AssertionError("the daemon printed nothing within 30 s");
    }

    /** Polls (bounded, 10 s) until connecting to {@code port} is refused. */
    private static boolean waitUntilRefused(int port) throws IOException {
        for (int i = 0; i < 200; i++) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            } catch (ConnectException e) {
                return true;
            }
            LockSupport.parkNanos(50_000_000L);
        }
        return false;
    }
}
