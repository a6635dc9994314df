package org.memstat.daemon;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Logs failing collectors, one line each, rate-limited so that a source that fails on every scrape cannot flood
 * the log:
 *
 * <pre>
 * memstatd: source big: collector uma failed: ERROR
 * memstatd: source big: collector uma failed: ERROR (41 more failures not logged)
 * memstatd: source big: collector uma recovered (3 more failures not logged)
 * </pre>
 *
 * <p>A failure (state ERROR or TIMEOUT) is logged at most once per source and collector per interval; the ones in
 * between are counted and the count is added to the next line. A recovery (OK or ABSENT after a failure) is
 * logged only when that failure episode's failure was, so a collector flapping faster than the interval still
 * writes at most two lines per interval. The same reading seen again (several requests joining one reading) is
 * counted once. Thread-safe.
 */
final class CollectorLog {
    /** The default interval between two failure lines of one source and collector. */
    static final Duration INTERVAL = Duration.ofSeconds(60);

    private final Consumer<String> sink;
    private final LongSupplier nanoTime;
    private final long intervalNanos;
    /** By source name then collector; bounded by the configured sources. */
    private final Map<String, Track> tracks = new HashMap<>();
    /** The last reading seen per source, to count a joined reading once. */
    private final Map<String, Sample> lastSeen = new HashMap<>();

    /** One source and collector's log state. */
    private static final class Track {
        boolean failing;
        /** This failure episode's failure line was written. */
        boolean announced;
        boolean everLogged;
        long lastFailureLine;
        long unlogged;
    }

    /**
     * @param sink     receives each line, without a newline
     * @param nanoTime the clock ({@link System#nanoTime()} outside tests)
     * @param interval at least this long between two failure lines of one source and collector
     */
    CollectorLog(Consumer<String> sink, LongSupplier nanoTime, Duration interval) {
        this.sink = sink;
        this.nanoTime = nanoTime;
        this.intervalNanos = interval.toNanos();
    }

    /** The daemon's log: lines on standard error, like memstatd's other messages. */
    static CollectorLog toStderr() {
        return new CollectorLog(line -> {
            System.err.println(line);
            System.err.flush();
        }, System::nanoTime, INTERVAL);
    }

    /** Looks at one reading's collectors and logs what the rules above allow. */
    synchronized void observe(Sample s) {
        if (lastSeen.put(s.source(), s) == s) {
            return;
        }
        long now = nanoTime.getAsLong();
        for (String c : Sample.COLLECTORS) {
            Sample.Status st = s.status(c);
            Track t = tracks.computeIfAbsent(s.source() + '\0' + c, k -> new Track());
            String prefix = "memstatd: source " + s.source() + ": collector " + c;
            if (!st.success()) {
                if (!t.everLogged || now - t.lastFailureLine >= intervalNanos) {
                    sink.accept(prefix + " failed: " + oneLine(st.error()) + unlogged(t));
                    t.everLogged = true;
                    t.lastFailureLine = now;
                    t.announced = true;
                } else {
                    t.unlogged++;
                }
                t.failing = true;
            } else if (t.failing) {
                if (t.announced) {
                    sink.accept(prefix + " recovered" + unlogged(t));
                }
                t.failing = false;
                t.announced = false;
            }
        }
    }

    /** The count suffix, which resets the count. */
    private static String unlogged(Track t) {
        long n = t.unlogged;
        t.unlogged = 0;
        return n == 0 ? "" : " (" + n + " more failure" + (n == 1 ? "" : "s") + " not logged)";
    }

    private static String oneLine(String error) {
        return error == null ? "(no detail)" : error.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
    }
}
