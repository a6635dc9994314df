package org.memstat.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.memstat.lib.SysctlException;
import org.memstat.lib.SysctlSource;
import org.memstat.uma.Uma;

class CollectorFailureTest {
    private static Exposition scrape(Daemon d) throws Exception {
        HttpResponse<String> r = Fixtures.get(d, "/metrics", "text/plain");
        assertThat(r.statusCode()).isEqualTo(200);
        return Exposition.parse(r.body(), false);
    }

    @Test
    void aSourceThatFailsIsReportedWithoutFailingTheScrape() throws Exception {
        Source bad = Fixtures.source("bad", oid -> {
            throw new SysctlException(oid, SysctlException.Errno.EIO, "disk on fire");
        });
        try (Daemon d = Fixtures.start(Fixtures.config(), Fixtures.source("good", Fixtures.mbufUma()), bad)) {
            Exposition e = scrape(d);
            assertThat(e.value("memstat_scrape_collector_success", "collector", "uma", "source", "bad")).isZero();
            assertThat(e.value("memstat_scrape_collector_success", "collector", "malloc", "source", "bad")).isZero();
            assertThat(e.value("memstat_scrape_collector_success", "collector", "uma", "source", "good"))
                    .isEqualTo(1.0);
            assertThat(e.value("memstat_scrape_collector_duration_seconds", "collector", "uma", "source", "bad"))
                    .isNotNull();
            assertThat(e.series("memstat_zone_used_items")).extracting(l -> l.get("source")).containsOnly("good");
            assertThat(e.value("memstat_zone_used_items", "source", "good", "zone", "mbuf_cluster")).isEqualTo(7.0);
            HttpResponse<String> sources = Fixtures.get(d, "/api/v1/sources");
            assertThat(sources.body()).contains("\"status\":\"error\"").contains("disk on fire");
            assertThat(Fixtures.get(d, "/api/v1/zones?source=bad").statusCode()).isEqualTo(503);
        }
    }

    @Test
    void aCorruptStreamGivesNoZoneSeriesAndTheSourceRecoversOnTheNextScrape() throws Exception {
        Uma uma = Fixtures.mbufUma();
        SysctlSource real = InProcess.reader("flaky", uma.sysctl());
        AtomicBoolean corrupt = new AtomicBoolean(true);
        Source flaky = new Source("flaky", "test:flaky", SysctlSource.of("test:flaky", oid -> {
            byte[] v = real.read(oid);
            // Cut the stream inside its last record: a DATAERROR, never a partial list.
            return corrupt.get() && oid.equals("vm.zone_stats") ? Arrays.copyOf(v, v.length - 10) : v;
        }), null, uma);
        try (Daemon d = Fixtures.start(Fixtures.config(), flaky)) {
            Exposition broken = scrape(d);
            assertThat(broken.value("memstat_scrape_collector_success", "collector", "uma", "source", "flaky"))
                    .isZero();
            assertThat(broken.families).doesNotContainKey("memstat_zone_used_items");
            assertThat(broken.families).doesNotContainKey("memstat_mbuf_used_items");
            corrupt.set(false);
            Exposition healed = scrape(d);
            assertThat(healed.value("memstat_scrape_collector_success", "collector", "uma", "source", "flaky"))
                    .isEqualTo(1.0);
            assertThat(healed.value("memstat_zone_used_items", "zone", "mbuf_cluster")).isEqualTo(7.0);
        }
    }

    @Test
    void aHangingSourceIsTimedOutPerScrapeAndHoldsOneTaskOnly() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean entered = new AtomicBoolean();
        java.util.concurrent.atomic.AtomicInteger reads = new java.util.concurrent.atomic.AtomicInteger();
        Source hang = Fixtures.source("hang", oid -> {
            reads.incrementAndGet();
            entered.set(true);
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new SysctlException(oid, SysctlException.Errno.EIO, "released");
        });
        DaemonConfig cfg = Fixtures.config().withTimeouts(Duration.ofMillis(300), Duration.ofSeconds(30),
                Duration.ofSeconds(10), Duration.ofSeconds(5));
        try (Daemon d = Fixtures.start(cfg, Fixtures.source("good", Fixtures.mbufUma()), hang)) {
            for (int i = 0; i < 3; i++) {
                long t0 = System.nanoTime();
                Exposition e = scrape(d);
                assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
                assertThat(e.value("memstat_scrape_collector_success", "collector", "uma", "source", "hang"))
                        .isZero();
                assertThat(e.value("memstat_scrape_collector_duration_seconds", "collector", "uma",
                        "source", "hang")).isEqualTo(0.3);
                assertThat(e.value("memstat_zone_used_items", "source", "good", "zone", "mbuf_cluster"))
                        .isEqualTo(7.0);
            }
            assertThat(entered.get()).isTrue();
            // Single flight: the start-up reading and three scrapes all waited on the one stuck read.
            assertThat(reads.get()).isEqualTo(1);
        } finally {
            release.countDown();
        }
    }

    @Test
    void aSourceWithoutMallocTypesIsNotFailingAndHasNoMallocFamilies() throws Exception {
        Uma uma = Fixtures.uma();
        Fixtures.use(Fixtures.zone(uma, "lonely", 64), 3);
        try (Daemon d = Fixtures.start(Fixtures.config(), Fixtures.source("zones-only", uma))) {
            Exposition e = scrape(d);
            assertThat(e.value("memstat_scrape_collector_success", "collector", "malloc", "source", "zones-only"))
                    .isEqualTo(1.0);
            assertThat(e.families.keySet()).noneMatch(n -> n.startsWith("memstat_malloc_"));
            assertThat(e.families.keySet()).noneMatch(n -> n.startsWith("memstat_mbuf_"));
            assertThat(e.value("memstat_zone_used_items", "zone", "lonely")).isEqualTo(3.0);
            assertThat(Fixtures.get(d, "/api/v1/sources").body()).contains("\"malloc\":{\"status\":\"absent\"");
            HttpResponse<String> mbuf = Fixtures.get(d, "/api/v1/mbuf");
            assertThat(mbuf.statusCode()).isEqualTo(404);
            assertThat(mbuf.body()).contains("memstat_mtl_find: zone mbuf not found");
        }
    }
}
