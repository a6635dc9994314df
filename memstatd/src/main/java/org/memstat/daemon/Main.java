package org.memstat.daemon;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code memstatd}: serves the statistics of one or more sources over HTTP. Flags win over the config file.
 *
 * <p>Exit codes: 0 after a graceful stop (SIGTERM or SIGINT), 2 for bad flags or configuration, 10 when the
 * listen address cannot be bound (e.g. the port is busy), 11 when a source cannot be opened.
 */
@Command(name = "memstatd", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        sortOptions = false, usageHelpWidth = 110,
        description = "Serves UMA zone, malloc(9) and mbuf statistics over HTTP: Prometheus /metrics, a JSON API "
                + "under /api/v1, /healthz. With no --source it runs an embedded allocator under a demo workload.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:stopped by SIGTERM or SIGINT", "2:bad flags or configuration",
            "10:cannot listen on the address (port busy?)", "11:a source cannot be opened"})
public final class Main implements Callable<Integer> {
    static final int EXIT_USAGE = 2;
    static final int EXIT_LISTEN = 10;
    static final int EXIT_SOURCE = 11;

    @Option(names = "--source", paramLabel = "[NAME=]URI",
            description = "A source: demo, dir:PATH, unix:PATH or http://HOST:PORT (repeatable). Default: demo.")
    List<String> sources = new ArrayList<>();

    @Option(names = "--listen", paramLabel = "HOST:PORT",
            description = "Address to listen on (default 127.0.0.1:" + DaemonConfig.DEFAULT_PORT + ").")
    String listen;

    @Option(names = "--include", paramLabel = "REGEX", description = "Serve only zones whose name matches.")
    String include;

    @Option(names = "--exclude", paramLabel = "REGEX", description = "Do not serve zones whose name matches.")
    String exclude;

    @Option(names = "--percpu", description = "Add per-CPU families to /metrics by default (else ?percpu=1).")
    Boolean percpu;

    @Option(names = "--scrape-timeout", paramLabel = "DURATION",
            description = "Deadline for reading the sources per request, e.g. 2s or 500ms (default 2s).")
    String scrapeTimeout;

    @Option(names = "--write-token-file", paramLabel = "FILE", description = "Enables sysctl writes through "
            + "the API for requests with 'Authorization: Bearer <token>' (or set MEMSTATD_WRITE_TOKEN).")
    Path writeTokenFile;

    @Option(names = "--registry-socket", paramLabel = "PATH",
            description = "Also serve the demo allocator's sysctl registry on this Unix socket (read-only).")
    Path registrySocket;

    @Option(names = "--demo-threads", paramLabel = "N", description = "Demo workload threads (default 2).")
    Integer demoThreads;

    @Option(names = "--max-connections", paramLabel = "N", description = "Open connections at once "
            + "(default 4096).")
    Integer maxConnections;

    @Option(names = "--idle-timeout", paramLabel = "DURATION", description = "Close idle connections (default "
            + "30s).")
    String idleTimeout;

    @Option(names = "--request-timeout", paramLabel = "DURATION",
            description = "A started request must arrive completely within this (default 10s).")
    String requestTimeout;

    @Option(names = "--stop-timeout", paramLabel = "DURATION",
            description = "Grace for in-flight requests at shutdown (default 10s).")
    String stopTimeout;

    @Option(names = "--config", paramLabel = "FILE", description = "A properties file with the same options "
            + "(keys without the dashes, e.g. listen=127.0.0.1:9460, sources=demo,snap=dir:/tmp/snap).")
    Path config;

    /**
     * Runs the daemon until SIGTERM or SIGINT.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        int code = new CommandLine(new Main()).execute(args);
        if (code != 0) {
            System.exit(code);
        }
    }

    @Override
    public Integer call() {
        PrintWriter err = new PrintWriter(System.err, true);
        DaemonConfig cfg;
        try {
            cfg = ConfigFile.merge(this, System.getenv("MEMSTATD_WRITE_TOKEN"));
        } catch (IllegalArgumentException | IOException e) {
            err.println("memstatd: " + e.getMessage());
            return EXIT_USAGE;
        }
        List<Source> opened;
        try {
            opened = Daemon.openSources(cfg);
        } catch (IllegalArgumentException e) {
            err.println("memstatd: " + e.getMessage());
            return EXIT_USAGE;
        } catch (IOException e) {
            err.println("memstatd: cannot open source: " + e.getMessage());
            return EXIT_SOURCE;
        }
        Daemon daemon;
        try {
            daemon = Daemon.start(cfg, opened);
        } catch (IOException e) {
            err.println("memstatd: cannot listen on " + cfg.host() + ":" + cfg.port() + ": " + rootMessage(e));
            return EXIT_LISTEN;
        }
        CountDownLatch forever = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            daemon.close();
            System.out.println("memstatd: stopped");
            System.out.flush();
            // A stop by signal is the normal end of a daemon: exit 0 instead of the JVM's 128+signal.
            Runtime.getRuntime().halt(0);
        }, "memstatd-shutdown"));
        System.out.println("memstatd: listening on " + daemon.url() + " (sources: "
                + String.join(", ", daemon.sourceNames()) + ")");
        System.out.flush();
        try {
            forever.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }

    /** Reads the token file: its first line, which must not be empty. */
    static String readToken(Path file) throws IOException {
        String token = Files.readString(file).lines().findFirst().orElse("").strip();
        if (token.isEmpty()) {
            throw new IllegalArgumentException("write token file " + file + " is empty");
        }
        return token;
    }

    /** The version from the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"memstatd " + (v == null ? "(development build)" : v)};
        }
    }
}
