package org.memstat.daemon;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.memstat.lib.SysctlSource;
import org.memstat.uma.Uma;
import org.memstat.uma.Zone;
import org.memstat.uma.sysctl.MallocStatsProducer;
import org.memstat.uma.sysctl.MallocStatsStream;
import org.memstat.uma.sysctl.StandardOids;

/** Allocators, sources and a started daemon for tests; everything on 127.0.0.1. */
final class Fixtures {
    static final int CPUS = 2;
    /** Malloc zone sizes registered with the test malloc producer (FreeBSD's table). */
    static final int[] MALLOC_SIZES = {16, 32, 64, 128, 256, 384, 512, 1024, 2048, 4096, 8192, 16384, 32768, 65536};
    static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Fixtures() {
    }

    static Uma uma() {
        return Uma.builder().kmemSize(64L << 20).maxCpus(CPUS).console(line -> { }).build();
    }

    static Zone zone(Uma uma, String name, int size) {
        return uma.zcreate(name, size, null, null, null, null, Uma.ALIGN_PTR, 0);
    }

    /** Allocates {@code n} items and keeps them (the allocator is closed with its source). */
    static void use(Zone z, int n) {
        for (int i = 0; i < n; i++) {
            if (z.alloc(Uma.M_NOWAIT) == 0) {
                throw new IllegalStateException("zone " + z.name() + " refused item " + i);
            }
        }
    }

    /**
     * An allocator with every zone netstat -m reads, items in use, a cluster limit, and a malloc stream with
     * the types {@code mbuf_tag} (3 x 32 bytes in use) and {@code temp} (1 x 1024 in use).
     */
    static Uma mbufUma() {
        Uma uma = uma();
        Zone mbuf = uma.zcreate("mbuf", 256, null, null, null, null, Uma.ALIGN_PTR, 0);
        Zone cluster = zone(uma, "mbuf_cluster", 2048);
        cluster.setMax(1000);
        uma.zsecondCreate("mbuf_packet", null, null, null, null, mbuf);
        zone(uma, "mbuf_jumbo_page", 4096);
        zone(uma, "mbuf_jumbo_9k", 9216);
        zone(uma, "mbuf_jumbo_16k", 16384);
        use(mbuf, 10);
        use(cluster, 7);
        StandardOids.registerMallocStats(uma.sysctl(), new MallocStatsProducer() {
            @Override
            public int typeCount() {
                return 2;
            }

            @Override
            public int maxCpus() {
                return CPUS;
            }

            @Override
            public void writeTo(MallocStatsStream.Writer w) {
                w.begin(CPUS, 2);
                w.type("mbuf_tag").cpu(160, 64, 5, 2, 1 << 1).cpu(0, 0, 0, 0, 0);
                w.type("temp").cpu(2048, 1024, 2, 1, 1 << 7).cpu(0, 0, 0, 0, 0);
            }
        }, MALLOC_SIZES);
        return uma;
    }

    /** A source over {@code uma}'s registry that owns (closes) the allocator. */
    static Source source(String name, Uma uma) {
        return new Source(name, "inproc:" + name, InProcess.reader(name, uma.sysctl()),
                InProcess.writer(uma.sysctl()), uma);
    }

    /** A read-only source over any reader. */
    static Source source(String name, SysctlSource.OidReader reader) {
        return new Source(name, "test:" + name, SysctlSource.of("test:" + name, reader), null, null);
    }

    static DaemonConfig config() {
        return DaemonConfig.defaults().withListen("127.0.0.1", 0);
    }

    static Daemon start(DaemonConfig config, Source... sources) throws IOException {
        return Daemon.start(config, new ArrayList<>(List.of(sources)));
    }

    static HttpResponse<String> get(Daemon d, String path) throws IOException, InterruptedException {
        return get(d, path, "*/*");
    }

    static HttpResponse<String> get(Daemon d, String path, String accept) throws IOException, InterruptedException {
        return CLIENT.send(HttpRequest.newBuilder(URI.create(d.url() + path)).header("Accept", accept)
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<byte[]> getBytes(Daemon d, String path) throws IOException, InterruptedException {
        return CLIENT.send(HttpRequest.newBuilder(URI.create(d.url() + path)).timeout(Duration.ofSeconds(20))
                .build(), HttpResponse.BodyHandlers.ofByteArray());
    }
}
