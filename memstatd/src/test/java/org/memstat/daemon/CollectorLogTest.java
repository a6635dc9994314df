package org.memstat.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.memstat.lib.SysctlException;

/** The rate-limited log of failing collectors, on a clock the test moves (no sleeping). */
class CollectorLogTest {
    private static final long SECOND = 1_000_000_000L;

    private final List<String> lines = new ArrayList<>();
    private final AtomicLong now = new AtomicLong(1_000 * SECOND);
    private final CollectorLog log = new CollectorLog(lines::add, now::get, Duration.ofSeconds(60));

    private static final Sample.Status OK = new Sample.Status(Sample.State.OK, null, 0.01);
    private static final Sample.Status ABSENT = new Sample.Status(Sample.State.ABSENT, "no malloc types", 0.01);

    private static Sample.Status error(String why) {
        return new Sample.Status(Sample.State.ERROR, why, 0.01);
    }

    private static Sample sample(String source, Sample.Status uma, Sample.Status malloc) {
        return new Sample(source, 0, Instant.EPOCH, uma, malloc, List.of(), List.of(), null, null);
    }

    private void at(long seconds, Sample s) {
        now.set((1_000 + seconds) * SECOND);
        log.observe(s);
    }

    @Test
    void aFailureIsLoggedOncePerIntervalWithTheCountOfTheOnesBetween() {
        at(0, sample("big", error("disk on fire"), ABSENT));
        at(1, sample("big", error("disk on fire"), ABSENT));
        at(59, sample("big", error("disk on fire"), ABSENT));
        assertThat(lines).containsExactly("memstatd: source big: collector uma failed: disk on fire");

        at(60, sample("big", error("still on fire"), ABSENT));
        at(61, sample("big", error("still on fire"), ABSENT));
        at(62, sample("big", OK, ABSENT));
        assertThat(lines).containsExactly(
                "memstatd: source big: collector uma failed: disk on fire",
                "memstatd: source big: collector uma failed: still on fire (2 more failures not logged)",
                "memstatd: source big: collector uma recovered (1 more failure not logged)");

        at(63, sample("big", OK, ABSENT));
        assertThat(lines).hasSize(3);
    }

    @Test
    void aFlappingCollectorWritesAtMostAFailureAndARecoveryPerInterval() {
        for (int t = 0; t < 120; t += 2) {
            at(t, sample("big", error("flap"), OK));
            at(t + 1, sample("big", OK, OK));
        }
        assertThat(lines).containsExactly(
                "memstatd: source big: collector uma failed: flap",
                "memstatd: source big: collector uma recovered",
                "memstatd: source big: collector uma failed: flap (29 more failures not logged)",
                "memstatd: source big: collector uma recovered");
    }

    @Test
    void sourcesAndCollectorsAreLimitedSeparatelyAndTimeoutsCountAsFailures() {
        Sample.Status timeout = new Sample.Status(Sample.State.TIMEOUT, "no answer from unix:/x within 2000 ms", 2);
        at(0, sample("a", error("bad\nstream"), error("bad malloc")));
        at(1, Sample.failed("b", timeout));
        at(2, sample("a", error("bad stream"), OK));
        assertThat(lines).containsExactly(
                "memstatd: source a: collector uma failed: bad stream",
                "memstatd: source a: collector malloc failed: bad malloc",
                "memstatd: source b: collector uma failed: no answer from unix:/x within 2000 ms",
                "memstatd: source b: collector malloc failed: no answer from unix:/x within 2000 ms",
                "memstatd: source a: collector malloc recovered");
    }

    @Test
    void aReadingJoinedByManyRequestsCountsOnce() {
        Sample s = sample("big", error("slow"), OK);
        at(0, s);
        at(1, s);
        at(2, s);
        at(61, sample("big", error("slow"), OK));
        assertThat(lines).containsExactly(
                "memstatd: source big: collector uma failed: slow",
                "memstatd: source big: collector uma failed: slow");
    }

    @Test
    void theDaemonsReadingsAreLoggedThroughTheLimit() {
        Source big = Fixtures.source("big", oid -> {
            throw new SysctlException(oid, SysctlException.Errno.EIO, "disk on fire");
        });
        try (Sources sources = new Sources(List.of(big), Duration.ofSeconds(5), log)) {
            sources.readAll();
            sources.readAll();
            sources.read(big);
            assertThat(umaLines()).hasSize(1);
            assertThat(umaLines().getFirst()).startsWith("memstatd: source big: collector uma failed: ")
                    .contains("disk on fire").doesNotContain("not logged");

            now.addAndGet(60 * SECOND);
            sources.readAll();
            assertThat(umaLines()).hasSize(2);
            assertThat(umaLines().getLast()).contains("disk on fire").endsWith(" (2 more failures not logged)");
        }
    }

    private List<String> umaLines() {
        return lines.stream().filter(l -> l.contains("collector uma")).toList();
    }
}
