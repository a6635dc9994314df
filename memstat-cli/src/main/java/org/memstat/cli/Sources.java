package org.memstat.cli;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import org.memstat.lib.SysctlSource;
import org.memstat.lib.WritableSysctlSource;

/**
 * Chooses and opens the source of a command: {@code --source URI}, else {@code $MEMSTAT_SOURCE}, else the local
 * memstatd if something accepts a connection on its default address within a short probe, else a one-line error
 * saying how to choose one.
 *
 * <p>URIs: memstat-lib's {@code dir:PATH}, {@code unix:PATH}, {@code http://HOST:PORT} (and {@code https://}), plus
 * {@code demo}. A path that does not exist is an I/O failure (exit 5); a URI that cannot be parsed is a usage
 * error (exit 2).
 */
final class Sources {
    private Sources() {
    }

    /** The message when no source is given and no memstatd answers. */
    static final String NO_SOURCE = "no source: use --source dir:PATH|unix:PATH|http://HOST:PORT|demo, set "
            + "MEMSTAT_SOURCE, or start memstatd";

    /**
     * Resolves the URI to use.
     *
     * @param option the {@code --source} value, or null
     * @param cli    environment and the default daemon address
     * @return the URI
     * @throws CliException (exit 5) when nothing is configured and no memstatd answers
     */
    static String resolve(String option, Cli cli) {
        if (option != null) {
            return option;
        }
        String env = cli.env().get("MEMSTAT_SOURCE");
        if (env != null && !env.isBlank()) {
            return env;
        }
        try (Socket s = new Socket()) {
            s.connect(cli.daemon(), (int) Math.max(1, cli.probe().toMillis()));
            return "http://" + cli.daemon().getHostString() + ":" + cli.daemon().getPort();
        } catch (IOException e) {
            throw new CliException(ExitCode.IO, NO_SOURCE);
        }
    }

    /**
     * Opens a source.
     *
     * @param uri  a source URI
     * @param live for {@code demo}: keep the workload running
     * @return the source; {@code dir:} sources are {@link ListableSource}s, {@code demo} and {@code unix:}
     *         {@link WritableSource}s
     * @throws CliException exit 5 for a path that does not exist, exit 2 for a malformed URI
     */
    static SysctlSource open(String uri, boolean live) {
        if (uri.equals("demo")) {
            return DemoSource.start(live);
        }
        int colon = uri.indexOf(':');
        String scheme = colon > 0 ? uri.substring(0, colon) : "";
        if (scheme.equals("dir") || scheme.equals("unix")) {
            Path p = path(uri, uri.substring(colon + 1));
            SysctlSource lib = parse(uri);
            if (scheme.equals("dir")) {
                return new DirSource(lib, p);
            }
            return lib instanceof WritableSysctlSource w ? new RegistrySource(w) : lib;
        }
        return parse(uri);
    }

    private static Path path(String uri, String rest) {
        if (rest.isEmpty()) {
            throw new CliException(ExitCode.USAGE, "'" + uri + "': needs a path");
        }
        Path p;
        try {
            p = Path.of(rest);
        } catch (InvalidPathException e) {
            throw new CliException(ExitCode.USAGE, "'" + uri + "': invalid path: " + e.getMessage());
        }
        if (!Files.exists(p)) {
            throw new CliException(ExitCode.IO, uri + ": " + rest + " does not exist");
        }
        return p;
    }

    private static SysctlSource parse(String uri) {
        try {
            return SysctlSource.parse(uri);
        } catch (IllegalArgumentException e) {
            String m = e.getMessage();
            // memstat-lib lists its own schemes; the CLI also takes "demo".
            throw new CliException(ExitCode.USAGE, (m == null ? "bad source '" + uri + "'" : m)
                    .replace("expected dir:PATH, unix:PATH or http://HOST:PORT",
                            "expected dir:PATH, unix:PATH, http://HOST:PORT or demo"));
        }
    }
}
