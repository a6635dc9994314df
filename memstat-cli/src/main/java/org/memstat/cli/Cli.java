package org.memstat.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * What one command run sees of the outside world: output streams, environment, clocks, how it sleeps, where the
 * local memstatd is expected. {@link #system()} is the real one; tests build their own so that output, time and
 * the default-source probe are under their control.
 *
 * <p>Text goes through {@link #out()} as UTF-8 with {@code \n} line ends whatever the platform, because FreeBSD's
 * formats are defined in bytes; {@link #rawOut()} is the same stream for {@code sysctl -b}.
 *
 * @param out         standard output for text
 * @param rawOut      standard output for raw bytes (flush {@code out} first)
 * @param err         standard error
 * @param env         the environment ({@code MEMSTAT_SOURCE})
 * @param nanoTime    a monotonic clock for rates
 * @param wallClock   the wall clock for snapshot times
 * @param sleeper     how the batch modes wait between samples
 * @param daemon      where the local memstatd listens by default
 * @param probe       how long to wait for the local memstatd to accept a connection
 * @param interactive whether standard input and output are a terminal (full-screen {@code top} allowed)
 */
record Cli(PrintWriter out, OutputStream rawOut, PrintWriter err, Map<String, String> env, LongSupplier nanoTime,
        Supplier<Instant> wallClock, Sleeper sleeper, InetSocketAddress daemon, Duration probe,
        boolean interactive) {

    /** The memstatd default endpoint: 127.0.0.1:9460. */
    static final InetSocketAddress DEFAULT_DAEMON = new InetSocketAddress("127.0.0.1", 9460);
    /** How long the default-source probe waits for a connection. */
    static final Duration DEFAULT_PROBE = Duration.ofMillis(300);

    /** Waits between samples; tests substitute a fake that advances a fake clock instead. */
    @FunctionalInterface
    interface Sleeper {
        /**
         * Waits for {@code d}.
         *
         * @param d how long
         * @throws InterruptedException if interrupted
         */
        void sleep(Duration d) throws InterruptedException;
    }

    /** The real process: stdout/stderr as UTF-8, the real environment and clocks. */
    static Cli system() {
        OutputStream stdout = new FileOutputStream(FileDescriptor.out);
        OutputStream stderr = new FileOutputStream(FileDescriptor.err);
        return new Cli(writer(stdout), stdout, writer(stderr), System.getenv(), System::nanoTime, Instant::now,
                d -> Thread.sleep(d), DEFAULT_DAEMON, DEFAULT_PROBE, System.console() != null
                        && System.console().isTerminal());
    }

    /** A UTF-8 writer over {@code os} that does not autoflush (callers flush at the end of each command). */
    static PrintWriter writer(OutputStream os) {
        return new PrintWriter(new OutputStreamWriter(os, StandardCharsets.UTF_8), false);
    }
}
