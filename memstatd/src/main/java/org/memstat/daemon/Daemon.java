package org.memstat.daemon;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.server.handler.SizeLimitHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.memstat.lib.SysctlSource;
import org.memstat.lib.WritableSysctlSource;

/**
 * The running daemon: the sources and the Jetty server in front of them.
 *
 * <p>Threads: one acceptor and one selector (idle connections cost no thread), a bounded pool of 64 for handlers,
 * and virtual threads for source reads. Connections: at most {@link DaemonConfig#maxConnections()} open at once
 * (more wait in the accept queue), idle ones closed after the idle timeout, slow requests after the request
 * timeout. Stopping is graceful: the connector stops accepting, in-flight requests get the stop timeout to
 * finish, then the sources (and the demo allocator, and its registry socket file) are closed.
 */
final class Daemon implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Daemon.class.getName());
    private final Server server;
    private final ServerConnector connector;
    private final Sources sources;
    private final SlowRequestReaper reaper;
    private boolean stopped;

    private Daemon(DaemonConfig config, Sources sources) {
        this.sources = sources;
        QueuedThreadPool pool = new QueuedThreadPool(64, 4);
        pool.setName("memstatd-http");
        server = new Server(pool);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
        connector.setHost(config.host());
        connector.setPort(config.port());
        connector.setIdleTimeout(config.idleTimeout().toMillis());
        reaper = new SlowRequestReaper(config.requestTimeout());
        connector.addEventListener(reaper);
        server.addConnector(connector);
        server.addBean(new NetworkConnectionLimit(config.maxConnections(), connector));

        WriteAuth auth = new WriteAuth(config.writeToken());
        Router router = new Router(sources, new JsonApi(sources, config.filter(), auth.enabled()),
                new SysctlApi(sources, auth), new MetricsEndpoint(new MetricsCollector(sources, config.filter(),
                        false), config.percpu()));
        SizeLimitHandler limit = new SizeLimitHandler(SysctlApi.MAX_WRITE_BYTES, -1);
        limit.setHandler(router);
        server.setHandler(new GracefulHandler(limit));
        server.setErrorHandler(new JsonErrorHandler());
        server.setStopTimeout(config.stopTimeout().toMillis());
        server.setStopAtShutdown(false);
    }

    /**
     * Opens the configured sources (the demo when there are none) and starts listening.
     *
     * @param config the configuration
     * @return the running daemon
     * @throws IOException              if the address cannot be bound (e.g. the port is busy)
     * @throws IllegalArgumentException if a source URI is malformed
     */
    static Daemon start(DaemonConfig config) throws IOException {
        return start(config, openSources(config));
    }

    /**
     * Opens the configured sources, or the demo when there are none; on failure nothing stays open.
     *
     * @throws IOException              when a source cannot be opened (e.g. the registry socket path is taken)
     * @throws IllegalArgumentException for a malformed source URI
     */
    static List<Source> openSources(DaemonConfig config) throws IOException {
        List<Source> opened = new ArrayList<>();
        try {
            List<SourceSpec> specs = config.sources().isEmpty() ? List.of(new SourceSpec("demo", "demo"))
                    : config.sources();
            for (SourceSpec spec : specs) {
                opened.add(open(spec, config));
            }
        } catch (IOException | RuntimeException e) {
            new Sources(opened, config.scrapeTimeout()).close();
            throw e;
        }
        return opened;
    }

    /** Starts over already opened sources (tests and embedding); they are closed with the daemon. */
    static Daemon start(DaemonConfig config, List<Source> opened) throws IOException {
        Sources sources = new Sources(opened, config.scrapeTimeout());
        Daemon d = new Daemon(config, sources);
        try {
            d.server.start();
        } catch (Exception e) {
            d.close();
            if (e instanceof IOException io) {
                throw io;
            }
            throw new IOException(e.getMessage(), e);
        }
        // A first reading, so the first rates request already has a previous sample.
        sources.readAll();
        return d;
    }

    private static Source open(SourceSpec spec, DaemonConfig config) throws IOException {
        if (spec.uri().equals("demo")) {
            return DemoSource.open(spec.name(), config.demoThreads(), config.registrySocket());
        }
        SysctlSource s = SysctlSource.parse(spec.uri());
        // unix: registries take writes (if their server allows them); dir: and http: sources are read-only.
        OidWriter writer = s instanceof WritableSysctlSource w ? new RegistryWriter(w) : null;
        return new Source(spec.name(), spec.uri(), s, writer, null);
    }

    /** {@return the port actually bound} */
    int port() {
        return connector.getLocalPort();
    }

    /** {@return the base URL, e.g. {@code http://127.0.0.1:9460}} */
    String url() {
        String host = connector.getHost() == null ? "0.0.0.0" : connector.getHost();
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port();
    }

    /** {@return the served sources' names, in order} */
    List<String> sourceNames() {
        return sources.list().stream().map(Source::name).toList();
    }

    /** Stops gracefully (see the class comment); calling it again does nothing. */
    @Override
    public synchronized void close() {
        if (stopped) {
            return;
        }
        stopped = true;
        try {
            server.stop();
        } catch (TimeoutException e) {
            LOG.log(System.Logger.Level.WARNING, "in-flight requests did not finish within the stop timeout");
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "stopping the HTTP server: " + e);
        } finally {
            reaper.close();
            sources.close();
        }
    }
}
