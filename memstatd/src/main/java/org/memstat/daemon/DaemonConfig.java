package org.memstat.daemon;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Everything the daemon needs to run, after flags and the config file are merged (see {@link Main}).
 *
 * @param host            listen address (default 127.0.0.1)
 * @param port            listen port (default {@value #DEFAULT_PORT}; 0 picks a free one)
 * @param sources         the sources; empty means the embedded demo
 * @param filter          zone include/exclude
 * @param scrapeTimeout   per-request deadline for reading the sources
 * @param percpu          per-CPU families by default
 * @param writeToken      the token for writes, or {@code null} for writes off
 * @param registrySocket  where to serve the demo allocator's registry socket, or {@code null}
 * @param demoThreads     worker threads of the demo workload
 * @param maxConnections  open connections accepted at once
 * @param idleTimeout     idle connections are closed after this
 * @param requestTimeout  a started request must be complete within this (slow clients)
 * @param stopTimeout     grace for in-flight requests at shutdown
 */
record DaemonConfig(String host, int port, List<SourceSpec> sources, ZoneFilter filter, Duration scrapeTimeout,
        boolean percpu, String writeToken, Path registrySocket, int demoThreads, int maxConnections,
        Duration idleTimeout, Duration requestTimeout, Duration stopTimeout) {

    /** The documented default port; {@code memstat} (the CLI) looks for a daemon here. */
    static final int DEFAULT_PORT = 9460;

    DaemonConfig {
        sources = List.copyOf(sources);
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " outside 0-65535");
        }
        long names = sources.stream().map(SourceSpec::name).distinct().count();
        if (names != sources.size()) {
            throw new IllegalArgumentException("two sources have the same name; name them with NAME=URI");
        }
    }

    /** The defaults: loopback on the default port, the demo source, 2 s scrape timeout. */
    static DaemonConfig defaults() {
        return new DaemonConfig("127.0.0.1", DEFAULT_PORT, List.of(), ZoneFilter.ALL, Duration.ofSeconds(2), false,
                null, null, 2, 4096, Duration.ofSeconds(30), Duration.ofSeconds(10), Duration.ofSeconds(10));
    }

    DaemonConfig withListen(String h, int p) {
        return new DaemonConfig(h, p, sources, filter, scrapeTimeout, percpu, writeToken, registrySocket,
                demoThreads, maxConnections, idleTimeout, requestTimeout, stopTimeout);
    }

    DaemonConfig withSources(List<SourceSpec> s) {
        return new DaemonConfig(host, port, s, filter, scrapeTimeout, percpu, writeToken, registrySocket,
                demoThreads, maxConnections, idleTimeout, requestTimeout, stopTimeout);
    }

    DaemonConfig withWriteToken(String token) {
        return new DaemonConfig(host, port, sources, filter, scrapeTimeout, percpu, token, registrySocket,
                demoThreads, maxConnections, idleTimeout, requestTimeout, stopTimeout);
    }

    DaemonConfig withTimeouts(Duration scrape, Duration idle, Duration request, Duration stop) {
        return new DaemonConfig(host, port, sources, filter, scrape, percpu, writeToken, registrySocket,
                demoThreads, maxConnections, idle, request, stop);
    }

    DaemonConfig withFilter(ZoneFilter f) {
        return new DaemonConfig(host, port, sources, f, scrapeTimeout, percpu, writeToken, registrySocket,
                demoThreads, maxConnections, idleTimeout, requestTimeout, stopTimeout);
    }
}
