package org.memstat.lib;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/** {@link SysctlSource#parse(String)}: turns a source URI into a source, with one-line errors. */
final class SourceUris {
    private SourceUris() {
    }

    private static final String EXPECTED = "expected dir:PATH, unix:PATH or http://HOST:PORT";

    static SysctlSource parse(String uri) {
        if (uri == null || uri.isBlank()) {
            throw new IllegalArgumentException("empty source URI; " + EXPECTED);
        }
        int colon = uri.indexOf(':');
        int slash = uri.indexOf('/');
        if (colon <= 0 || (slash >= 0 && slash < colon)) {
            throw new IllegalArgumentException("source '" + uri + "' has no scheme; " + EXPECTED
                    + " (did you mean dir:" + uri + "?)");
        }
        String scheme = uri.substring(0, colon);
        String rest = uri.substring(colon + 1);
        return switch (scheme) {
            case "dir" -> new SnapshotSource.Directory(existing(uri, rest, "dir", "a directory", true));
            case "unix" -> new UnixSource(existing(uri, rest, "unix", "a socket file", false), UnixSource.TIMEOUT);
            case "http", "https" -> new HttpSource(http(uri), HttpSource.CONNECT_TIMEOUT,
                    HttpSource.REQUEST_TIMEOUT, SysctlSource.MAX_VALUE_BYTES);
            default -> throw new IllegalArgumentException("unknown source scheme '" + scheme + "' in '" + uri
                    + "'; " + EXPECTED);
        };
    }

    private static Path existing(String uri, String rest, String scheme, String what, boolean directory) {
        if (rest.isEmpty()) {
            throw new IllegalArgumentException(scheme + ": needs a path to " + what + ", e.g. " + scheme
                    + (directory ? ":/var/tmp/snap" : ":/var/run/memstat.sock"));
        }
        Path p;
        try {
            p = Path.of(rest);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("'" + uri + "': invalid path: " + e.getMessage(), e);
        }
        if (!Files.exists(p)) {
            throw new IllegalArgumentException("'" + uri + "': " + p + " does not exist");
        }
        if (directory && !Files.isDirectory(p)) {
            throw new IllegalArgumentException("'" + uri + "': " + p + " is not a directory");
        }
        if (!directory && Files.isDirectory(p)) {
            throw new IllegalArgumentException("'" + uri + "': " + p + " is a directory, not a socket");
        }
        return p;
    }

    private static URI http(String uri) {
        URI u;
        try {
            u = new URI(uri);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("'" + uri + "': malformed URI: " + e.getMessage(), e);
        }
        if (u.getHost() == null) {
            throw new IllegalArgumentException("'" + uri + "': missing host; expected " + u.getScheme()
                    + "://HOST:PORT");
        }
        if (u.getRawQuery() != null || u.getRawFragment() != null || u.getRawUserInfo() != null) {
            throw new IllegalArgumentException("'" + uri + "': no query, fragment or user info allowed");
        }
        return u;
    }
}
