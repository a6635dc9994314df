package org.memstat.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs {@link Main#run} in this JVM with captured output, a fake monotonic clock that only the fake sleeper
 * advances (so batch rates are exact), a fixed wall clock, an empty environment and a default-daemon address on
 * which nothing listens.
 */
final class CliRun {
    final Map<String, String> env = new HashMap<>();
    final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    Instant wall = Instant.parse("2026-01-02T03:04:05Z");
    /** Runs before each fake sleep; tests use it to change a snapshot between two samples. */
    Runnable onSleep = () -> { };
    boolean interactive;
    /** Where the "local memstatd" is probed when no source is given; by default a port nobody listens on. */
    InetSocketAddress daemon = closedPort();

    /** The result of one run. */
    record Result(int code, String out, String err, byte[] rawOut) {
    }

    Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Cli cli = new Cli(Cli.writer(out), out, Cli.writer(err), env, nanos::get, () -> wall, d -> {
            onSleep.run();
            nanos.addAndGet(d.toNanos());
            wall = wall.plus(d);
        }, daemon, Duration.ofMillis(200), interactive);
        int code = Main.run(cli, args);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8),
                out.toByteArray());
    }

    /** A loopback address where nothing listens (a port that was just free). */
    static InetSocketAddress closedPort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return new InetSocketAddress("127.0.0.1", s.getLocalPort());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes a snapshot directory: OID name to raw value. */
    static Path snapshot(Path dir, Map<String, byte[]> files) throws IOException {
        Files.createDirectories(dir);
        for (Map.Entry<String, byte[]> e : files.entrySet()) {
            Files.write(dir.resolve(e.getKey()), e.getValue());
        }
        return dir;
    }

    /** The expected text of a golden file. */
    static String golden(String name) throws IOException {
        try (var in = CliRun.class.getResourceAsStream("/golden/" + name)) {
            if (in == null) {
                throw new IOException("no golden file " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
